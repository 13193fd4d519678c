"""Starts the aws-emulator binary for tests and builds botocore clients for it.

The emulator is started on 127.0.0.1 port 0 and reports its port and key
pair on its first stdout line (a JSON object), so tests never race for ports.

Tests that drive it with botocore call require_botocore() first, which exits
77 (ctest: skipped) when ../shared/models or python3-botocore is absent.
"""

import json
import os
import selectors
import signal
import subprocess
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.environ.get("AWSGW_SHARED_DIR", os.path.join(REPO, "..", "shared"))
MODELS = os.path.join(SHARED, "models")
EMULATOR = os.environ.get("AWSGW_EMULATOR", os.path.join(REPO, "build", "emulator", "aws-emulator"))
# botocore keeps pooled connections open until the process ends; not a leak.
warnings.simplefilter("ignore", ResourceWarning)
SERVICES = ["ecs", "apprunner", "amplify", "appconfig", "serverlessrepo"]



def require_botocore():
    """Exits 77 (ctest: skipped) unless botocore and ../shared/models are here.

    Call at import time of tests that use botocore: it is their oracle, with
    the current models (Debian's copies are older).
    """
    if not os.path.isdir(MODELS):
        print(f"SKIP: AWS models not found at {MODELS} (set AWSGW_SHARED_DIR)")
        sys.exit(77)
    # Before botocore is imported: the loader reads it once.
    os.environ["AWS_DATA_PATH"] = MODELS
    try:
        import botocore.session  # noqa: F401
    except ImportError:
        print("SKIP: python3-botocore is not installed")
        sys.exit(77)


class EmulatorProcess:
    def __init__(self, *args, region="us-west-2", account="111122223333", start_timeout=30):
        self.proc = subprocess.Popen(
            [EMULATOR, "--listen", "127.0.0.1:0", "--region", region, "--account", account,
             "--print-credentials", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.info = self._first_line(start_timeout)
        self.region = region
        self.account = account
        self.url = f"http://127.0.0.1:{self.info['port']}"
        self._session = None

    @property
    def session(self):
        """A botocore session (require_botocore() must have been called)."""
        if self._session is None:
            import botocore.session
            self._session = botocore.session.get_session()
        return self._session

    def _first_line(self, timeout):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout=timeout):
            self.proc.kill()
            raise TimeoutError(f"aws-emulator printed nothing in {timeout}s")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"aws-emulator exited ({self.proc.wait()}): {self.proc.stderr.read()}")
        return json.loads(line)

    def client(self, service, access_key=None, secret_key=None, region=None, retries=None):
        """A botocore client for `service`; `retries` overrides the retry
        config (by default one retry, as before)."""
        import botocore.config
        return self.session.create_client(
            service, region_name=region or self.region, endpoint_url=self.url,
            aws_access_key_id=access_key or self.info["access_key_id"],
            aws_secret_access_key=secret_key or self.info["secret_access_key"],
            config=botocore.config.Config(retries=retries or {"max_attempts": 1},
                                          connect_timeout=5, read_timeout=10))

    def gateway_env(self):
        """The environment of a gateway that reaches this emulator as it
        would AWS: its keys, its region, AWS_ENDPOINT_URL, nothing else AWS_*."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=self.info["access_key_id"],
                   AWS_SECRET_ACCESS_KEY=self.info["secret_access_key"],
                   AWS_REGION=self.region, AWS_ENDPOINT_URL=self.url)
        return env

    def stop(self, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.stdout.close()
            self.proc.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
