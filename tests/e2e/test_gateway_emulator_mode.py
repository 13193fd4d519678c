"""End to end: `--emulator` mode, the README's first command's default. The
gateway runs the AWS emulator in its own process and sends every call there,
signed; the demo client (tools/demo_client.py) runs against it."""

import os
import subprocess
import sys
import unittest

import grpc

import callers_mode

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
sys.path.insert(0, PYTHON_OUT)

from gateway_process import GATEWAY, GatewayProcess, clean_env  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402
from aws.amplify.v1 import amplify_pb2, amplify_pb2_grpc  # noqa: E402

DEMO = os.path.join(HERE, "..", "..", "tools", "demo_client.py")


class EmulatorModeTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # Even with AWS settings around, --emulator sends nothing elsewhere.
        env = clean_env(AWS_ENDPOINT_URL="https://ecs.invalid", AWS_ACCESS_KEY_ID="AKIDELSEWHERE",
                        AWS_SECRET_ACCESS_KEY="elsewhere")
        cls.gateway = GatewayProcess("--emulator", env=env)
        cls.channel = grpc.insecure_channel(cls.gateway.address)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()

    def test_calls_are_answered_by_the_embedded_emulator(self):
        log = "".join(self.gateway.log)
        self.assertIn('"source":"embedded emulator"', log)
        self.assertEqual(self.gateway.serving["region"], "us-east-1")
        stub = ecs_pb2_grpc.EcsServiceStub(self.channel)
        stub.CreateCluster(ecs_pb2.CreateClusterRequest(cluster_name="mode-test"), timeout=10)
        arns = stub.ListClusters(ecs_pb2.ListClustersRequest(), timeout=10).cluster_arns
        self.assertIn("arn:aws:ecs:us-east-1:123456789012:cluster/mode-test", arns)

    def test_each_service_is_serving_by_name(self):
        # What `grpc_health_probe -service=aws.ecs.v1.EcsService` asks.
        check = self.channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=lambda service: b"\x0a" + bytes([len(service)]) + service.encode(),
            response_deserializer=lambda raw: raw)
        # HealthCheckResponse{status: SERVING}: field 1, varint 1.
        self.assertEqual(check("aws.ecs.v1.EcsService", timeout=10), b"\x08\x01")
        self.assertEqual(check("awsgw.watch.v1.WatchService", timeout=10), b"\x08\x01")

    def test_modeled_errors_come_back_as_grpc_statuses(self):
        with self.assertRaises(grpc.RpcError) as err:
            amplify_pb2_grpc.AmplifyServiceStub(self.channel).GetApp(
                amplify_pb2.GetAppRequest(app_id="d1missing"), timeout=10)
        self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_the_emulator_may_listen_on_every_address(self):
        # No AWS identity is at stake, so a container may publish it without
        # a callers section (deploy/Containerfile's --emulator example).
        with GatewayProcess("--emulator", listen="0.0.0.0:0", env=clean_env()) as gateway:
            self.assertTrue(gateway.serving["address"].startswith("0.0.0.0:"), gateway.serving)
        # Without --emulator the same listener is refused.
        refused = subprocess.run([GATEWAY, "--listen", "0.0.0.0:0"], capture_output=True,
                                 text=True, timeout=60, env=clean_env())
        self.assertEqual(refused.returncode, 2, refused.stderr)
        self.assertIn("no caller authentication", refused.stderr)

    def test_the_demo_client_runs(self):
        key = ["--api-key", callers_mode.API_KEY] if callers_mode.ENABLED else []
        result = subprocess.run(["/usr/bin/python3", DEMO, "--gateway", self.gateway.address, *key],
                                capture_output=True, text=True, timeout=120,
                                env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("App Runner  created demo-web: arn:aws:apprunner:us-east-1:", result.stdout)
        self.assertIn("arn:aws:ecs:us-east-1:123456789012:cluster/demo", result.stdout)
        self.assertIn("AppConfig   deployment #", result.stdout)


if __name__ == "__main__":
    unittest.main()
