"""End to end: the gateway's Prometheus metrics endpoint and per-call JSON
log lines, observed from outside: a real gRPC client, the real binary, a
loopback fake AWS, and an HTTP scrape of /metrics."""

import json
import os
import subprocess
import sys
import unittest
import urllib.error
import urllib.request

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
sys.path.insert(0, PYTHON_OUT)

from fake_aws import FakeAws, Reply  # noqa: E402
from gateway_process import GATEWAY, GatewayProcess, metric_sample as sample  # noqa: E402
from test_gateway_forwarding import KEY_ID, SECRET, signing_env  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402



class ObservabilityTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.aws = FakeAws({KEY_ID: SECRET})
        env = signing_env(cls.aws.url)
        cls.gateway = GatewayProcess("--metrics_listen", "127.0.0.1:0", env=env)
        cls.channel = grpc.insecure_channel(cls.gateway.address)
        cls.ecs = ecs_pb2_grpc.EcsServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()
        cls.aws.close()

    def setUp(self):
        self.aws.clear_script()

    def scrape(self, path="/metrics"):
        self.gateway.drain_log()
        events = [json.loads(line) for line in self.gateway.log if line.startswith("{")]
        address = next(e["address"] for e in events if e.get("msg") == "serving metrics")
        with urllib.request.urlopen(f"http://{address}{path}", timeout=10) as response:
            self.assertIn("text/plain", response.headers["Content-Type"])
            return response.read().decode("utf-8")

    def call_lines(self):
        self.gateway.drain_log()
        return [json.loads(line) for line in self.gateway.log
                if line.startswith("{") and json.loads(line).get("msg") == "call"]

    def test_calls_attempts_retries_and_throttles_are_counted(self):
        before = self.scrape()
        base_ok = sample(before, "awsgw_calls_total", service="ecs", method="ListClusters",
                         code="OK") or 0
        base_retries = sample(before, "awsgw_aws_retries_total", service="ecs") or 0
        self.aws.script([
            Reply(400, {"__type": "ThrottlingException", "message": "slow down"}),
            Reply(200, {"clusterArns": []}),
        ])
        self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=30)
        text = self.scrape()
        self.assertEqual(sample(text, "awsgw_calls_total", service="ecs", method="ListClusters",
                                code="OK"), base_ok + 1)
        self.assertEqual(sample(text, "awsgw_aws_retries_total", service="ecs"), base_retries + 1)
        self.assertGreaterEqual(sample(text, "awsgw_aws_throttles_total", service="ecs"), 1)
        self.assertGreaterEqual(sample(text, "awsgw_aws_attempts_total", service="ecs",
                                       outcome="4xx"), 1)
        self.assertGreaterEqual(sample(text, "awsgw_aws_attempts_total", service="ecs",
                                       outcome="2xx"), 1)
        # Histograms: +Inf bucket equals the count.
        self.assertEqual(
            sample(text, "awsgw_call_duration_seconds_bucket", service="ecs",
                   method="ListClusters", le="+Inf"),
            sample(text, "awsgw_call_duration_seconds_count", service="ecs",
                   method="ListClusters"))
        self.assertGreaterEqual(sample(text, "awsgw_credential_fetches_total"), 1)
        self.assertIsNotNone(sample(text, "awsgw_http_connections_idle"))
        self.assertNotIn(SECRET, text)

    def test_failed_calls_are_counted_by_code(self):
        self.aws.script([Reply(400, {"__type": "ClusterNotFoundException", "message": "gone"})])
        with self.assertRaises(grpc.RpcError):
            self.ecs.DescribeClusters(ecs_pb2.DescribeClustersRequest(clusters=["x"]), timeout=30)
        self.assertGreaterEqual(sample(self.scrape(), "awsgw_calls_total", service="ecs",
                                       method="DescribeClusters", code="NOT_FOUND"), 1)

    def test_request_id_is_propagated_logged_and_echoed(self):
        self.aws.script([Reply(200, {"clusterArns": []})])
        _, call = self.ecs.ListClusters.with_call(
            ecs_pb2.ListClustersRequest(), timeout=30,
            metadata=[("x-request-id", "trace-abc-123")])
        self.assertIn(("x-request-id", "trace-abc-123"), call.initial_metadata())
        lines = [line for line in self.call_lines() if line["request_id"] == "trace-abc-123"]
        self.assertEqual(len(lines), 1, self.gateway.log)
        line = lines[0]
        self.assertEqual(line["method"], "/aws.ecs.v1.EcsService/ListClusters")
        self.assertEqual(line["code"], "OK")
        self.assertEqual(line["level"], "info")
        self.assertTrue(line["aws_request_id"].startswith("req-"))
        self.assertGreater(float(line["latency_ms"]), 0)
        self.assertNotIn(SECRET, "".join(self.gateway.log))

    def test_a_request_id_is_made_up_when_absent_or_unusable(self):
        for metadata in ([], [("x-request-id", "x" * 200)]):
            self.aws.script([Reply(200, {"clusterArns": []})])
            _, call = self.ecs.ListClusters.with_call(ecs_pb2.ListClustersRequest(), timeout=30,
                                                      metadata=metadata)
            echoed = dict(call.initial_metadata())["x-request-id"]
            self.assertRegex(echoed, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-")

    def test_other_paths_are_not_found(self):
        with self.assertRaises(urllib.error.HTTPError) as err:
            self.scrape("/")
        self.assertEqual(err.exception.code, 404)


class LogLevelTest(unittest.TestCase):

    def test_warn_level_logs_only_failed_calls(self):
        with FakeAws({KEY_ID: SECRET}) as aws:
            env = signing_env(aws.url)
            aws.script([Reply(200, {"clusterArns": []}),
                        Reply(400, {"__type": "ClientException", "message": "bad"})])
            with GatewayProcess("--log_level", "warn", env=env) as gateway, \
                    grpc.insecure_channel(gateway.address) as channel:
                ecs = ecs_pb2_grpc.EcsServiceStub(channel)
                ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=30)
                with self.assertRaises(grpc.RpcError):
                    ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=30)
                gateway.stop()
                calls = [json.loads(line) for line in gateway.log
                         if '"msg":"call"' in line]
                self.assertEqual([c["code"] for c in calls], ["INVALID_ARGUMENT"])
                self.assertEqual(calls[0]["level"], "warn")
                self.assertIn("ClientException", calls[0]["error"])

    def test_bad_log_level_is_refused(self):
        result = subprocess.run([GATEWAY, "--log_level", "loud"], capture_output=True, text=True,
                                timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--log_level must be debug, info, warn or error", result.stderr)


if __name__ == "__main__":
    unittest.main()
