"""End to end: the --config file and the listener settings it drives, with
the real gateway binary and a real Python gRPC client.

Covers: an invalid file stops start-up with exit code 2 and one JSON error
line naming file, line and key (and never a secret); flags beat the file and
the file beats the environment; a TLS listener and a mutual-TLS listener
(with certificates made at test time by the openssl CLI) that refuses a
client without a certificate; max_receive_message_bytes and
max_send_message_bytes answering with RESOURCE_EXHAUSTED; and AWS settings
(a per-service endpoint above AWS_ENDPOINT_URL_<ID>, max_attempts) reaching
a fake AWS.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
PROTOC = os.environ.get("PROTOC", "protoc")

_FIXTURES = tempfile.mkdtemp(prefix="awsgw-e2e-config-")
subprocess.run([PROTOC, f"-I{HERE}/../../proto/grpc/health/v1", f"-I{HERE}/protos", f"--python_out={_FIXTURES}", "health.proto"],
               check=True)
sys.path[:0] = [_FIXTURES, PYTHON_OUT]

from fake_aws import FakeAws, Reply  # noqa: E402
from gateway_process import GATEWAY, GatewayProcess  # noqa: E402
import health_pb2  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402

# Far longer than a local call needs; only there so a broken gateway fails
# the test instead of hanging it.
CALL_TIMEOUT = 20


def no_aws_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}


# Health answers SERVING only once credentials are at hand; either answer
# shows the transport works.
ANSWERED = (health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING)


def health_check(channel, service=""):
    call = channel.unary_unary("/grpc.health.v1.Health/Check",
                               request_serializer=lambda m: m.SerializeToString(),
                               response_deserializer=health_pb2.HealthCheckResponse.FromString)
    return call(health_pb2.HealthCheckRequest(service=service), timeout=CALL_TIMEOUT)


def make_certificates(folder):
    """A test CA, a server certificate for localhost/127.0.0.1 and a client
    certificate, all signed by the CA (EC P-256: quick to make)."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=awsgw config test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, subject, extensions in [
            ("server", "/CN=localhost",
             "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
            ("client", "/CN=awsgw test client", "extendedKeyUsage=clientAuth\n")]:
        openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject)
        with open(os.path.join(folder, f"{name}.ext"), "w") as f:
            f.write("basicConstraints=CA:FALSE\n" + extensions)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem")


class ConfigTestCase(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="awsgw-config-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def write_config(self, text, name="gateway.yaml"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text).lstrip("\n"))
        return path

    def start(self, config, *args, **kwargs):
        gateway = GatewayProcess("--config", config, *args, env=kwargs.pop("env", no_aws_env()),
                                 **kwargs)
        self.addCleanup(gateway.__exit__)
        return gateway


class InvalidConfigTest(ConfigTestCase):

    def run_gateway(self, *args):
        return subprocess.run([GATEWAY, "--listen", "127.0.0.1:0", *args], capture_output=True,
                              text=True, timeout=60, env=no_aws_env())

    def assert_one_json_error(self, result):
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, result.stderr)
        event = json.loads(lines[0])
        self.assertEqual(event["level"], "error")
        self.assertEqual(event["msg"], "invalid configuration")
        self.assertNotIn("serving", result.stderr)
        return event["error"]

    def test_bad_value_names_file_line_and_key(self):
        path = self.write_config("""
            listen: "127.0.0.1:0"
            server:
              keepalive:
                time: fast
            """)
        error = self.assert_one_json_error(self.run_gateway("--config", path))
        self.assertEqual(error, f'{path}:4: server.keepalive.time: expected a duration like '
                                f'"30s" or "500ms", got "fast"')

    def test_unknown_key_suggests_the_known_one(self):
        path = self.write_config("""
            aws:
              retry:
                max_attempts: 3
              call_timeot: 5s
            """)
        error = self.assert_one_json_error(self.run_gateway("--config", path))
        self.assertEqual(error, f'{path}:4: aws.call_timeot: unknown key; did you mean '
                                f'"call_timeout"?')

    def test_malformed_yaml_and_missing_file(self):
        path = self.write_config("server: {keepalive: [\n")
        self.assertIn(f"{path}:2: invalid YAML",
                      self.assert_one_json_error(self.run_gateway("--config", path)))
        missing = os.path.join(self.dir, "missing.yaml")
        self.assertIn(missing, self.assert_one_json_error(self.run_gateway("--config", missing)))

    def test_secrets_are_not_echoed(self):
        secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
        path = self.write_config(f"""
            credentials:
              secret_access_key: {secret}
            """)
        result = self.run_gateway("--config", path)
        error = self.assert_one_json_error(result)
        self.assertIn("credentials", error)
        self.assertNotIn(secret, result.stderr)


