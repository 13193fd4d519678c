"""Loopback stand-ins for the places the gateway gets its own credentials:
the EC2 instance metadata service (IMDSv2), the ECS/EKS container
credentials endpoint and STS (AssumeRole, AssumeRoleWithWebIdentity).

One HTTP server on 127.0.0.1 serves all three; tests point the gateway at it
with the AWS SDK variables (AWS_EC2_METADATA_SERVICE_ENDPOINT,
AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_ENDPOINT_URL_STS). It hands out the
credentials it is given, checks what a real endpoint checks (IMDS session
token, container Authorization header, STS signature or web identity token)
and records every request. `broken` makes one endpoint answer badly.

    with FakeCredentialEndpoints(issued=("ASIAX", "secret", "token")) as fake:
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = fake.url
"""

import datetime
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fake_aws import LoopbackServer, verify_sigv4

IMDS_TOKEN = "imds-session-token-1"
ROLE_NAME = "gateway-role"
CONTAINER_PATH = "/v2/credentials/task-1"


def _expiration(hours=1):
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=hours)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeCredentialEndpoints(LoopbackServer):
    def __init__(self, issued, sts_source_credentials=None, container_authorization=None,
                 web_identity_token=None, broken=None):
        """`issued`: (access key id, secret, session token) every endpoint hands out.
        `sts_source_credentials`: {akid: secret} that may sign AssumeRole.
        `broken`: None, "bad-json", "http-500", "no-role" or "sts-denied"."""
        self.issued = issued
        self.sts_source_credentials = dict(sts_source_credentials or {})
        self.container_authorization = container_authorization
        self.web_identity_token = web_identity_token
        self.broken = broken
        self.requests = []  # (method, path, headers dict, body)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _reply(self, status, body, content_type="application/json"):
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with fake._lock:
                    fake.requests.append((self.command, self.path, dict(self.headers), body))
                status, text, content_type = fake._answer(self.command, self.path,
                                                          list(self.headers.items()), body)
                self._reply(status, text, content_type)

            do_GET = do_PUT = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    # --- what each endpoint answers -------------------------------------

    def _credentials_json(self, token_field):
        if self.broken == "bad-json":
            return 200, '{"AccessKeyId": "ASIAX", "SecretAccessKey": ', "application/json"
        if self.broken == "http-500":
            return 500, "internal error", "text/plain"
        akid, secret, token = self.issued
        return 200, json.dumps({"Code": "Success", "AccessKeyId": akid,
                                "SecretAccessKey": secret, token_field: token,
                                "Expiration": _expiration()}), "application/json"

    def _imds(self, method, path, headers):
        h = {k.lower(): v for k, v in headers}
        if path == "/latest/api/token":
            if method != "PUT" or "x-aws-ec2-metadata-token-ttl-seconds" not in h:
                return 400, "token requests are PUTs with a TTL", "text/plain"
            return 200, IMDS_TOKEN, "text/plain"
        if h.get("x-aws-ec2-metadata-token") != IMDS_TOKEN:
            return 401, "", "text/plain"  # IMDSv2 only: no token, no answer
        base = "/latest/meta-data/iam/security-credentials/"
        if path == base:
            if self.broken == "no-role":
                return 404, "", "text/plain"
            return 200, ROLE_NAME + "\n", "text/plain"
        if path == base + ROLE_NAME:
            return self._credentials_json("Token")
        return 404, "", "text/plain"

    def _container(self, headers):
        h = {k.lower(): v for k, v in headers}
        if self.container_authorization is not None and \
                h.get("authorization") != self.container_authorization:
            return 401, '{"message": "bad authorization"}', "application/json"
        return self._credentials_json("Token")

    def _sts(self, method, path, headers, body):
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8")))
        action = form.get("Action", "")
        if action == "AssumeRole":
            ok, reason = verify_sigv4(method, path, headers, body, self.sts_source_credentials)
            if not ok:
                return self._sts_error(403, "SignatureDoesNotMatch", reason)
        elif action == "AssumeRoleWithWebIdentity":
            if form.get("WebIdentityToken") != self.web_identity_token:
                return self._sts_error(400, "InvalidIdentityToken", "token rejected")
        else:
            return self._sts_error(400, "InvalidAction", f"unknown action {action}")
        if not form.get("RoleArn") or not form.get("RoleSessionName"):
            return self._sts_error(400, "ValidationError", "RoleArn and RoleSessionName required")
        if self.broken == "sts-denied":
            return self._sts_error(403, "AccessDenied", "not authorized to assume the role")
        akid, secret, token = self.issued
        xml = (f'<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
               f"<{action}Result><Credentials><AccessKeyId>{akid}</AccessKeyId>"
               f"<SecretAccessKey>{secret}</SecretAccessKey><SessionToken>{token}</SessionToken>"
               f"<Expiration>{_expiration()}</Expiration></Credentials></{action}Result>"
               f"<ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata>"
               f"</{action}Response>")
        return 200, xml, "text/xml"

    @staticmethod
    def _sts_error(status, code, message):
        return status, (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                        f"<Message>{message}</Message></Error><RequestId>e</RequestId>"
                        f"</ErrorResponse>"), "text/xml"

    def _answer(self, method, target, headers, body):
        path = target.partition("?")[0]
        if path.startswith("/latest/"):
            return self._imds(method, path, headers)
        if path == CONTAINER_PATH:
            return self._container(headers)
        if method == "POST" and path == "/":
            return self._sts(method, target, headers, body)
        return 404, "", "text/plain"

    def paths(self):
        with self._lock:
            return [(m, p) for m, p, _, _ in self.requests]
