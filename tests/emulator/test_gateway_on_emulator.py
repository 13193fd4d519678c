"""End to end with no AWS account: a grpcio client -> the real gateway ->
aws-emulator. The gateway signs with the emulator's generated key and reaches
it through AWS_ENDPOINT_URL, exactly as it reaches AWS; the emulator verifies
the signatures and answers from its store."""

import os
import sys
import unittest

import grpc

from emulator_process import REPO, EmulatorProcess

PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(REPO, "build", "python"))
sys.path.insert(0, PYTHON_OUT)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))

from gateway_process import GatewayProcess  # noqa: E402
from aws.amplify.v1 import amplify_pb2, amplify_pb2_grpc  # noqa: E402
from aws.appconfig.v1 import appconfig_pb2, appconfig_pb2_grpc  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402


def error_info(error):
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            info = error_details_pb2.ErrorInfo()
            status_pb2.Status.FromString(value).details[0].Unpack(info)
            return info
    return None


class GatewayOnEmulatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess(region="eu-west-1")
        cls.gateway = GatewayProcess(env=cls.emu.gateway_env())
        cls.channel = grpc.insecure_channel(cls.gateway.address)
        cls.ecs = ecs_pb2_grpc.EcsServiceStub(cls.channel)
        cls.amplify = amplify_pb2_grpc.AmplifyServiceStub(cls.channel)
        cls.appconfig = appconfig_pb2_grpc.AppConfigServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()
        cls.emu.stop()

    def test_ecs_cluster_through_the_gateway(self):
        created = self.ecs.CreateCluster(ecs_pb2.CreateClusterRequest(cluster_name="gw"), timeout=10)
        arn = created.cluster.cluster_arn
        self.assertEqual(arn, f"arn:aws:ecs:eu-west-1:{self.emu.account}:cluster/gw")
        listed = self.ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=10)
        self.assertIn(arn, listed.cluster_arns)
        described = self.ecs.DescribeClusters(ecs_pb2.DescribeClustersRequest(clusters=["gw"]),
                                              timeout=10)
        self.assertEqual(described.clusters[0].status, "ACTIVE")

    def test_modeled_not_found_becomes_grpc_not_found(self):
        with self.assertRaises(grpc.RpcError) as err:
            self.amplify.GetApp(amplify_pb2.GetAppRequest(app_id="dnosuchapp0000"), timeout=10)
        self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)
        info = error_info(err.exception)
        self.assertEqual(info.reason, "NotFoundException")
        self.assertEqual(info.domain, "amplify.amazonaws.com")
        self.assertEqual(info.metadata["http_status"], "404")

    def test_rest_json_with_201_and_204(self):
        app = self.appconfig.CreateApplication(
            appconfig_pb2.CreateApplicationRequest(name="through-gateway"), timeout=10)
        got = self.appconfig.GetApplication(
            appconfig_pb2.GetApplicationRequest(application_id=app.id), timeout=10)
        self.assertEqual(got.name, "through-gateway")
        self.appconfig.DeleteApplication(
            appconfig_pb2.DeleteApplicationRequest(application_id=app.id), timeout=10)
        with self.assertRaises(grpc.RpcError) as err:
            self.appconfig.GetApplication(
                appconfig_pb2.GetApplicationRequest(application_id=app.id), timeout=10)
        self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)


if __name__ == "__main__":
    unittest.main()
