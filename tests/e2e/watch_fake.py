"""Scripted AWS resources for the watch-stream tests: each poll of a
resource gets the next step of its script (the last step repeats), so a
test plays a lifecycle (PENDING -> IN_PROGRESS -> SUCCEEDED) one poll at a
time and can count exactly how many polls reached AWS.

    aws = FakeAws(credentials)
    routes = Routes(aws)
    job = routes.add("GET /apps/a1/branches/main/jobs/7", [body1, body2, body3])
    ... watch ...
    assert job.polls == 3

Routes are "METHOD /path" for restJson services and the operation name
("ListOperations") for awsJson ones. A step is a JSON body (answered 200), a
Reply (errors, throttling), or a function of the request returning either.
`hold()` keeps a script on its current step until `release()`.

Pointing the same tests at the emulator later means replacing a Script by
the emulator's lifecycle; the assertions only read the streams and the
request counts.
"""

import json
import threading

from fake_aws import Reply


class Script:
    def __init__(self, steps):
        self.steps = list(steps)
        self.index = 0
        self.polls = 0
        self.requests = []
        self._held = threading.Event()
        self._held.set()  # set: free to advance
        self._lock = threading.Lock()

    def hold(self):
        self._held.clear()

    def release(self):
        self._held.set()

    def next(self, received):
        with self._lock:
            self.polls += 1
            self.requests.append(received)
            step = self.steps[min(self.index, len(self.steps) - 1)]
            if self._held.is_set() and self.index < len(self.steps):
                self.index += 1
        if callable(step):
            step = step(received)
        return step if isinstance(step, Reply) else Reply(200, step)


def throttled(operation="Throttling"):
    """An AWS throttling answer (awsJson and restJson alike)."""
    return Reply(400, {"__type": operation, "message": "Rate exceeded"},
                 {"x-amzn-ErrorType": operation})


def not_found(error="ResourceNotFoundException", status=404):
    return Reply(status, {"__type": error, "message": "not found"}, {"x-amzn-ErrorType": error})


def access_denied():
    return Reply(403, {"__type": "AccessDeniedException", "message": "not allowed"},
                 {"x-amzn-ErrorType": "AccessDeniedException"})


class Routes:
    """Answers a FakeAws's requests from per-route scripts."""

    def __init__(self, aws):
        self.aws = aws
        self.routes = {}
        self.handlers = {}
        self._lock = threading.Lock()
        aws.responder = self._respond

    @staticmethod
    def route_of(received):
        target = received.header("X-Amz-Target")
        if target:
            return target.rsplit(".", 1)[-1]
        return f"{received.method} {received.path}"

    def add(self, route, steps):
        script = Script(steps)
        with self._lock:
            self.routes[route] = script
        return script

    def handle(self, route, function):
        """`function(received)` answers every request of `route`."""
        with self._lock:
            self.handlers[route] = function

    def clear(self):
        with self._lock:
            self.routes.clear()
            self.handlers.clear()

    def count(self, route):
        return sum(1 for r in list(self.aws.requests) if self.route_of(r) == route)

    def _respond(self, received):
        route = self.route_of(received)
        with self._lock:
            script = self.routes.get(route)
            handler = self.handlers.get(route)
        if handler is not None:
            reply = handler(received)
            return reply if isinstance(reply, Reply) else Reply(200, reply)
        if script is None:
            return Reply(500, {"__type": "InternalFailure", "message": f"no script for {route}"})
        return script.next(received)


def body(received):
    return json.loads(received.body or b"{}")
