"""Starts the real gateway binary for end-to-end tests and stops it.

The gateway is started on 127.0.0.1 port 0 and reports the address it bound
in its first log line ("msg":"serving"), so tests never race for ports.
"""

import json
import os
import re
import resource
import signal
import subprocess
import threading
import time
import urllib.request

import callers_mode

callers_mode.install()

BUILD_DIR = os.environ.get("AWSGW_BUILD_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..", "build"))
GATEWAY = os.environ.get("AWSGW_GATEWAY", os.path.join(BUILD_DIR, "gateway", "aws-grpc-gateway"))


# The machine's own AWS set-up must not leak into a test: no instance
# metadata lookups, no ~/.aws files, unless a test sets them.
ISOLATION_DEFAULTS = {
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
}


def clean_env(**settings):
    """This process's environment without any AWS_* variable, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(settings)
    return env


def metric_sample(metrics_text, name, **labels):
    """The value of one sample in Prometheus text, or None."""
    for line in metrics_text.splitlines():
        if line.startswith("#"):
            continue
        match = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"', match.group(3) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match.group(4))
    return None


class GatewayProcess:
    """The gateway binary, with its log lines collected by a reader thread
    (select() on a buffered pipe would miss lines already in the buffer)."""

    def __init__(self, *args, binary=GATEWAY, env=None, start_timeout=30, listen="127.0.0.1:0",
                 max_descriptors=None, launcher=()):
        """`listen=None` passes no --listen flag (the config file's then applies);
        `max_descriptors` starts the gateway with that RLIMIT_NOFILE, soft and hard;
        `launcher` is a command that runs it (`buildah run ... --` for an image's)."""
        self.log = []
        self._cond = threading.Condition()
        self._eof = False
        env = dict(os.environ if env is None else env)
        for key, value in ISOLATION_DEFAULTS.items():
            env.setdefault(key, value)
        listen_args = ["--listen", listen] if listen is not None else []
        guarded = False
        if callers_mode.ENABLED:
            args, guarded = callers_mode.gateway_args(args)
        limit = None
        if max_descriptors is not None:
            def limit():
                resource.setrlimit(resource.RLIMIT_NOFILE, (max_descriptors, max_descriptors))
        self.proc = subprocess.Popen([*launcher, binary, *listen_args, *args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=env, text=True, preexec_fn=limit)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.serving = self.wait_for_event("serving", start_timeout)  # the start-up log event
        self.address = self.serving["address"]
        if guarded and not self.serving.get("callers", "").startswith("authenticated"):
            raise AssertionError(f"callers mode: the gateway does not identify callers: "
                                 f"{self.serving}")

    def _read(self):
        for line in self.proc.stderr:
            with self._cond:
                self.log.append(line)
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def wait_for_event(self, msg, timeout=30):
        """The first log event with this "msg" (waiting up to `timeout`)."""
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                for line in self.log[seen:]:
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    if event.get("msg") == msg:
                        return event
                seen = len(self.log)
                if self._eof:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    self.proc.kill()
                    raise TimeoutError(
                        f"gateway did not log {msg!r} in {timeout}s: {''.join(self.log)}")
                self._cond.wait(left)
        code = self.proc.wait()
        raise RuntimeError(f"gateway exited ({code}): {''.join(self.log)}")

    def drain_log(self, quiet_for=0.2):
        """Waits until no log line came for `quiet_for` seconds."""
        with self._cond:
            while True:
                count = len(self.log)
                self._cond.wait(quiet_for)
                if len(self.log) == count or self._eof:
                    return

    def metrics(self, path="/metrics", timeout=10):
        """The text of the metrics endpoint (the gateway runs with
        --metrics_listen and logged "serving metrics")."""
        events = [json.loads(line) for line in list(self.log) if line.startswith("{")]
        address = next(e["address"] for e in events if e.get("msg") == "serving metrics")
        with urllib.request.urlopen(f"http://{address}{path}", timeout=timeout) as response:
            return response.read().decode("utf-8")

    def wait_for_metric(self, name, value, timeout=60, **labels):
        """Waits until the sample of `name` (with `labels`) equals `value`."""
        deadline = time.monotonic() + timeout
        while True:
            current = metric_sample(self.metrics(), name, **labels)
            if current == value:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} is {current}, not {value}")
            time.sleep(0.02)

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Signals the gateway and returns its exit code (killing it after `timeout`)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        self._reader.join(timeout=timeout)
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=20)
        self.proc.stderr.close()
