"""Starts the real gateway binary for end-to-end tests and stops it.

The gateway is started on 127.0.0.1 port 0 and reports the address it bound
in its first log line ("msg":"serving"), so tests never race for ports.
"""

import json
import os
import selectors
import signal
import subprocess
import time

BUILD_DIR = os.environ.get("AWSGW_BUILD_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..", "build"))
GATEWAY = os.environ.get("AWSGW_GATEWAY", os.path.join(BUILD_DIR, "gateway", "aws-grpc-gateway"))


class GatewayProcess:
    def __init__(self, *args, binary=GATEWAY, env=None, start_timeout=30, listen="127.0.0.1:0"):
        """`listen=None` passes no --listen flag (the config file's then applies)."""
        self.log = []
        listen_args = ["--listen", listen] if listen is not None else []
        self.proc = subprocess.Popen([binary, *listen_args, *args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=env, text=True)
        self.serving = self._wait_for("serving", start_timeout)  # the start-up log event
        self.address = self.serving["address"]

    def _wait_for(self, msg, timeout):
        deadline = time.monotonic() + timeout
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stderr, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=max(deadline - time.monotonic(), 0)):
                break
            line = self.proc.stderr.readline()
            if not line:
                raise RuntimeError(f"gateway exited ({self.proc.wait()}): {''.join(self.log)}")
            self.log.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("msg") == msg:
                return event
        self.proc.kill()
        raise TimeoutError(f"gateway did not log {msg!r} in {timeout}s: {''.join(self.log)}")

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
        self.log.extend(self.proc.stderr.readlines())
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
