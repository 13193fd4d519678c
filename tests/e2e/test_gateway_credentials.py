"""Black box: the gateway binary started with exactly one credential source
signs a real call to a loopback AWS with exactly that source's credentials.

Sources: environment (with session token), a profile in a credentials file,
credential_process, role_arn + source_profile (STS AssumeRole), web identity
(STS AssumeRoleWithWebIdentity), the container endpoint and IMDSv2 - the
last three served by loopback fakes (fake_credentials.py). Also: the chain's
order, health readiness, broken settings refused at start-up, and broken
endpoints reported as clear UNAVAILABLE errors without leaking secrets.
"""

import os
import sys
import tempfile
import time
import unittest

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
sys.path.insert(0, PYTHON_OUT)

from fake_aws import FakeAws, Reply  # noqa: E402
from fake_credentials import CONTAINER_PATH, FakeCredentialEndpoints  # noqa: E402
from gateway_process import GatewayProcess, clean_env  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402

ISSUED = ("ASIAISSUEDBYFAKE", "issued/secret+key", "issued-session-token")
ROLE_ARN = "arn:aws:iam::123456789012:role/gateway"


def base_env(**extra):
    return clean_env(AWS_REGION="us-east-1", **extra)


class CredentialSourcesTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def assert_signs_with(self, env, akid, secret, token=None):
        """Starts the gateway with `env`, calls ECS ListClusters, and checks
        the request AWS got was signed by `akid` (with `token` if given)."""
        with FakeAws({akid: secret}) as aws:
            aws.script([Reply(200, {"clusterArns": ["arn:aws:ecs:us-east-1:1:cluster/c"]})])
            env = dict(env, AWS_ENDPOINT_URL_ECS=aws.url)
            with GatewayProcess(env=env) as gateway, \
                    grpc.insecure_channel(gateway.address) as channel:
                response = ecs_pb2_grpc.EcsServiceStub(channel).ListClusters(
                    ecs_pb2.ListClustersRequest(), timeout=30)
                self.assertEqual(list(response.cluster_arns),
                                 ["arn:aws:ecs:us-east-1:1:cluster/c"])
                self.assertEqual(len(aws.requests), 1)
                request = aws.requests[0]
                self.assertTrue(request.signature_ok, request.reason)
                self.assertIn(f"Credential={akid}/", request.header("Authorization"))
                self.assertEqual(request.header("X-Amz-Security-Token"), token)
                log = "".join(gateway.log)
                self.assertNotIn(secret, log)
                if token:
                    self.assertNotIn(token, log)
                return gateway

    def test_environment_with_session_token(self):
        self.assert_signs_with(
            base_env(AWS_ACCESS_KEY_ID="ASIAENVIRONMENT", AWS_SECRET_ACCESS_KEY="env/secret",
                     AWS_SESSION_TOKEN="env-token"),
            "ASIAENVIRONMENT", "env/secret", "env-token")

    def test_profile_in_credentials_file(self):
        credentials = self.write("credentials", (
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = wrong\n"
            "[dev]\naws_access_key_id = AKIDPROFILE\n"
            "aws_secret_access_key = profile/secret ; comment\n"))
        self.assert_signs_with(
            base_env(AWS_SHARED_CREDENTIALS_FILE=credentials, AWS_PROFILE="dev"),
            "AKIDPROFILE", "profile/secret")

    def test_credential_process(self):
        config = self.write("config", (
            "[profile proc]\ncredential_process = printf '{\"Version\": 1, "
            "\"AccessKeyId\": \"ASIAPROCESS\", \"SecretAccessKey\": \"process/secret\", "
            "\"SessionToken\": \"process-token\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n"))
        self.assert_signs_with(base_env(AWS_CONFIG_FILE=config, AWS_PROFILE="proc"),
                               "ASIAPROCESS", "process/secret", "process-token")

    def test_container_endpoint_with_token_file(self):
        token_file = self.write("container-token", "container-auth-token\n")
        with FakeCredentialEndpoints(ISSUED,
                                     container_authorization="container-auth-token") as fake:
            self.assert_signs_with(
                base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=fake.url + CONTAINER_PATH,
                         AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=token_file), *ISSUED)
            self.assertIn(("GET", CONTAINER_PATH), fake.paths())

    def test_imds_v2(self):
        with FakeCredentialEndpoints(ISSUED) as fake:
            self.assert_signs_with(
                base_env(AWS_EC2_METADATA_DISABLED="false",
                         AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.url), *ISSUED)
            paths = fake.paths()
            # Token first (IMDSv2), then the role, then its credentials.
            self.assertEqual(paths[:3], [
                ("PUT", "/latest/api/token"),
                ("GET", "/latest/meta-data/iam/security-credentials/"),
                ("GET", "/latest/meta-data/iam/security-credentials/gateway-role")])

    def test_web_identity(self):
        token_file = self.write("web-token", "eyJ.web.identity\n")
        with FakeCredentialEndpoints(ISSUED, web_identity_token="eyJ.web.identity") as fake:
            self.assert_signs_with(
                base_env(AWS_WEB_IDENTITY_TOKEN_FILE=token_file, AWS_ROLE_ARN=ROLE_ARN,
                         AWS_ROLE_SESSION_NAME="s1", AWS_ENDPOINT_URL_STS=fake.url), *ISSUED)
            method, path, headers, body = fake.requests[0]
            self.assertEqual((method, path), ("POST", "/"))
            self.assertIn(b"Action=AssumeRoleWithWebIdentity", body)
            self.assertIn(b"RoleSessionName=s1", body)
            self.assertNotIn("Authorization", headers)  # unsigned by design

    def test_assume_role_with_source_profile(self):
        config = self.write("config", (
            f"[profile base]\naws_access_key_id = AKIDSOURCE\n"
            f"aws_secret_access_key = source/secret\n"
            f"[profile deploy]\nrole_arn = {ROLE_ARN}\nsource_profile = base\n"
            f"external_id = ext-1\nregion = eu-west-1\n"))
        source = {"AKIDSOURCE": "source/secret"}
        with FakeCredentialEndpoints(ISSUED, sts_source_credentials=source) as fake:
            env = base_env(AWS_CONFIG_FILE=config, AWS_PROFILE="deploy",
                           AWS_ENDPOINT_URL_STS=fake.url)
            self.assert_signs_with(env, *ISSUED)
            method, path, headers, body = fake.requests[0]
            self.assertIn(b"Action=AssumeRole&", body)
            self.assertIn(b"ExternalId=ext-1", body)
            # Signed by the source profile, scoped to the profile's region.
            self.assertIn("Credential=AKIDSOURCE/", headers["Authorization"])
            self.assertIn("/eu-west-1/sts/aws4_request", headers["Authorization"])

    def test_environment_comes_before_profiles(self):
        credentials = self.write("credentials",
                                 "[default]\naws_access_key_id = AKIDPROFILE\n"
                                 "aws_secret_access_key = profile/secret\n")
        self.assert_signs_with(
            base_env(AWS_SHARED_CREDENTIALS_FILE=credentials, AWS_ACCESS_KEY_ID="AKIDENV",
                     AWS_SECRET_ACCESS_KEY="environment/secret"), "AKIDENV", "environment/secret")

    def test_region_from_profile(self):
        config = self.write("config", "[default]\nregion = eu-central-1\n")
        env = base_env(AWS_CONFIG_FILE=config, AWS_ACCESS_KEY_ID="AKIDENV",
                       AWS_SECRET_ACCESS_KEY="e")
        del env["AWS_REGION"]
        with GatewayProcess(env=env) as gateway:
            self.assertIn('"region":"eu-central-1"', "".join(gateway.log))