class CheckConfigTest(ConfigTestCase):
    """--check_config: a start's verdict on the configuration, without serving."""

    def check(self, *args):
        return subprocess.run([GATEWAY, "--check_config", *args], capture_output=True, text=True,
                              timeout=60, env=no_aws_env())

    def assert_refused(self, result, msg):
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")
        event = json.loads(result.stderr.strip())
        self.assertEqual(event["msg"], msg)
        return event["error"]

    def test_the_example_files_pass(self):
        for name in ("gateway.yaml",):
            result = self.check("--config", os.path.join(HERE, "..", "..", "deploy", name))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(json.loads(result.stdout)["msg"], "configuration OK")

    def test_nothing_is_bound(self):
        # The port is held here: a check that tried to serve would fail on it.
        import socket
        holder = socket.socket()
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        self.addCleanup(holder.close)
        port = holder.getsockname()[1]
        path = self.write_config(f"""
            listen: "127.0.0.1:{port}"
            metrics:
              listen: "127.0.0.1:{port}"
            """)
        result = self.check("--config", path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["listen"], f"127.0.0.1:{port}")

    def test_an_unknown_key_names_file_line_and_key(self):
        path = self.write_config("""
            listen: "127.0.0.1:0"
            server:
              shutdown_grase: 5s
            """)
        error = self.assert_refused(self.check("--config", path), "invalid configuration")
        self.assertIn(f"{path}:3: server.shutdown_grase: unknown key", error)

    def test_an_open_listener_on_a_public_address_is_refused(self):
        path = self.write_config("""
            listen: "0.0.0.0:50051"
            """)
        error = self.assert_refused(self.check("--config", path), "cannot serve")
        self.assertIn("no caller authentication", error)
        # The flags are checked with the file, as a start would take them.
        self.assert_refused(self.check("--listen", "0.0.0.0:50051"), "cannot serve")

    def test_a_policy_file_that_would_not_load_is_refused(self):
        policy = self.write_config("""
            statements:
              - id: bad
                effect: perhaps
            """, name="policy.yaml")
        path = self.write_config("""
            listen: "0.0.0.0:50051"
            callers:
              allow_unauthenticated: true
              policy_file: policy.yaml
            """)
        error = self.assert_refused(self.check("--config", path), "invalid configuration")
        self.assertIn(policy, error)

    def test_callers_settings_a_start_would_refuse_are_refused(self):
        # A JWKS file that holds no keys, and an audit file that cannot be
        # written: a start stops on each, so the check does too (without
        # creating the audit file).
        jwks = self.write_config("not a key set", name="jwks.json")
        path = self.write_config(f"""
            listen: "0.0.0.0:50051"
            callers:
              authentication:
                jwt:
                  issuers:
                    - issuer: https://issuer.example
                      audiences: [gateway]
                      jwks_file: {jwks}
            """)
        error = self.assert_refused(self.check("--config", path), "invalid callers settings")
        self.assertIn("https://issuer.example", error)
        audit = os.path.join(self.dir, "missing-folder", "audit.jsonl")
        path = self.write_config(f"""
            listen: "0.0.0.0:50051"
            callers:
              allow_unauthenticated: true
              audit:
                file: {audit}
            """)
        error = self.assert_refused(self.check("--config", path), "invalid callers settings")
        self.assertIn(audit, error)
        self.assertFalse(os.path.exists(os.path.dirname(audit)))

    def test_unreadable_tls_files_are_refused(self):
        path = self.write_config("""
            server:
              tls:
                cert_file: missing.pem
                key_file: missing.key
            """)
        error = self.assert_refused(self.check("--config", path), "invalid configuration")
        self.assertIn("server.tls.cert_file", error)


