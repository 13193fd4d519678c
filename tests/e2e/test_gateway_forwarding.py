"""End to end: Python grpcio client -> the real gateway -> a loopback server
playing AWS, which checks every request's SigV4 signature.

Covers an awsJson1_1 (ECS), an awsJson1_0 (App Runner) and restJson1
(AppConfig) operations with labels, query, headers, blob payloads and 204
answers; AWS errors mapped to gRPC statuses with their details; retries of
throttling; deadlines; and requests refused before anything is sent.
"""

import json
import os
import sys
import time
import unittest

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
sys.path.insert(0, PYTHON_OUT)

from fake_aws import FakeAws, Reply  # noqa: E402
from gateway_process import GatewayProcess, clean_env  # noqa: E402
from aws.appconfig.v1 import appconfig_pb2, appconfig_pb2_grpc  # noqa: E402
from aws.apprunner.v1 import apprunner_pb2, apprunner_pb2_grpc  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402

KEY_ID, SECRET = "AKIDGATEWAYTEST", "gateway/test/secret+key"


def signing_env(aws_url):
    """Credentials the fake knows, and every service pointed at it."""
    return clean_env(AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET,
                     AWS_REGION="us-east-1", AWS_ENDPOINT_URL=aws_url)


def details(error):
    """The google.rpc.Status a gRPC error carries."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            return status_pb2.Status.FromString(value)
    return None


class ForwardingTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.aws = FakeAws({KEY_ID: SECRET})
        cls.gateway = GatewayProcess(env=signing_env(cls.aws.url))
        cls.channel = grpc.insecure_channel(cls.gateway.address)
        cls.ecs = ecs_pb2_grpc.EcsServiceStub(cls.channel)
        cls.apprunner = apprunner_pb2_grpc.AppRunnerServiceStub(cls.channel)
        cls.appconfig = appconfig_pb2_grpc.AppConfigServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()
        cls.aws.close()

    def setUp(self):
        self.aws.requests.clear()

    def test_aws_json_1_1_call_is_signed_and_translated(self):
        self.aws.script([Reply(200, {"clusterArns": ["arn:aws:ecs:us-east-1:1:cluster/a"],
                                     "nextToken": "t2"})])
        response, call = self.ecs.ListClusters.with_call(
            ecs_pb2.ListClustersRequest(max_results=0, next_token="t1"), timeout=10)
        self.assertEqual(list(response.cluster_arns), ["arn:aws:ecs:us-east-1:1:cluster/a"])
        self.assertEqual(response.next_token, "t2")
        (req,) = self.aws.requests
        self.assertTrue(req.signature_ok, req.reason)
        self.assertEqual((req.method, req.path), ("POST", "/"))
        self.assertEqual(req.header("X-Amz-Target"),
                         "AmazonEC2ContainerServiceV20141113.ListClusters")
        self.assertEqual(req.header("Content-Type"), "application/x-amz-json-1.1")
        # An explicitly set zero is sent; proto3 optional keeps it apart from unset.
        self.assertEqual(req.json(), {"maxResults": 0, "nextToken": "t1"})
        self.assertIn(("x-amzn-requestid", "req-1"), call.trailing_metadata())

    def test_aws_json_1_0_call(self):
        self.aws.script([Reply(200, {"ServiceSummaryList": [
            {"ServiceName": "web", "Status": "RUNNING", "CreatedAt": 1700000000.5}]})])
        response = self.apprunner.ListServices(apprunner_pb2.ListServicesRequest(), timeout=10)
        summary = response.service_summary_list[0]
        self.assertEqual(summary.service_name, "web")
        self.assertEqual(summary.status, apprunner_pb2.SERVICE_STATUS_RUNNING)
        self.assertEqual((summary.created_at.seconds, summary.created_at.nanos),
                         (1700000000, 500000000))
        (req,) = self.aws.requests
        self.assertTrue(req.signature_ok, req.reason)
        self.assertEqual(req.header("Content-Type"), "application/x-amz-json-1.0")
        self.assertEqual(req.json(), {})

    def test_rest_json_labels_query_headers_and_blob_payloads(self):
        self.aws.script([Reply(201, b"\x00binary config\xff", {
            "Application-Id": "app 1", "Configuration-Profile-Id": "prof",
            "Version-Number": "7", "Content-Type": "application/octet-stream"})])
        response = self.appconfig.CreateHostedConfigurationVersion(
            appconfig_pb2.CreateHostedConfigurationVersionRequest(
                application_id="app 1", configuration_profile_id="prof/x",
                content=b"\x00binary config\xff", content_type="application/octet-stream",
                latest_version_number=6, description="first"), timeout=10)
        self.assertEqual(response.version_number, 7)
        self.assertEqual(response.content, b"\x00binary config\xff")
        self.assertEqual(response.application_id, "app 1")
        (req,) = self.aws.requests
        self.assertTrue(req.signature_ok, req.reason)
        self.assertEqual(req.method, "POST")
        self.assertEqual(req.path, "/applications/app%201/configurationprofiles/prof%2Fx/"
                                   "hostedconfigurationversions")
        self.assertEqual(req.body, b"\x00binary config\xff")
        self.assertEqual(req.header("Latest-Version-Number"), "6")
        self.assertEqual(req.header("Description"), "first")

    def test_rest_json_204_and_query(self):
        self.aws.script([Reply(204), Reply(200, {"Items": [{"Id": "a1", "Name": "one"}]})])
        self.appconfig.DeleteApplication(
            appconfig_pb2.DeleteApplicationRequest(application_id="a1"), timeout=10)
        listed = self.appconfig.ListApplications(
            appconfig_pb2.ListApplicationsRequest(max_results=5, next_token="n/1"), timeout=10)
        self.assertEqual(listed.items[0].name, "one")
        delete, lst = self.aws.requests
        self.assertEqual((delete.method, delete.path), ("DELETE", "/applications/a1"))
        self.assertEqual(lst.query, "max_results=5&next_token=n%2F1")
        self.assertTrue(delete.signature_ok and lst.signature_ok)

    def test_aws_errors_become_grpc_statuses_with_details(self):
        self.aws.script([Reply(400, {"__type": "ClusterNotFoundException",
                                     "message": "Cluster not found."})])
        with self.assertRaises(grpc.RpcError) as err:
            self.ecs.DescribeServices(ecs_pb2.DescribeServicesRequest(
                cluster="nope", services=["web"]), timeout=10)
        self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)
        self.assertIn("Cluster not found.", err.exception.details())
        status = details(err.exception)
        info = error_details_pb2.ErrorInfo()
        self.assertTrue(status.details[0].Unpack(info))
        self.assertEqual(info.reason, "ClusterNotFoundException")
        self.assertEqual(info.domain, "ecs.amazonaws.com")
        self.assertEqual(info.metadata["aws_request_id"], "req-1")
        typed = ecs_pb2.ClusterNotFoundException()
        self.assertTrue(status.details[-1].Unpack(typed))
        self.assertEqual(typed.message, "Cluster not found.")

    def test_throttling_is_retried_then_succeeds(self):
        self.aws.script([Reply(400, {"__type": "ThrottlingException", "message": "Rate exceeded"}),
                         Reply(200, {"clusterArns": []})])
        self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=20)
        self.assertEqual(len(self.aws.requests), 2)
        self.assertTrue(all(r.signature_ok for r in self.aws.requests))

    def test_client_errors_are_not_retried(self):
        self.aws.script([Reply(400, {"__type": "InvalidParameterException", "message": "bad"})])
        with self.assertRaises(grpc.RpcError) as err:
            self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=10)
        self.assertEqual(err.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(len(self.aws.requests), 1)

    def test_deadline_bounds_the_call(self):
        self.aws.script([Reply(200, {"clusterArns": []}, delay=3.0)])
        start = time.monotonic()
        with self.assertRaises(grpc.RpcError) as err:
            self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=0.5)
        self.assertEqual(err.exception.code(), grpc.StatusCode.DEADLINE_EXCEEDED)
        self.assertLess(time.monotonic() - start, 2.5)

    def test_invalid_requests_never_reach_aws(self):
        with self.assertRaises(grpc.RpcError) as err:
            self.ecs.CreateService(ecs_pb2.CreateServiceRequest(), timeout=10)
        self.assertEqual(err.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("service_name", err.exception.details())
        with self.assertRaises(grpc.RpcError) as err:
            self.appconfig.GetApplication(appconfig_pb2.GetApplicationRequest(), timeout=10)
        self.assertEqual(err.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("application_id", err.exception.details())
        with self.assertRaises(grpc.RpcError) as err:
            self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=10,
                                  metadata=[("x-aws-region", "us-east-1.evil.example")])
        self.assertEqual(err.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(self.aws.requests, [])

    def test_secrets_never_appear_in_logs(self):
        self.aws.script([Reply(200, {"clusterArns": []})])
        self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=10)
        self.assertNotIn(SECRET, "".join(self.gateway.log))


class ConnectionFailuresTest(unittest.TestCase):
    """What the backend's connections do to a call: stale keep-alive
    connections, answers cut short, callers who give up, an exhausted retry
    quota."""

    def setUp(self):
        self.aws = FakeAws({KEY_ID: SECRET})
        self.addCleanup(self.aws.close)
        env = signing_env(self.aws.url)
        self.gateway = GatewayProcess(env=env)
        self.addCleanup(self.gateway.__exit__)
        self.channel = grpc.insecure_channel(self.gateway.address)
        self.addCleanup(self.channel.close)
        self.ecs = ecs_pb2_grpc.EcsServiceStub(self.channel)

    def test_stale_keep_alive_connection_is_replaced(self):
        # The first answer closes its connection without a Connection: close
        # header; the gateway's next call finds the pooled connection dead.
        self.aws.script([Reply(200, {"clusterArns": ["a"]}, drop=True),
                         Reply(200, {"clusterArns": ["b"]})])
        self.assertEqual(list(self.ecs.ListClusters(ecs_pb2.ListClustersRequest(),
                                                    timeout=30).cluster_arns), ["a"])
        time.sleep(0.2)  # let the close reach the gateway's socket
        self.assertEqual(list(self.ecs.ListClusters(ecs_pb2.ListClustersRequest(),
                                                    timeout=30).cluster_arns), ["b"])
        self.assertEqual(len(self.aws.requests), 2)
        self.assertEqual(self.aws.connections, 2)

    def test_answer_cut_short_is_retried_when_safe(self):
        self.aws.script([Reply(200, {"clusterArns": ["cut"]}, truncate=5),
                         Reply(200, {"clusterArns": ["whole"]})])
        response = self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=30)
        self.assertEqual(list(response.cluster_arns), ["whole"])
        self.assertEqual(len(self.aws.requests), 2)

    def test_answer_cut_short_is_not_resent_when_unsafe(self):
        # CreateCluster is neither idempotent nor carries a token: it may have
        # taken effect, so the gateway must not send it twice.
        self.aws.script([Reply(200, {"cluster": {"clusterName": "c"}}, truncate=5)])
        with self.assertRaises(grpc.RpcError) as err:
            self.ecs.CreateCluster(ecs_pb2.CreateClusterRequest(cluster_name="c"), timeout=30)
        self.assertEqual(err.exception.code(), grpc.StatusCode.UNAVAILABLE)
        self.assertEqual(len(self.aws.requests), 1)

    def test_client_cancellation_aborts_the_aws_request(self):
        self.aws.script([Reply(200, {"clusterArns": []}, delay=5)])
        future = self.ecs.ListClusters.future(ecs_pb2.ListClustersRequest(), timeout=30)
        deadline = time.monotonic() + 10
        while not self.aws.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertEqual(len(self.aws.requests), 1)
        future.cancel()
        self.assertTrue(future.cancelled())
        deadline = time.monotonic() + 10
        codes = []
        while time.monotonic() < deadline and "CANCELLED" not in codes:
            self.gateway.drain_log(0.05)
            codes = [json.loads(line).get("code") for line in self.gateway.log
                     if '"msg":"call"' in line]
        self.assertEqual(codes, ["CANCELLED"])

    def test_retry_quota_exhaustion_stops_retries(self):
        # Every answer is a retryable 500. The quota (500 tokens, 5 per retry)
        # grants 100 retries across all callers, then calls fail on their first
        # attempt instead of multiplying the load.
        calls = 60
        futures = [self.ecs.ListClusters.future(ecs_pb2.ListClustersRequest(), timeout=60)
                   for _ in range(calls)]
        for future in futures:
            with self.assertRaises(grpc.RpcError):
                future.result()
        self.assertEqual(len(self.aws.requests), calls + 100)
        self.aws.requests.clear()
        with self.assertRaises(grpc.RpcError):
            self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=30)
        self.assertEqual(len(self.aws.requests), 1)


class AdaptiveRetryModeTest(unittest.TestCase):

    def test_throttled_calls_are_paced_and_still_succeed(self):
        with FakeAws({KEY_ID: SECRET}) as aws:
            env = signing_env(aws.url)
            throttle = Reply(400, {"__type": "ThrottlingException", "message": "Rate exceeded"})
            ok = Reply(200, {"clusterArns": []})
            aws.script([throttle, ok] * 5)
            with GatewayProcess("--retry_mode", "adaptive", env=env) as gateway, \
                    grpc.insecure_channel(gateway.address) as channel:
                ecs = ecs_pb2_grpc.EcsServiceStub(channel)
                for _ in range(5):
                    ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=30)
                self.assertEqual(len(aws.requests), 10)
                self.assertTrue(all(r.signature_ok for r in aws.requests))

    def test_unknown_mode_is_refused(self):
        from gateway_process import GATEWAY
        import subprocess
        result = subprocess.run([GATEWAY, "--retry_mode", "eager"], capture_output=True,
                                text=True, timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--retry_mode must be standard or adaptive", result.stderr)


class NoCredentialsTest(unittest.TestCase):

    def test_calls_fail_unavailable_without_credentials(self):
        with FakeAws({KEY_ID: SECRET}) as aws:
            env = clean_env(AWS_REGION="us-east-1", AWS_ENDPOINT_URL=aws.url)
            with GatewayProcess(env=env) as gateway, \
                    grpc.insecure_channel(gateway.address) as channel:
                with self.assertRaises(grpc.RpcError) as err:
                    ecs_pb2_grpc.EcsServiceStub(channel).ListClusters(
                        ecs_pb2.ListClustersRequest(), timeout=10)
                self.assertEqual(err.exception.code(), grpc.StatusCode.UNAVAILABLE)
                self.assertIn("AWS_ACCESS_KEY_ID", err.exception.details())
                self.assertEqual(aws.requests, [])


if __name__ == "__main__":
    unittest.main()
