"""A loopback HTTP(S) server playing AWS for end-to-end tests.

It checks every request's SigV4 signature with its own implementation of the
published algorithm (written independently of the gateway's C++ signer),
records what it received, and answers from a script: a list of responses
consumed in order, or a function of the request.

    with FakeAws(credentials={"AKIDEXAMPLE": "secret"}) as aws:
        aws.script([Reply(200, {"clusterArns": []})])
        ... point the gateway at aws.url ...
        assert aws.requests[0].signature_ok
"""

import datetime
import hashlib
import hmac
import json
import ssl
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Reply:
    def __init__(self, status=200, body=None, headers=None, close=False, delay=0.0, drop=False,
                 truncate=None):
        self.status = status
        self.body = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
        self.headers = dict(headers or {})
        self.close = close  # close the connection after answering, saying so
        self.delay = delay  # seconds to wait before answering
        self.drop = drop  # close the connection after answering, without saying so
        self.truncate = truncate  # send only this many body bytes, then close


class Received:
    def __init__(self, method, target, headers, body, signature_ok, reason):
        self.method = method
        self.path, _, self.query = target.partition("?")
        self.headers = headers  # list of (name, value), as received
        self.body = body
        self.signature_ok = signature_ok
        self.reason = reason

    def header(self, name):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body or b"{}")


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _uri_encode(text, keep_slash):
    return urllib.parse.quote(text, safe="/~" if keep_slash else "~")


def verify_sigv4(method, target, headers, body, credentials, now=None, skew=300):
    """(ok, reason) for a header-signed SigV4 request, per the AWS spec."""
    auth = next((v for n, v in headers if n.lower() == "authorization"), None)
    if auth is None:
        return False, "MissingAuthenticationToken"
    try:
        algorithm, rest = auth.strip().split(" ", 1)
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        akid, date, region, service, terminator = parts["Credential"].split("/")
        signed = parts["SignedHeaders"].split(";")
        signature = parts["Signature"]
    except (ValueError, KeyError):
        return False, "IncompleteSignature"
    if algorithm != "AWS4-HMAC-SHA256" or terminator != "aws4_request":
        return False, "IncompleteSignature"
    if akid not in credentials:
        return False, "UnrecognizedClientException"
    if "host" not in signed or "x-amz-date" not in signed:
        return False, "IncompleteSignature"
    amz_date = next((v for n, v in headers if n.lower() == "x-amz-date"), "")
    try:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        return False, "IncompleteSignature"
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if abs((now - when).total_seconds()) > skew:
        return False, "RequestTimeTooSkewed"
    if amz_date[:8] != date:
        return False, "InvalidSignatureException"

    path, _, query = target.partition("?")
    # Services other than S3: each segment decoded then encoded twice.
    segments = [_uri_encode(_uri_encode(urllib.parse.unquote(s), False), False)
                for s in path.split("/")]
    canonical_uri = "/".join(segments) or "/"
    pairs = []
    for item in query.split("&") if query else []:
        k, _, v = item.partition("=")
        pairs.append((_uri_encode(urllib.parse.unquote(k), False),
                      _uri_encode(urllib.parse.unquote(v), False)))
    canonical_query = "&".join(f"{k}={v}" for k, v in sorted(pairs))
    values = {}
    for n, v in headers:
        values.setdefault(n.lower(), []).append(" ".join(v.strip().split()))
    canonical_headers = "".join(f"{h}:{','.join(values.get(h, []))}\n" for h in signed)
    canonical = "\n".join([method, canonical_uri, canonical_query, canonical_headers,
                           ";".join(signed), _sha256(body)])
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, _sha256(canonical.encode())])
    key = ("AWS4" + credentials[akid]).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = _hmac(key, part)
    expected = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return False, "InvalidSignatureException"
    return True, ""


class LoopbackServer:
    """Start/stop plumbing shared by the fakes: `self.server` is a running
    ThreadingHTTPServer on 127.0.0.1."""

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FakeAws(LoopbackServer):
    def __init__(self, credentials, tls_cert=None, tls_key=None):
        self.credentials = dict(credentials)
        self.requests = []
        self.connections = 0
        self._script = []
        # Answers requests when the script is empty: a function of the
        # Received request returning a Reply (watch tests use it to play
        # resources whose status moves with each poll).
        self.responder = None
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                with fake._lock:
                    fake.connections += 1

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = list(self.headers.items())
                ok, reason = verify_sigv4(self.command, self.path, headers, body,
                                          fake.credentials)
                received = Received(self.command, self.path, headers, body, ok, reason)
                with fake._lock:
                    fake.requests.append(received)
                    step = fake._script.pop(0) if fake._script else fake.responder
                reply = step(received) if callable(step) else step
                if not ok:
                    reply = Reply(403 if reason != "RequestTimeTooSkewed" else 403,
                                  {"__type": reason, "message": f"signature check: {reason}"},
                                  {"x-amzn-ErrorType": reason})
                elif reply is None:
                    reply = Reply(500, {"__type": "InternalFailure",
                                        "message": "fake AWS has no scripted reply"})
                if reply.delay:
                    threading.Event().wait(reply.delay)
                data = reply.body.encode("utf-8") if isinstance(reply.body, str) else \
                    (reply.body or b"")
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("x-amzn-RequestId", f"req-{len(fake.requests)}")
                self.send_header("Content-Length", str(len(data)))
                if reply.close:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if reply.truncate is not None:
                    self.wfile.write(data[:reply.truncate])
                    self.close_connection = True
                else:
                    self.wfile.write(data)
                if reply.drop:
                    self.close_connection = True

            def _handle_quietly(self):
                # A client that gave up (a cancelled call) is no error here.
                try:
                    self._handle()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle_quietly

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        scheme = "http"
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        host, port = self.server.server_address[:2]
        self.url = f"{scheme}://{'localhost' if tls_cert else host}:{port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def script(self, steps):
        with self._lock:
            self._script.extend(steps)

    def clear_script(self):
        with self._lock:
            self._script.clear()