class PrecedenceTest(ConfigTestCase):

    def test_file_listen_applies_without_the_flag(self):
        path = self.write_config('listen: "127.0.0.1:0"\n')
        gateway = self.start(path, listen=None)
        with grpc.insecure_channel(gateway.address) as channel:
            self.assertIn(health_check(channel).status, ANSWERED)

    def test_listen_flag_beats_the_file(self):
        # 192.0.2.1 (TEST-NET-1) is not an address of this machine: the
        # gateway could not listen there, so serving proves the flag won.
        path = self.write_config('listen: "192.0.2.1:50051"\n')
        gateway = self.start(path, listen="127.0.0.1:0")
        self.assertTrue(gateway.address.startswith("127.0.0.1:"), gateway.address)

    def test_region_flag_then_file_then_environment(self):
        path = self.write_config("region: eu-west-1\n")
        env = dict(no_aws_env(), AWS_REGION="us-west-2")
        self.assertEqual(self.start(path, env=env).serving["region"], "eu-west-1")
        self.assertEqual(self.start(path, "--region", "ap-south-1", env=env).serving["region"],
                         "ap-south-1")
        empty = self.write_config("server: {}\n", name="empty.yaml")
        self.assertEqual(self.start(empty, env=env).serving["region"], "us-west-2")

    def test_the_example_file_starts_the_gateway(self):
        example = os.path.join(HERE, "..", "..", "deploy", "gateway.yaml")
        gateway = self.start(example)  # with --listen 127.0.0.1:0 over the file's port
        self.assertEqual(gateway.serving["region"], "us-east-1")
        with grpc.insecure_channel(gateway.address) as channel:
            self.assertIn(health_check(channel).status, ANSWERED)
        self.assertEqual(gateway.stop(), 0)

    def test_static_credentials_in_the_file_come_first_in_the_chain(self):
        with FakeAws({"AKIDFROMFILE": "file/secret/key"}) as aws:
            aws.script([Reply(200, {"clusterArns": []})])
            path = self.write_config(f"""
                region: us-east-1
                credentials:
                  access_key_id: AKIDFROMFILE
                  secret_access_key: file/secret/key
                aws:
                  endpoint_url: {aws.url}
                """)
            env = dict(no_aws_env(), AWS_ACCESS_KEY_ID="AKIDENV", AWS_SECRET_ACCESS_KEY="env/key")
            gateway = self.start(path, env=env)
            self.assertIn('"source":"gateway config"', "".join(gateway.log))
            with grpc.insecure_channel(gateway.address) as channel:
                ecs_pb2_grpc.EcsServiceStub(channel).ListClusters(ecs_pb2.ListClustersRequest(),
                                                                  timeout=CALL_TIMEOUT)
            self.assertTrue(aws.requests[0].signature_ok, aws.requests[0].reason)
            self.assertIn("Credential=AKIDFROMFILE/", aws.requests[0].header("Authorization"))
            self.assertNotIn("file/secret/key", "".join(gateway.log))


class TlsBackendTest(ConfigTestCase):
    """HTTPS to AWS: the backend's certificate is verified against the system
    store plus http.extra_ca_file, never skipped."""

    @classmethod
    def setUpClass(cls):
        cls.certs = tempfile.mkdtemp(prefix="awsgw-backend-certs-")
        make_certificates(cls.certs)
        cls.aws = FakeAws({"AKIDTLS": "tls/secret"}, tls_cert=f"{cls.certs}/server.pem",
                          tls_key=f"{cls.certs}/server.key")

    @classmethod
    def tearDownClass(cls):
        cls.aws.close()
        shutil.rmtree(cls.certs, ignore_errors=True)

    def call_through(self, extra_ca):
        lines = ["region: us-east-1", "aws:", f"  endpoint_url: {self.aws.url}"]
        if extra_ca:
            lines += ["http:", f"  extra_ca_file: {self.certs}/ca.pem"]
        env = dict(no_aws_env(), AWS_ACCESS_KEY_ID="AKIDTLS", AWS_SECRET_ACCESS_KEY="tls/secret")
        gateway = self.start(self.write_config("\n".join(lines) + "\n"), env=env)
        with grpc.insecure_channel(gateway.address) as channel:
            return ecs_pb2_grpc.EcsServiceStub(channel).ListClusters(
                ecs_pb2.ListClustersRequest(), timeout=CALL_TIMEOUT)

    def test_backend_signed_by_the_extra_ca_is_trusted(self):
        self.aws.script([Reply(200, {"clusterArns": ["arn:aws:ecs:us-east-1:1:cluster/tls"]})])
        self.assertTrue(self.aws.url.startswith("https://localhost:"))
        response = self.call_through(extra_ca=True)
        self.assertEqual(list(response.cluster_arns), ["arn:aws:ecs:us-east-1:1:cluster/tls"])
        self.assertTrue(self.aws.requests[-1].signature_ok)

    def test_backend_with_an_unknown_ca_is_refused(self):
        before = len(self.aws.requests)
        with self.assertRaises(grpc.RpcError) as err:
            self.call_through(extra_ca=False)
        self.assertEqual(err.exception.code(), grpc.StatusCode.UNAVAILABLE)
        self.assertIn("TLS", err.exception.details())
        self.assertEqual(len(self.aws.requests), before)  # nothing reached it


