"""A watch stream read on a thread of its own, so that a test can act (step
the emulator's clock, inject faults, cancel) while the stream runs, then wait
for what it expects to arrive."""

import threading
import time

import grpc


class Reader:
    """Collects a stream's updates and its ending status."""

    def __init__(self, call, wait_seconds=60):
        self.call = call
        self.updates = []
        self.code = None
        self.error = None
        self._wait_seconds = wait_seconds
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        try:
            for update in self.call:
                with self._cond:
                    self.updates.append(update)
                    self._cond.notify_all()
            code = grpc.StatusCode.OK
        except grpc.RpcError as e:
            code = e.code()
            self.error = e.details()
        with self._cond:
            self.code = code
            self._cond.notify_all()

    @property
    def ended(self):
        return self.code is not None

    def wait(self, predicate, timeout=None):
        """The updates so far, once predicate(updates) holds; fails when the
        stream ends first or `timeout` (default: the reader's) passes."""
        deadline = time.monotonic() + (timeout or self._wait_seconds)
        with self._cond:
            while not predicate(self.updates):
                if self.code is not None:
                    raise AssertionError(f"stream ended ({self.code}, {self.error}) before: "
                                         f"{[u.summary for u in self.updates]}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; got {[u.summary for u in self.updates]}")
                self._cond.wait(left)
            return list(self.updates)

    def end(self, timeout=None):
        """The ending status code, once the stream has ended."""
        self._thread.join(timeout or self._wait_seconds)
        if self._thread.is_alive():
            raise AssertionError("stream did not end")
        return self.code


def has_kind(kind, n=1):
    """A wait() predicate: at least n updates of `kind`."""
    return lambda updates: sum(1 for u in updates if u.kind == kind) >= n
