"""End to end: the gateway's Prometheus metrics endpoint and per-call JSON
log lines, observed from outside: a real gRPC client, the real binary, a
loopback fake AWS, and an HTTP scrape of /metrics."""

import datetime
import json
import os
import re
import subprocess
import sys
import time
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
from awsgw.watch.v1 import watch_pb2, watch_pb2_grpc  # noqa: E402

SERVICE_ARN = "arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef"
# RFC 3339, UTC, with fractional seconds.
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


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

    def test_standard_process_series_and_build_info(self):
        text = self.scrape()
        for name in ("process_cpu_seconds_total", "process_resident_memory_bytes",
                     "process_virtual_memory_bytes", "process_open_fds", "process_max_fds",
                     "process_start_time_seconds"):
            self.assertIsNotNone(sample(text, name), name)
        self.assertGreater(sample(text, "process_resident_memory_bytes"), 1 << 20)
        self.assertGreater(sample(text, "process_open_fds"), 3)
        started = sample(text, "process_start_time_seconds")
        self.assertLess(abs(started - time.time()), 3600)
        info = [line for line in text.splitlines() if line.startswith("awsgw_build_info{")]
        self.assertEqual(len(info), 1, info)
        self.assertRegex(info[0], r'^awsgw_build_info\{version="\d+\.\d+\.\d+",revision="[^"]*"\} 1$')

    def test_watch_streams_are_counted_with_their_method(self):
        self.aws.script([Reply(400, {"__type": "ResourceNotFoundException", "Message": "gone"},
                               {"x-amzn-ErrorType": "ResourceNotFoundException"})])
        stream = watch_pb2_grpc.WatchServiceStub(self.channel).WatchAppRunnerService(
            watch_pb2.WatchAppRunnerServiceRequest(service_arn=SERVICE_ARN + "-counted"),
            timeout=30)
        with self.assertRaises(grpc.RpcError):
            list(stream)
        # The log line is written as the stream is counted, just before it ends.
        self.gateway.drain_log()
        self.assertGreaterEqual(sample(self.scrape(), "awsgw_calls_total", service="watch",
                                       method="WatchAppRunnerService", code="NOT_FOUND"), 1)

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
        self.assertIsInstance(line["latency_ms"], float)
        self.assertGreater(line["latency_ms"], 0)
        self.assertEqual(line["attempts"], 1)
        self.assertNotIn(SECRET, "".join(self.gateway.log))

    # Defect: lines had no time, numbers were strings ("latency_ms":"1.819")
    # and "watch" lines had no request id.
    def test_every_line_has_its_time_numbers_are_numbers_watch_lines_a_request_id(self):
        self.aws.script([Reply(400, {"__type": "ResourceNotFoundException", "Message": "gone"},
                               {"x-amzn-ErrorType": "ResourceNotFoundException"})])
        stream = watch_pb2_grpc.WatchServiceStub(self.channel).WatchAppRunnerService(
            watch_pb2.WatchAppRunnerServiceRequest(service_arn=SERVICE_ARN), timeout=30,
            metadata=[("x-request-id", "watch-trace-7")])
        with self.assertRaises(grpc.RpcError) as caught:
            list(stream)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)
        self.assertIn(("x-request-id", "watch-trace-7"), caught.exception.initial_metadata())
        self.gateway.wait_for_event("watch")
        lines = [json.loads(line) for line in self.gateway.log if line.startswith("{")]
        for line in lines:
            self.assertRegex(line["time"], RFC3339_UTC, line)
            stamp = datetime.datetime.strptime(line["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
            self.assertLess(abs(stamp - datetime.datetime.utcnow()), datetime.timedelta(hours=1))
            self.assertEqual(list(line)[:2], ["time", "level"])
        watch = next(line for line in lines if line.get("request_id") == "watch-trace-7")
        self.assertEqual(watch["msg"], "watch")
        self.assertEqual(watch["code"], "NOT_FOUND")
        self.assertIsInstance(watch["duration_ms"], float)
        self.assertIsInstance(watch["updates"], int)
        serving = next(line for line in lines if line.get("msg") == "serving")
        self.assertIsInstance(serving["methods"], int)
        self.assertGreater(serving["methods"], 200)
        limits = next(line for line in lines if line.get("msg") == "limits")
        self.assertIsInstance(limits["connections"], int)

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