class TlsListenerTest(ConfigTestCase):

    @classmethod
    def setUpClass(cls):
        cls.certs = tempfile.mkdtemp(prefix="awsgw-config-certs-")
        make_certificates(cls.certs)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.certs, ignore_errors=True)

    def read(self, name):
        with open(os.path.join(self.certs, name), "rb") as f:
            return f.read()

    def tls_config(self, mutual):
        lines = ["server:", "  tls:",
                 f"    cert_file: {self.certs}/server.pem",
                 f"    key_file: {self.certs}/server.key"]
        if mutual:
            lines.append(f"    client_ca_file: {self.certs}/ca.pem")
        return self.write_config("\n".join(lines) + "\n")

    def test_tls_listener_serves_a_tls_client(self):
        gateway = self.start(self.tls_config(mutual=False))
        self.assertEqual(gateway.serving["transport"], "tls")
        credentials = grpc.ssl_channel_credentials(root_certificates=self.read("ca.pem"))
        with grpc.secure_channel(gateway.address, credentials) as channel:
            self.assertIn(health_check(channel).status, ANSWERED)
        # A plaintext client cannot talk to a TLS listener.
        with grpc.insecure_channel(gateway.address) as channel:
            with self.assertRaises(grpc.RpcError) as err:
                health_check(channel)
            self.assertEqual(err.exception.code(), grpc.StatusCode.UNAVAILABLE)

    def test_mutual_tls_requires_a_client_certificate(self):
        gateway = self.start(self.tls_config(mutual=True))
        self.assertEqual(gateway.serving["transport"], "mtls")
        without_cert = grpc.ssl_channel_credentials(root_certificates=self.read("ca.pem"))
        with grpc.secure_channel(gateway.address, without_cert) as channel:
            with self.assertRaises(grpc.RpcError) as err:
                health_check(channel)
            self.assertEqual(err.exception.code(), grpc.StatusCode.UNAVAILABLE)

        with_cert = grpc.ssl_channel_credentials(root_certificates=self.read("ca.pem"),
                                                 private_key=self.read("client.key"),
                                                 certificate_chain=self.read("client.pem"))
        with grpc.secure_channel(gateway.address, with_cert) as channel:
            self.assertIn(health_check(channel).status, ANSWERED)


class MessageSizeTest(ConfigTestCase):

    def test_oversized_request_is_resource_exhausted(self):
        gateway = self.start(self.write_config("server:\n  max_receive_message_bytes: 1024\n"))
        with grpc.insecure_channel(gateway.address) as channel:
            # A request under the limit still gets through.
            self.assertIn(health_check(channel).status, ANSWERED)
            stub = ecs_pb2_grpc.EcsServiceStub(channel)
            with self.assertRaises(grpc.RpcError) as err:
                stub.ListClusters(ecs_pb2.ListClustersRequest(next_token="x" * 4096),
                                  timeout=CALL_TIMEOUT)
            self.assertEqual(err.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)



class AwsSettingsTest(ConfigTestCase):
    """The file's AWS-side settings, observed from a fake AWS."""

    KEY_ID, SECRET = "AKIDCONFIGTEST", "config/test/secret"

    def setUp(self):
        super().setUp()
        self.aws = FakeAws({self.KEY_ID: self.SECRET})
        self.addCleanup(self.aws.close)
        path = self.write_config(f"""
            region: us-east-1
            server:
              max_send_message_bytes: 512
            aws:
              endpoints:
                ecs: {self.aws.url}
              retry:
                max_attempts: 1
            """)
        # The environment points ECS at a closed port: only the file's
        # endpoint reaches the fake.
        env = dict(no_aws_env(), AWS_ACCESS_KEY_ID=self.KEY_ID, AWS_SECRET_ACCESS_KEY=self.SECRET,
                   AWS_ENDPOINT_URL_ECS="http://127.0.0.1:9")
        gateway = self.start(path, env=env)
        self.channel = grpc.insecure_channel(gateway.address)
        self.addCleanup(self.channel.close)
        self.ecs = ecs_pb2_grpc.EcsServiceStub(self.channel)

    def test_service_endpoint_from_the_file_beats_the_environment(self):
        self.aws.script([Reply(200, {"clusterArns": ["arn:aws:ecs:us-east-1:1:cluster/a"]})])
        response = self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=CALL_TIMEOUT)
        self.assertEqual(list(response.cluster_arns), ["arn:aws:ecs:us-east-1:1:cluster/a"])
        self.assertEqual(len(self.aws.requests), 1)
        self.assertTrue(self.aws.requests[0].signature_ok, self.aws.requests[0].reason)

    def test_max_attempts_one_means_no_retry(self):
        # A 500 is retryable; with the default of 3 attempts AWS would see 3.
        self.aws.script([Reply(500, {"__type": "InternalFailure", "message": "boom"})] * 3)
        with self.assertRaises(grpc.RpcError):
            self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=CALL_TIMEOUT)
        self.assertEqual(len(self.aws.requests), 1)

    def test_oversized_response_is_resource_exhausted(self):
        arns = [f"arn:aws:ecs:us-east-1:123456789012:cluster/{i:040d}" for i in range(20)]
        self.aws.script([Reply(200, {"clusterArns": arns})])
        with self.assertRaises(grpc.RpcError) as err:
            self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=CALL_TIMEOUT)
        self.assertEqual(err.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)


if __name__ == "__main__":
    unittest.main()
