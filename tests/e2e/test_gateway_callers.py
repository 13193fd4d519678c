"""End to end: callers of the real gateway are authenticated (JWT from a JWKS
file and from a JWKS URL over TLS, API keys, mutual TLS), authorized by the
policy, limited, and audited, all before anything reaches AWS. A loopback
fake AWS records every request that gets through.

Tokens come from PyJWT, certificates from the openssl CLI, the JWKS URL from
a Python HTTPS server: each an implementation independent of the gateway's.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
sys.path.insert(0, PYTHON_OUT)

import callers_support as cs  # noqa: E402
from fake_aws import FakeAws, Reply  # noqa: E402
from gateway_process import GATEWAY, GatewayProcess, clean_env, metric_sample  # noqa: E402
from test_pki import TestCa, read  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402
from awsgw.watch.v1 import watch_pb2  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402

KEY_ID, SECRET = "AKIDCALLERSTEST", "callers/test/secret"
ACCOUNT = "123456789012"
CALL_TIMEOUT = 20
URL_ISSUER = "https://url-issuer.test.local"
CI_KEY, NOBODY_KEY = "ci-key-7f3a9c", "nobody-key-02be"


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def details(error):
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            return status_pb2.Status.FromString(value)
    return None


def error_info(error):
    status = details(error)
    for detail in status.details if status else ():
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info
    return None


def signing_env(aws_url):
    return clean_env(AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET,
                     AWS_REGION="us-east-1", AWS_ENDPOINT_URL=aws_url)


def call(channel, path, request, metadata=(), stream=False):
    """The status code of one rpc (OK, or the error's code) and the error."""
    try:
        if stream:
            responses = channel.unary_stream(
                path, request_serializer=lambda m: m.SerializeToString(),
                response_deserializer=lambda b: b)(request, metadata=metadata,
                                                   timeout=CALL_TIMEOUT)
            next(responses)
            responses.cancel()
        else:
            channel.unary_unary(path, request_serializer=lambda m: m.SerializeToString(),
                                response_deserializer=lambda b: b)(
                request, metadata=metadata, timeout=CALL_TIMEOUT)
        return grpc.StatusCode.OK, None
    except grpc.RpcError as error:
        return error.code(), error


POLICY_FILE = """\
statements:
  - id: payments-read
    effect: allow
    principals: ["group:payments"]
    actions: ["ecs:Describe*", "ecs:List*"]
    resources: ["arn:aws:ecs:*:{account}:service/prod/*", "arn:aws:ecs:*:{account}:cluster/prod"]
  - id: no-secret-services
    effect: deny
    principals: ["*"]
    actions: ["ecs:*"]
    resources: ["arn:aws:ecs:*:*:service/prod/secret*"]
"""


class CallersTest(unittest.TestCase):
    """One gateway with JWT (file and URL issuers), API keys, a policy in the
    config and in a policy file, limits and an audit file."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="awsgw-e2e-callers-")
        cls.ca = TestCa(cls.dir, "trusted")
        cls.jwks_tls = cls.ca.issue("jwks", "/CN=localhost", dns=["localhost"],
                                    ips=["127.0.0.1"], usage="serverAuth")
        cls.keys = {alg: cs.SigningKey(f"file-{alg.lower()}", alg)
                    for alg in ("RS256", "PS256", "ES256", "EdDSA")}
        with open(os.path.join(cls.dir, "jwks.json"), "w", encoding="utf-8") as f:
            f.write(cs.jwks(*cls.keys.values()))
        cls.url_old = cs.SigningKey("url-old", "RS256")
        cls.url_new = cs.SigningKey("url-new", "ES256")
        cls.jwks_server = cs.JwksServer(cls.jwks_tls.cert, cls.jwks_tls.key, cs.jwks(cls.url_old))
        cls.policy_path = os.path.join(cls.dir, "policy.yaml")
        with open(cls.policy_path, "w", encoding="utf-8") as f:
            f.write(POLICY_FILE.format(account=ACCOUNT))
        cls.audit_path = os.path.join(cls.dir, "audit.jsonl")
        cls.config_path = os.path.join(cls.dir, "gateway.yaml")
        with open(cls.config_path, "w", encoding="utf-8") as f:
            f.write(cls.config_text())
        cls.aws = FakeAws({KEY_ID: SECRET})
        cls.aws.responder = lambda request: Reply(200, {"clusterArns": [], "services": [],
                                                        "serviceArns": [], "failures": []})
        cls.gateway = GatewayProcess("--config", cls.config_path, "--metrics_listen",
                                     "127.0.0.1:0", env=signing_env(cls.aws.url))
        cls.channel = grpc.insecure_channel(cls.gateway.address)
        cls.ecs = ecs_pb2_grpc.EcsServiceStub(cls.channel)

    @classmethod
    def config_text(cls):
        return f"""\
callers:
  account_id: "{ACCOUNT}"
  authentication:
    jwt:
      max_token_bytes: 4096
      issuers:
        - issuer: {cs.ISSUER}
          audiences: [{cs.AUDIENCE}]
          jwks_file: jwks.json
          groups_claim: groups
          leeway: 30s
        - issuer: {URL_ISSUER}
          audiences: [{cs.AUDIENCE}]
          jwks_url: {cls.jwks_server.url}
          jwks_ca_file: trusted-ca.pem
          min_refresh_interval: 1s
    api_keys:
      - sha256: {sha256(CI_KEY)}
        principal: ci-bot
        groups: [ci]
      - sha256: {sha256(NOBODY_KEY).upper()}
        principal: nobody
  policy:
    - id: ci-clusters
      effect: allow
      principals: [ci-bot]
      actions: ["ecs:ListClusters"]
      resources: ["*"]
      conditions:
        region: [us-east-1]
    - id: url-user-services
      effect: allow
      principals: [url-user]
      actions: ["ecs:ListServices"]
      resources: ["*"]
      conditions:
        request.cluster: [prod, "staging-*"]
  policy_file: policy.yaml
  limits:
    rules:
      - id: ci-rate
        principals: [ci-bot]
        actions: ["ecs:ListClusters"]
        rate: 0.01
        burst: 2
  audit:
    file: audit.jsonl
"""

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()
        cls.aws.close()
        cls.jwks_server.stop()

    def setUp(self):
        self.aws.requests.clear()

    def audit_records(self):
        deadline = time.monotonic() + 10
        while True:
            with open(self.audit_path, encoding="utf-8") as f:
                lines = f.read().splitlines()
            if lines or time.monotonic() > deadline:
                return [json.loads(line) for line in lines]
            time.sleep(0.05)

    # -- the whole surface, refused --------------------------------------------

    def test_every_rpc_refuses_bad_identities_and_sends_nothing(self):
        rs = self.keys["RS256"]
        now = int(time.time())
        bad_tokens = {
            "forged": rs.token()[:-8] + "AAAAAAAA",
            "expired": rs.token({"exp": now - 3600, "iat": now - 7200}),
            "wrong_audience": rs.token({"aud": "someone-else"}),
            "wrong_issuer": rs.token({"iss": "https://evil.example"}),
            "alg_none": cs.unsigned_token(cs.default_claims()),
            "hmac_confusion": cs.hmac_confusion_token(rs, cs.default_claims()),
            "oversized": rs.token({"padding": "x" * 5000}),
            "not_a_jwt": "definitely.not.a-jwt",
        }
        identities = [("no identity", ())] + [
            (f"{name} JWT", cs.bearer(token)) for name, token in bad_tokens.items()] + [
            ("unknown API key", (("x-api-key", "guess"),)),
            ("basic auth", (("authorization", "Basic dXNlcjpwYXNz"),))]
        rpcs = cs.every_rpc()
        self.assertEqual(len(rpcs), 221 + 15)
        for label, metadata in identities:
            for path, cls, stream in rpcs:
                code, error = call(self.channel, path, cs.filled(cls), metadata, stream)
                self.assertEqual(code, grpc.StatusCode.UNAUTHENTICATED, f"{label}: {path}")
        # A valid identity that the policy gives nothing.
        for path, cls, stream in rpcs:
            code, error = call(self.channel, path, cs.filled(cls), (("x-api-key", NOBODY_KEY),),
                               stream)
            self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED, path)
            self.assertIn(":", error_info(error).metadata["action"], path)
        self.assertEqual(self.aws.requests, [], "a refused call reached AWS")
        # Tokens never reach the audit trail or the metrics.
        with open(self.audit_path, encoding="utf-8") as f:
            audit = f.read()
        metrics = self.gateway.metrics()
        for token in bad_tokens.values():
            self.assertNotIn(token, audit)
            self.assertNotIn(token[:40], metrics)
        self.assertNotIn(NOBODY_KEY, audit)
        self.assertNotIn("nobody", metrics)  # principals are not metric labels

    def test_untrusted_reasons_are_counted_with_bounded_labels(self):
        rs = self.keys["RS256"]
        call(self.channel, "/aws.ecs.v1.EcsService/ListClusters", ecs_pb2.ListClustersRequest(),
             cs.bearer(rs.token({"exp": int(time.time()) - 3600})))
        self.assertGreaterEqual(metric_sample(self.gateway.metrics(),
                                              "awsgw_access_decisions_total",
                                              decision="unauthenticated", reason="expired",
                                              action="ecs:ListClusters"), 1)

    # -- accepted identities ---------------------------------------------------

    def test_each_algorithm_is_accepted_and_the_call_reaches_aws(self):
        request = ecs_pb2.ListServicesRequest(cluster="prod")
        for alg, key in self.keys.items():
            self.aws.requests.clear()
            code, error = call(self.channel, "/aws.ecs.v1.EcsService/ListServices", request,
                               cs.bearer(key.token()))
            self.assertEqual(code, grpc.StatusCode.OK, f"{alg}: {error and error.details()}")
            self.assertEqual(len(self.aws.requests), 1, alg)
            self.assertTrue(self.aws.requests[0].signature_ok)

    def test_the_resource_decides(self):
        token = self.keys["ES256"].token()
        # The policy file allows the prod cluster's services, denies secret ones.
        ok = ecs_pb2.DescribeServicesRequest(cluster="prod", services=["web", "api"])
        self.assertEqual(call(self.channel, "/aws.ecs.v1.EcsService/DescribeServices", ok,
                              cs.bearer(token))[0], grpc.StatusCode.OK)
        staging = ecs_pb2.DescribeServicesRequest(cluster="staging", services=["web"])
        code, error = call(self.channel, "/aws.ecs.v1.EcsService/DescribeServices", staging,
                           cs.bearer(token))
        self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)
        self.assertIn(f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/staging/web", error.details())
        info = error_info(error)
        self.assertEqual(info.reason, "IMPLICIT_DENY")
        self.assertEqual(info.metadata["action"], "ecs:DescribeServices")
        mixed = ecs_pb2.DescribeServicesRequest(cluster="prod", services=["web", "secret-db"])
        code, error = call(self.channel, "/aws.ecs.v1.EcsService/DescribeServices", mixed,
                           cs.bearer(token))
        self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)
        info = error_info(error)
        self.assertEqual((info.reason, info.metadata["statement"]),
                         ("EXPLICIT_DENY", "no-secret-services"))
        self.assertEqual(info.metadata["resource"],
                         f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/secret-db")
        self.assertEqual(len(self.aws.requests), 1)  # only the allowed call went out

    def test_a_watch_is_authorized_as_the_action_it_polls(self):
        token = self.keys["RS256"].token()
        denied = watch_pb2.WatchEcsServiceRequest(cluster="staging", service="web")
        code, error = call(self.channel, "/awsgw.watch.v1.WatchService/WatchEcsService", denied,
                           cs.bearer(token), stream=True)
        self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)
        self.assertEqual(error_info(error).metadata["action"], "ecs:DescribeServices")
        self.assertEqual(error_info(error).metadata["resource"],
                         f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/staging/web")
        self.assertEqual(self.aws.requests, [])

    def test_api_key_with_a_region_condition_and_a_rate_limit(self):
        metadata = (("x-api-key", CI_KEY),)
        request = ecs_pb2.ListClustersRequest()
        path = "/aws.ecs.v1.EcsService/ListClusters"
        codes = [call(self.channel, path, request, metadata)[0] for _ in range(2)]
        self.assertEqual(codes, [grpc.StatusCode.OK] * 2)
        code, error = call(self.channel, path, request, metadata)
        self.assertEqual(code, grpc.StatusCode.RESOURCE_EXHAUSTED)
        retry = [d for d in details(error).details if d.Is(error_details_pb2.RetryInfo.DESCRIPTOR)]
        self.assertEqual(len(retry), 1)
        self.assertEqual(error_info(error).metadata["rule"], "ci-rate")
        self.assertEqual(len(self.aws.requests), 2)
        # Another region is outside the statement's condition.
        code, _ = call(self.channel, path, request, metadata + (("x-aws-region", "eu-west-1"),))
        self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)

    def test_a_condition_on_a_request_field(self):
        # The URL issuer's tokens name url-user, allowed ListServices on some clusters.
        token = self.url_old.token({"iss": URL_ISSUER, "sub": "url-user"})
        path = "/aws.ecs.v1.EcsService/ListServices"
        for cluster, expected in [("prod", grpc.StatusCode.OK), ("staging-2", grpc.StatusCode.OK),
                                  ("dev", grpc.StatusCode.PERMISSION_DENIED)]:
            code, _ = call(self.channel, path, ecs_pb2.ListServicesRequest(cluster=cluster),
                           cs.bearer(token))
            self.assertEqual(code, expected, cluster)
        code, _ = call(self.channel, path, ecs_pb2.ListServicesRequest(), cs.bearer(token))
        self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)  # no cluster: no match

    def test_leeway_edges(self):
        key = self.keys["PS256"]
        path = "/aws.ecs.v1.EcsService/ListServices"
        request = ecs_pb2.ListServicesRequest(cluster="prod")
        now = int(time.time())
        cases = [({"exp": now - 20}, grpc.StatusCode.OK),            # expired within 30s leeway
                 ({"exp": now - 45}, grpc.StatusCode.UNAUTHENTICATED),
                 ({"nbf": now + 20}, grpc.StatusCode.OK),            # early within the leeway
                 ({"nbf": now + 45}, grpc.StatusCode.UNAUTHENTICATED),
                 ({"exp": None}, grpc.StatusCode.UNAUTHENTICATED)]   # exp is required
        for claims, expected in cases:
            code, error = call(self.channel, path, request, cs.bearer(key.token(claims)))
            self.assertEqual(code, expected, f"{claims}: {error and error.details()}")

    def test_jwks_url_rotation_and_the_endpoint_down(self):
        path = "/aws.ecs.v1.EcsService/ListServices"
        request = ecs_pb2.ListServicesRequest(cluster="prod")
        old = cs.bearer(self.url_old.token({"iss": URL_ISSUER, "sub": "url-user"}))
        new = cs.bearer(self.url_new.token({"iss": URL_ISSUER, "sub": "url-user"}))
        self.assertEqual(call(self.channel, path, request, old)[0], grpc.StatusCode.OK)
        code, error = call(self.channel, path, request, new)
        self.assertEqual(code, grpc.StatusCode.UNAUTHENTICATED)
        self.assertEqual(error_info(error).reason, "UNKNOWN_KEY")
        # The issuer rotates: the next unknown kid makes the gateway fetch again.
        fetches = self.jwks_server.fetches
        self.jwks_server.set(cs.jwks(self.url_old, self.url_new))
        deadline = time.monotonic() + 20
        while call(self.channel, path, request, new)[0] != grpc.StatusCode.OK:
            self.assertLess(time.monotonic(), deadline, "the new key was never fetched")
            time.sleep(0.2)
        # A burst of unknown kids costs at most one fetch per min_refresh_interval (1s).
        start, before = time.monotonic(), self.jwks_server.fetches
        stranger = cs.bearer(cs.SigningKey("url-unknown", "RS256").token({"iss": URL_ISSUER}))
        for _ in range(20):
            call(self.channel, path, request, stranger)
        elapsed = time.monotonic() - start
        self.assertLessEqual(self.jwks_server.fetches - before, int(elapsed) + 2)
        self.assertGreater(self.jwks_server.fetches, fetches)
        # The endpoint goes down: the keys fetched before keep working.
        self.jwks_server.stop()
        try:
            for _ in range(3):
                call(self.channel, path, request, stranger)  # asks for refreshes that fail
                time.sleep(0.5)
            self.assertEqual(call(self.channel, path, request, new)[0], grpc.StatusCode.OK)
            self.assertEqual(call(self.channel, path, request, old)[0], grpc.StatusCode.OK)
        finally:
            self.jwks_server.start()

    def test_audit_records_each_decision_without_secrets(self):
        token = self.keys["EdDSA"].token()
        call(self.channel, "/aws.ecs.v1.EcsService/ListServices",
             ecs_pb2.ListServicesRequest(cluster="prod"),
             cs.bearer(token) + (("x-request-id", "audit-check-1"),))
        records = [r for r in self.audit_records() if r.get("request_id") == "audit-check-1"]
        deadline = time.monotonic() + 10
        while not records and time.monotonic() < deadline:
            time.sleep(0.05)
            records = [r for r in self.audit_records() if r.get("request_id") == "audit-check-1"]
        (record,) = records
        self.assertEqual(record["decision"], "allow")
        self.assertEqual(record["principal"], "system:serviceaccount:prod:web")
        self.assertEqual(record["auth"], "jwt")
        self.assertEqual(record["action"], "ecs:ListServices")
        self.assertEqual(record["resources"], [f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/prod"])
        self.assertEqual(record["statement"], "payments-read")
        self.assertEqual(record["region"], "us-east-1")
        self.assertTrue(record["peer"].startswith("ipv4:127.0.0.1:"))
        for key in ("time", "rpc"):
            self.assertIn(key, record)
        with open(self.audit_path, encoding="utf-8") as f:
            self.assertNotIn(token.split(".")[2], f.read())
        # The operational log line of the call names the caller too.
        self.gateway.drain_log()
        calls = [json.loads(line) for line in self.gateway.log if "audit-check-1" in line]
        self.assertEqual([c["principal"] for c in calls], ["system:serviceaccount:prod:web"])

    def test_policy_reload_and_a_broken_policy_keeps_the_old_one(self):
        token = self.keys["RS256"].token()
        path = "/aws.ecs.v1.EcsService/ListTasks"
        request = ecs_pb2.ListTasksRequest(cluster="prod")
        self.assertEqual(call(self.channel, path, request, cs.bearer(token))[0],
                         grpc.StatusCode.OK)  # ecs:List* on cluster/prod
        generation = metric_sample(self.gateway.metrics(), "awsgw_policy_generation")
        try:
            with open(self.policy_path, "w", encoding="utf-8") as f:
                f.write(POLICY_FILE.format(account=ACCOUNT).replace('"ecs:List*"', '"ecs:ListS*"'))
            self.gateway.proc.send_signal(signal.SIGHUP)
            self.gateway.wait_for_metric("awsgw_policy_generation", generation + 1)
            self.assertEqual(call(self.channel, path, request, cs.bearer(token))[0],
                             grpc.StatusCode.PERMISSION_DENIED)
            # A broken file: refused, named with its line and key; the policy stays.
            with open(self.policy_path, "w", encoding="utf-8") as f:
                f.write("statements:\n  - id: broken\n    effect: allow\n"
                        "    principals: ['*']\n    actions: [ecs]\n    resources: ['*']\n")
            self.gateway.proc.send_signal(signal.SIGHUP)
            self.gateway.wait_for_metric("awsgw_policy_reload_failures_total", 1)
            self.assertEqual(metric_sample(self.gateway.metrics(), "awsgw_policy_generation"),
                             generation + 1)
            self.gateway.drain_log()
            errors = [json.loads(line) for line in self.gateway.log
                      if "caller policy refused" in line]
            self.assertTrue(errors)
            self.assertIn("policy.yaml:5: statements[0].actions[0]", errors[-1]["error"])
            self.assertEqual(call(self.channel, path, request, cs.bearer(token))[0],
                             grpc.StatusCode.PERMISSION_DENIED)
        finally:
            with open(self.policy_path, "w", encoding="utf-8") as f:
                f.write(POLICY_FILE.format(account=ACCOUNT))
            self.gateway.proc.send_signal(signal.SIGHUP)
            self.gateway.wait_for_metric("awsgw_policy_generation", generation + 2)


class WatchLimitTest(unittest.TestCase):
    """Watch streams per principal are capped; anonymous callers, when
    allowed, are a principal of their own."""

    def test_watch_streams_per_principal_are_capped(self):
        folder = tempfile.mkdtemp(prefix="awsgw-e2e-watchcap-")
        config = os.path.join(folder, "gateway.yaml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"""\
callers:
  allow_unauthenticated: true
  account_id: "{ACCOUNT}"
  policy:
    - id: anyone-watches
      effect: allow
      principals: [anonymous]
      actions: ["ecs:DescribeServices"]
      resources: ["*"]
  limits:
    max_watch_streams_per_principal: 1
""")
        service = {"serviceName": "web", "status": "ACTIVE", "desiredCount": 1,
                   "runningCount": 1, "deployments": [],
                   "serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/web"}
        with FakeAws({KEY_ID: SECRET}) as aws:
            aws.responder = lambda r: Reply(200, {"services": [service], "failures": []})
            with GatewayProcess("--config", config, env=signing_env(aws.url)) as gateway, \
                    grpc.insecure_channel(gateway.address) as channel:
                watch = channel.unary_stream(
                    "/awsgw.watch.v1.WatchService/WatchEcsService",
                    request_serializer=lambda m: m.SerializeToString(),
                    response_deserializer=lambda b: b)
                request = watch_pb2.WatchEcsServiceRequest(cluster="prod", service="web")
                first = watch(request, timeout=CALL_TIMEOUT)
                next(first)  # open, with its first update
                code, error = call(channel, "/awsgw.watch.v1.WatchService/WatchEcsService",
                                   request, stream=True)
                self.assertEqual(code, grpc.StatusCode.RESOURCE_EXHAUSTED)
                first.cancel()
                deadline = time.monotonic() + 10
                while call(channel, "/awsgw.watch.v1.WatchService/WatchEcsService", request,
                           stream=True)[0] != grpc.StatusCode.OK:
                    self.assertLess(time.monotonic(), deadline, "the slot was never released")
                    time.sleep(0.1)
                # Anonymous callers get only what names "anonymous".
                code, _ = call(channel, "/aws.ecs.v1.EcsService/ListClusters",
                               ecs_pb2.ListClustersRequest())
                self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)


class MutualTlsTest(unittest.TestCase):
    """The principal is the client certificate's SPIFFE ID; a certificate
    from another CA never gets a call through."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="awsgw-e2e-mtls-")
        trusted = TestCa(cls.dir, "trusted")
        cls.ca_cert = trusted.cert
        server = trusted.issue("server", "/CN=localhost", dns=["localhost"], ips=["127.0.0.1"],
                               usage="serverAuth")
        cls.web = trusted.issue("web", "/CN=web", dns=["web.prod.svc"],
                                uris=["spiffe://example.org/ns/prod/sa/web"])
        cls.batch = trusted.issue("batch", "/CN=batch-job")
        cls.stranger = TestCa(cls.dir, "other").issue("stranger", "/CN=web",
                                                     uris=["spiffe://example.org/ns/prod/sa/web"])
        config = os.path.join(cls.dir, "gateway.yaml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"""\
listen: 127.0.0.1:0
server:
  tls:
    cert_file: server.pem
    key_file: server.key
    client_ca_file: trusted-ca.pem
callers:
  authentication:
    mtls:
      principal_from: auto
  policy:
    - id: web-lists
      effect: allow
      principals: ["spiffe://example.org/ns/prod/sa/*"]
      actions: ["ecs:ListClusters"]
      resources: ["*"]
""")
        cls.aws = FakeAws({KEY_ID: SECRET})
        cls.aws.responder = lambda r: Reply(200, {"clusterArns": []})
        cls.gateway = GatewayProcess("--config", config, env=signing_env(cls.aws.url),
                                     listen=None)
        cls.port = cls.gateway.address.rsplit(":", 1)[1]

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        cls.aws.close()

    def channel(self, issued):
        credentials = grpc.ssl_channel_credentials(
            root_certificates=read(self.ca_cert), private_key=read(issued.key),
            certificate_chain=read(issued.cert))
        return grpc.secure_channel(f"localhost:{self.port}", credentials)

    def test_spiffe_id_is_the_principal(self):
        self.aws.requests.clear()
        with self.channel(self.web) as channel:
            code, error = call(channel, "/aws.ecs.v1.EcsService/ListClusters",
                               ecs_pb2.ListClustersRequest())
            self.assertEqual(code, grpc.StatusCode.OK, error and error.details())
            code, error = call(channel, "/aws.ecs.v1.EcsService/ListServices",
                               ecs_pb2.ListServicesRequest())
            self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)
            self.assertIn('"spiffe://example.org/ns/prod/sa/web"', error.details())
        with self.channel(self.batch) as channel:  # no SPIFFE ID: its CN, not allowed
            code, error = call(channel, "/aws.ecs.v1.EcsService/ListClusters",
                               ecs_pb2.ListClustersRequest())
            self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)
            self.assertIn('"batch-job"', error.details())
        self.assertEqual(len(self.aws.requests), 1)

    def test_a_certificate_from_an_untrusted_ca_gets_nothing_through(self):
        self.aws.requests.clear()
        with self.channel(self.stranger) as channel:
            for path, cls, stream in cs.every_rpc():
                code, _ = call(channel, path, cs.filled(cls), stream=stream)
                self.assertEqual(code, grpc.StatusCode.UNAVAILABLE, path)
        self.assertEqual(self.aws.requests, [])


class ExampleConfigTest(unittest.TestCase):
    """deploy/callers.yaml, the README's example, serves as documented: mesh
    certificates, Kubernetes service-account tokens and an API key on one
    TLS listener. Only its file paths and the JWKS URL are pointed at local
    fixtures."""

    def test_the_example_serves_its_three_kinds_of_caller(self):
        folder = tempfile.mkdtemp(prefix="awsgw-e2e-example-")
        os.makedirs(os.path.join(folder, "certs"))
        tls = TestCa(folder, "server-side")
        server = tls.issue("certs/server", "/CN=localhost", dns=["localhost"],
                           ips=["127.0.0.1"], usage="serverAuth")
        mesh = TestCa(folder, "mesh")
        os.replace(mesh.cert, os.path.join(folder, "certs", "mesh-ca.pem"))
        mesh.cert = os.path.join(folder, "certs", "mesh-ca.pem")
        payments = mesh.issue("payments", "/CN=payments",
                              uris=["spiffe://mesh.example.com/ns/payments/sa/api"])
        k8s_key = cs.SigningKey("k8s-1", "RS256")
        jwks_tls = tls.issue("jwks", "/CN=localhost", dns=["localhost"], usage="serverAuth")
        jwks = cs.JwksServer(jwks_tls.cert, jwks_tls.key, cs.jwks(k8s_key))
        self.addCleanup(jwks.stop)
        with open(os.path.join(HERE, "..", "..", "deploy", "callers.yaml"), encoding="utf-8") as f:
            text = f.read()
        for old, new in [("https://kubernetes.default.svc/openid/v1/jwks", jwks.url),
                         ("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", tls.cert)]:
            self.assertIn(old, text)
            text = text.replace(old, new)
        config = os.path.join(folder, "gateway.yaml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(text)
        with FakeAws({KEY_ID: SECRET}) as aws:
            aws.responder = lambda r: Reply(200, {})
            env = signing_env(aws.url)
            env["AWS_REGION"] = "eu-west-1"
            with GatewayProcess("--config", config, "--metrics_listen", "127.0.0.1:0",
                                env=env) as gateway:
                self.assertEqual(gateway.serving["transport"], "mtls")
                port = gateway.address.rsplit(":", 1)[1]
                root = read(tls.cert)

                def channel(cert=None):
                    creds = grpc.ssl_channel_credentials(
                        root_certificates=root,
                        private_key=read(cert.key) if cert else None,
                        certificate_chain=read(cert.cert) if cert else None)
                    return grpc.secure_channel(f"localhost:{port}", creds)

                from aws.appconfig.v1 import appconfig_pb2
                from aws.apprunner.v1 import apprunner_pb2
                with channel(payments) as mesh_channel:
                    self.assertEqual(call(mesh_channel, "/aws.ecs.v1.EcsService/ListServices",
                                          ecs_pb2.ListServicesRequest(cluster="payments"))[0],
                                     grpc.StatusCode.OK)
                    self.assertEqual(call(mesh_channel, "/aws.ecs.v1.EcsService/ListServices",
                                          ecs_pb2.ListServicesRequest(cluster="orders"))[0],
                                     grpc.StatusCode.PERMISSION_DENIED)
                token = k8s_key.token({"iss": "https://kubernetes.default.svc.cluster.local",
                                       "sub": "system:serviceaccount:release:controller"})
                with channel() as plain_tls:
                    get_app = "/aws.appconfig.v1.AppConfigService/GetApplication"
                    request = appconfig_pb2.GetApplicationRequest(application_id="app1")
                    self.assertEqual(call(plain_tls, get_app, request, cs.bearer(token))[0],
                                     grpc.StatusCode.OK)
                    self.assertEqual(
                        call(plain_tls, get_app, request,
                             cs.bearer(token) + (("x-aws-region", "us-east-1"),))[0],
                        grpc.StatusCode.PERMISSION_DENIED)  # EU only
                    describe = "/aws.apprunner.v1.AppRunnerService/DescribeService"
                    arn = f"arn:aws:apprunner:eu-west-1:{ACCOUNT}:service/web/0123abcd"
                    self.assertEqual(
                        call(plain_tls, describe,
                             apprunner_pb2.DescribeServiceRequest(service_arn=arn),
                             (("x-api-key", "example-ci-key"),))[0], grpc.StatusCode.OK)
                    code, error = call(plain_tls, "/aws.apprunner.v1.AppRunnerService/DeleteService",
                                       apprunner_pb2.DeleteServiceRequest(service_arn=arn),
                                       (("x-api-key", "example-ci-key"),))
                    self.assertEqual(code, grpc.StatusCode.PERMISSION_DENIED)
                    self.assertEqual(error_info(error).metadata["statement"], "no-deletes")
                    self.assertEqual(call(plain_tls, describe,
                                          apprunner_pb2.DescribeServiceRequest(service_arn=arn))[0],
                                     grpc.StatusCode.UNAUTHENTICATED)
                self.assertEqual(gateway.stop(), 0)  # SIGTERM writes what the audit queued
            self.assertEqual(len(aws.requests), 3)
        with open(os.path.join(folder, "audit.jsonl"), encoding="utf-8") as f:
            decisions = [json.loads(line)["decision"] for line in f]
        self.assertEqual(sorted(set(decisions)), ["allow", "deny", "unauthenticated"])


class StartUpRulesTest(unittest.TestCase):

    def run_gateway(self, *args, timeout=30):
        return subprocess.run([GATEWAY, *args], capture_output=True, text=True, timeout=timeout,
                              env=clean_env(AWS_EC2_METADATA_DISABLED="true"))

    def write(self, text):
        folder = tempfile.mkdtemp(prefix="awsgw-e2e-startup-")
        path = os.path.join(folder, "gateway.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_a_non_loopback_listener_needs_caller_authentication(self):
        result = self.run_gateway("--listen", "0.0.0.0:0")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no caller authentication", result.stderr)
        opted_out = self.write("callers:\n  allow_unauthenticated: true\n")
        with GatewayProcess("--emulator", "--config", opted_out, listen="0.0.0.0:0") as gateway:
            self.assertIn("anonymous", gateway.serving["callers"])

    def test_an_open_loopback_gateway_says_so(self):
        with GatewayProcess("--emulator") as gateway:
            self.assertIn("not identified", gateway.serving["callers"])

    def test_bad_callers_settings_name_file_line_and_key(self):
        path = self.write("callers:\n  authentication:\n    api_keys:\n"
                          "      - sha256: not-a-hash\n        principal: x\n")
        result = self.run_gateway("--config", path)
        self.assertEqual(result.returncode, 2)
        self.assertIn("gateway.yaml:4: callers.authentication.api_keys[0].sha256", result.stderr)
        self.assertNotIn("not-a-hash", result.stderr)  # a hash is never quoted back

    def test_explain_names_the_deciding_statement(self):
        path = self.write(f"""\
region: us-east-1
callers:
  allow_unauthenticated: true
  account_id: "{ACCOUNT}"
  policy:
    - id: read-prod
      effect: allow
      principals: ["group:payments"]
      actions: ["ecs:Describe*"]
      resources: ["arn:aws:ecs:*:{ACCOUNT}:service/prod/*"]
""")
        resource = f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/web"
        allowed = self.run_gateway("--config", path, "--explain_principal", "alice",
                                   "--explain_groups", "payments", "--explain_action",
                                   "ecs:DescribeServices", "--explain_resource", resource)
        self.assertEqual(allowed.returncode, 0, allowed.stderr)
        answer = json.loads(allowed.stdout)
        self.assertEqual((answer["decision"], answer["statement"]), ("allow", "read-prod"))
        denied = self.run_gateway("--config", path, "--explain_principal", "alice",
                                  "--explain_action", "ecs:DescribeServices",
                                  "--explain_resource", resource)
        self.assertEqual(denied.returncode, 1)
        self.assertEqual(json.loads(denied.stdout)["decision"], "deny")


if __name__ == "__main__":
    unittest.main()