class ReadinessAndErrorsTest(unittest.TestCase):

    def health(self, address):
        sys.path.insert(0, HERE)
        from test_gateway_server import health_pb2, unary
        with grpc.insecure_channel(address) as channel:
            return unary(channel, "/grpc.health.v1.Health/Check",
                         health_pb2.HealthCheckRequest(), health_pb2.HealthCheckResponse).status

    def test_health_turns_serving_once_credentials_are_fetched(self):
        with FakeCredentialEndpoints(ISSUED) as fake:
            env = base_env(AWS_EC2_METADATA_DISABLED="false",
                           AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.url)
            with GatewayProcess(env=env) as gateway:
                deadline = time.monotonic() + 20
                status = None
                while time.monotonic() < deadline:
                    status = self.health(gateway.address)
                    if status == 1:  # SERVING
                        break
                    time.sleep(0.1)
                self.assertEqual(status, 1)

    def test_broken_settings_stop_start_up_with_the_setting_named(self):
        cases = [
            (base_env(AWS_PROFILE="nope", AWS_CONFIG_FILE="/nonexistent"),
             "profile 'nope' is not in the shared config files"),
            (base_env(AWS_ACCESS_KEY_ID="AKID"),
             "AWS_SECRET_ACCESS_KEY is not set while AWS_ACCESS_KEY_ID is"),
            (base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI="http://example.com/creds"),
             "AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        ]
        for env, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(RuntimeError) as err:
                    GatewayProcess(env=env)
                self.assertIn(message, str(err.exception))
                self.assertIn("exited (2)", str(err.exception))

    def test_broken_endpoints_fail_calls_clearly(self):
        cases = [
            ("bad-json", {}, "instance metadata (IMDSv2): the answer is not valid JSON"),
            ("http-500", {}, "instance metadata (IMDSv2): HTTP 500"),
            ("no-role", {}, "the instance has no IAM role attached"),
        ]
        for broken, extra, message in cases:
            with self.subTest(broken=broken), FakeCredentialEndpoints(ISSUED, broken=broken) \
                    as fake:
                env = base_env(AWS_EC2_METADATA_DISABLED="false",
                               AWS_EC2_METADATA_SERVICE_ENDPOINT=fake.url,
                               AWS_ENDPOINT_URL_ECS="http://127.0.0.1:9", **extra)
                with GatewayProcess(env=env) as gateway, \
                        grpc.insecure_channel(gateway.address) as channel:
                    with self.assertRaises(grpc.RpcError) as err:
                        ecs_pb2_grpc.EcsServiceStub(channel).ListClusters(
                            ecs_pb2.ListClustersRequest(), timeout=30)
                    self.assertEqual(err.exception.code(), grpc.StatusCode.UNAVAILABLE)
                    self.assertIn(message, err.exception.details())
                    self.assertNotIn(ISSUED[1], err.exception.details())

    def test_sts_denial_is_reported(self):
        token_file = os.path.join(tempfile.mkdtemp(), "t")
        with open(token_file, "w") as f:
            f.write("jwt")
        with FakeCredentialEndpoints(ISSUED, web_identity_token="jwt", broken="sts-denied") as fake:
            env = base_env(AWS_WEB_IDENTITY_TOKEN_FILE=token_file, AWS_ROLE_ARN=ROLE_ARN,
                           AWS_ENDPOINT_URL_STS=fake.url,
                           AWS_ENDPOINT_URL_ECS="http://127.0.0.1:9")
            with GatewayProcess(env=env) as gateway, \
                    grpc.insecure_channel(gateway.address) as channel:
                with self.assertRaises(grpc.RpcError) as err:
                    ecs_pb2_grpc.EcsServiceStub(channel).ListClusters(
                        ecs_pb2.ListClustersRequest(), timeout=30)
                self.assertEqual(err.exception.code(), grpc.StatusCode.UNAVAILABLE)
                self.assertIn("STS AssumeRoleWithWebIdentity failed: AccessDenied",
                              err.exception.details())


if __name__ == "__main__":
    unittest.main()
