"""What the callers end-to-end tests share: signing keys and tokens, a JWKS
endpoint over TLS, and the list of every rpc the gateway serves.

Tokens are made with PyJWT (Debian python3-jwt) from keys made here with
python3-cryptography, so the gateway's verifier is checked against an
independent implementation.
"""

import base64
import hashlib
import hmac
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

ISSUER = "https://issuer.test.local"
AUDIENCE = "aws-grpc-gateway"


class SigningKey:
    """One private key, its JWK (public half) and the JWS algorithm it signs."""

    def __init__(self, kid, alg):
        self.kid, self.alg = kid, alg
        if alg in ("RS256", "PS256"):
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            self.jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        elif alg == "ES256":
            self.private = ec.generate_private_key(ec.SECP256R1())
            self.jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.private.public_key()))
        elif alg == "EdDSA":
            self.private = ed25519.Ed25519PrivateKey.generate()
            raw = self.private.public_key().public_bytes(serialization.Encoding.Raw,
                                                         serialization.PublicFormat.Raw)
            self.jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
        else:
            raise ValueError(alg)
        self.jwk.update(kid=kid, use="sig")

    def public_pem(self):
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def token(self, claims=None, *, kid=None, **overrides):
        """A token with the default claims (valid for five minutes), changed
        by `claims`; a claim set to None is left out."""
        body = default_claims(groups=["payments"])
        body.update(claims or {})
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode(body, self.private, algorithm=self.alg,
                          headers={"kid": kid or self.kid, **overrides})


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwks(*keys):
    return json.dumps({"keys": [k.jwk for k in keys]})


def unsigned_token(claims):
    """alg "none": no signature at all."""
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64url(json.dumps(claims).encode())}."


def hmac_confusion_token(rsa_key, claims):
    """HS256 "signed" with the RSA public key's PEM as the HMAC secret: the
    classic algorithm-confusion forgery."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": rsa_key.kid}).encode())
    payload = b64url(json.dumps(claims).encode())
    mac = hmac.new(rsa_key.public_pem(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(mac)}"


def bearer(token):
    """The metadata that carries `token`."""
    return (("authorization", f"Bearer {token}"),)


def default_claims(**changes):
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "system:serviceaccount:prod:web",
              "iat": now, "exp": now + 300}
    claims.update(changes)
    return claims


class JwksServer:
    """A JWKS endpoint over TLS on loopback; `document` may be replaced and
    the server stopped (down) and started again on the same port."""

    def __init__(self, cert, key, document):
        self.document = document
        self.fetches = 0
        self._lock = threading.Lock()
        self._cert, self._key = cert, key
        self._server = None
        self.port = 0
        self.start()

    def start(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                with owner._lock:
                    owner.fetches += 1
                    body = owner.document.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self._cert, self._key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"https://localhost:{self.port}/openid/v1/jwks"

    def set(self, document):
        with self._lock:
            self.document = document

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


SERVICE_MODULES = ("aws.amplify.v1.amplify_pb2", "aws.appconfig.v1.appconfig_pb2",
                   "aws.apprunner.v1.apprunner_pb2", "aws.ecs.v1.ecs_pb2",
                   "aws.serverlessrepo.v1.serverlessrepo_pb2")
WATCH_MODULE = "awsgw.watch.v1.watch_pb2"


def every_rpc():
    """(path, request message class, is_stream) of every rpc: the 221 AWS
    actions and the watch rpcs (the server-streaming ones)."""
    import importlib
    rpcs = []
    for name in SERVICE_MODULES + (WATCH_MODULE,):
        module = importlib.import_module(name)
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                cls = getattr(module, method.input_type.name)
                rpcs.append((f"/{service.full_name}/{method.name}", cls, name == WATCH_MODULE))
    return rpcs


def filled(cls):
    """A request whose top-level strings and numbers are set, so that a watch
    request names a resource and is refused for who asks, not for what."""
    from google.protobuf.descriptor import FieldDescriptor
    message = cls()
    for field in message.DESCRIPTOR.fields:
        if field.type == FieldDescriptor.TYPE_STRING:
            if field.label == FieldDescriptor.LABEL_REPEATED:
                getattr(message, field.name).append("res-1")
            else:
                setattr(message, field.name, "res-1")
        elif field.type in (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64) and \
                field.label != FieldDescriptor.LABEL_REPEATED:
            setattr(message, field.name, 1)
    return message
