"""End to end: a real Python gRPC client against the real gateway binary.

Covers what the server does before any AWS call is made: it serves every
generated service, answers health checks, exposes every action through
server reflection (so dynamic clients can discover and call them), and shuts
down cleanly on SIGTERM.
"""

import os
import signal
import subprocess
import sys
import tempfile
import unittest

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
PROTOC = os.environ.get("PROTOC", "protoc")

# Client messages for health and reflection (the gateway's own protos),
# compiled under bare file names so that they do not shadow the grpc package.
# Reflection v1alpha has the same messages as v1, so one set serves both.
_FIXTURES = tempfile.mkdtemp(prefix="awsgw-e2e-py-")
subprocess.run([PROTOC, f"-I{HERE}/../../proto/grpc/health/v1",
                f"-I{HERE}/../../proto/grpc/reflection/v1", f"--python_out={_FIXTURES}",
                "health.proto", "reflection.proto"],
               check=True)
sys.path[:0] = [_FIXTURES, PYTHON_OUT]

from gateway_process import GatewayProcess, clean_env  # noqa: E402
import health_pb2  # noqa: E402
import reflection_pb2  # noqa: E402
from google.protobuf import descriptor_pb2  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402
from awsgw import options_pb2  # noqa: E402

AWS_SERVICES = {
    "aws.amplify.v1.AmplifyService", "aws.appconfig.v1.AppConfigService",
    "aws.apprunner.v1.AppRunnerService", "aws.ecs.v1.EcsService",
    "aws.serverlessrepo.v1.ServerlessApplicationRepositoryService",
}


def unary(channel, path, request, response_type):
    call = channel.unary_unary(path, request_serializer=lambda m: m.SerializeToString(),
                               response_deserializer=response_type.FromString)
    return call(request, timeout=10)


REFLECTION_VERSIONS = ("v1", "v1alpha")


def reflect(channel, version="v1", **request):
    call = channel.stream_stream(
        f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString)
    responses = list(call(iter([reflection_pb2.ServerReflectionRequest(**request)]), timeout=10))
    assert len(responses) == 1, responses
    return responses[0]


class GatewayServerTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # No AWS configuration at all: the server still serves, and says why
        # calls cannot be forwarded.
        env = clean_env()
        cls.gateway = GatewayProcess(env=env)
        cls.channel = grpc.insecure_channel(cls.gateway.address)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.__exit__()

    def test_health_is_not_serving_without_credentials(self):
        # Readiness means "calls can be signed"; with no credential source the
        # gateway answers health checks but is not ready.
        response = unary(self.channel, "/grpc.health.v1.Health/Check",
                         health_pb2.HealthCheckRequest(), health_pb2.HealthCheckResponse)
        self.assertEqual(response.status, health_pb2.HealthCheckResponse.NOT_SERVING)

    def test_reflection_lists_every_aws_service(self):
        for version in REFLECTION_VERSIONS:
            response = reflect(self.channel, version, list_services="")
            names = {s.name for s in response.list_services_response.service}
            self.assertTrue(AWS_SERVICES <= names, names)
            self.assertTrue({"grpc.health.v1.Health", "awsgw.watch.v1.WatchService",
                             "grpc.reflection.v1.ServerReflection",
                             "grpc.reflection.v1alpha.ServerReflection"} <= names, names)

    # Defect: only v1alpha was served; tools try v1 first.
    def test_reflection_v1_answers_as_v1alpha_does(self):
        questions = [dict(list_services=""), dict(file_by_filename="aws/ecs/v1/ecs.proto"),
                     dict(file_containing_symbol="awsgw.watch.v1.WatchService"),
                     dict(file_containing_symbol="aws.ecs.v1.EcsService.ListClusters"),
                     dict(file_containing_symbol="aws.ecs.v1.Cluster"),
                     dict(all_extension_numbers_of_type="google.protobuf.MethodOptions"),
                     dict(file_containing_extension=reflection_pb2.ExtensionRequest(
                         containing_type="google.protobuf.MethodOptions",
                         extension_number=options_pb2.operation.number))]
        for question in questions:
            v1, v1alpha = (reflect(self.channel, version, **question)
                           for version in REFLECTION_VERSIONS)
            self.assertEqual(v1.WhichOneof("message_response"),
                             v1alpha.WhichOneof("message_response"), question)
            self.assertNotEqual(v1.WhichOneof("message_response"), "error_response", question)
            self.assertEqual(v1.original_request, v1alpha.original_request)
            self.assertEqual(
                set(v1.file_descriptor_response.file_descriptor_proto),
                set(v1alpha.file_descriptor_response.file_descriptor_proto), question)
            self.assertEqual(
                sorted(v1.all_extension_numbers_response.extension_number),
                sorted(v1alpha.all_extension_numbers_response.extension_number), question)
        # The first file is the one asked for; the others are what it imports.
        response = reflect(self.channel, file_by_filename="aws/ecs/v1/ecs.proto")
        names = [descriptor_pb2.FileDescriptorProto.FromString(raw).name
                 for raw in response.file_descriptor_response.file_descriptor_proto]
        self.assertEqual(names[0], "aws/ecs/v1/ecs.proto")
        self.assertEqual(len(names), len(set(names)))
        for question in (dict(file_containing_symbol="aws.nosuch.v1.Service"),
                         dict(file_by_filename="nosuch.proto")):
            for version in REFLECTION_VERSIONS:
                response = reflect(self.channel, version, **question)
                self.assertEqual(response.error_response.error_code,
                                 grpc.StatusCode.NOT_FOUND.value[0], (version, question))

    def test_every_served_service_has_a_health_status(self):
        # Probes that name a service (grpc_health_probe -service=..., a
        # Kubernetes gRPC probe's `service`) get the gateway's readiness.
        for service in sorted(AWS_SERVICES | {"awsgw.watch.v1.WatchService",
                                              "grpc.health.v1.Health",
                                              "grpc.reflection.v1.ServerReflection",
                                              "grpc.reflection.v1alpha.ServerReflection"}):
            response = unary(self.channel, "/grpc.health.v1.Health/Check",
                             health_pb2.HealthCheckRequest(service=service),
                             health_pb2.HealthCheckResponse)
            self.assertEqual(response.status, health_pb2.HealthCheckResponse.NOT_SERVING, service)
        with self.assertRaises(grpc.RpcError) as err:
            unary(self.channel, "/grpc.health.v1.Health/Check",
                  health_pb2.HealthCheckRequest(service="aws.nosuch.v1.Service"),
                  health_pb2.HealthCheckResponse)
        self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_reflection_describes_the_health_and_reflection_services(self):
        # Tools resolve a service through reflection before they call it.
        for version in REFLECTION_VERSIONS:
            response = reflect(self.channel, version,
                               file_containing_symbol="grpc.health.v1.Health")
            files = [descriptor_pb2.FileDescriptorProto.FromString(raw)
                     for raw in response.file_descriptor_response.file_descriptor_proto]
            self.assertEqual([f.name for f in files], ["grpc/health/v1/health.proto"], response)
            self.assertEqual([m.name for m in files[0].service[0].method], ["Check", "Watch"])
            response = reflect(self.channel, version,
                               file_containing_symbol="grpc.reflection.v1.ServerReflection")
            files = [descriptor_pb2.FileDescriptorProto.FromString(raw)
                     for raw in response.file_descriptor_response.file_descriptor_proto]
            self.assertEqual([f.name for f in files], ["grpc/reflection/v1/reflection.proto"])

    def test_reflection_describes_every_action_with_its_options(self):
        for version in REFLECTION_VERSIONS:
            response = reflect(self.channel, version,
                               file_containing_symbol="aws.ecs.v1.EcsService")
            files = {}
            for raw in response.file_descriptor_response.file_descriptor_proto:
                f = descriptor_pb2.FileDescriptorProto.FromString(raw)
                files[f.name] = f
            ecs = files["aws/ecs/v1/ecs.proto"]
            methods = {m.name: m for m in ecs.service[0].method}
            self.assertEqual(len(methods), 77)
            op = methods["UpdateService"].options.Extensions[options_pb2.operation]
            self.assertEqual(op.name, "UpdateService")
            # A dynamic client gets the whole closure of imports it needs.
            self.assertIn("awsgw/options.proto", files)
            self.assertIn("google/protobuf/timestamp.proto", set(ecs.dependency))

    def test_calls_without_aws_configuration_fail_and_say_why(self):
        stub = ecs_pb2_grpc.EcsServiceStub(self.channel)
        with self.assertRaises(grpc.RpcError) as err:
            stub.ListClusters(ecs_pb2.ListClustersRequest(max_results=0), timeout=10)
        self.assertEqual(err.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
        self.assertIn("no AWS region", err.exception.details())
        with self.assertRaises(grpc.RpcError) as err:
            stub.ListClusters(ecs_pb2.ListClustersRequest(), timeout=10,
                              metadata=[("x-aws-region", "eu-west-1")])
        self.assertEqual(err.exception.code(), grpc.StatusCode.UNAVAILABLE)
        self.assertIn("AWS_ACCESS_KEY_ID", err.exception.details())

    def test_unknown_method_is_unimplemented(self):
        with self.assertRaises(grpc.RpcError) as err:
            unary(self.channel, "/aws.ecs.v1.EcsService/NoSuchAction",
                  ecs_pb2.ListClustersRequest(), ecs_pb2.ListClustersResponse)
        self.assertEqual(err.exception.code(), grpc.StatusCode.UNIMPLEMENTED)


class CommandLineTest(unittest.TestCase):
    """--version, --help and --helpfull, as a new user tries them."""

    def run_gateway(self, *args):
        from gateway_process import GATEWAY
        return subprocess.run([GATEWAY, *args], capture_output=True, text=True, timeout=30)

    def test_version_names_the_release_and_the_revision(self):
        result = self.run_gateway("--version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^aws-grpc-gateway \d+\.\d+\.\d+")
        head = subprocess.run(["git", "-C", HERE, "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True)
        if head.returncode == 0:  # built from a git checkout
            self.assertIn(f"(git {head.stdout.strip()}", result.stdout)

    def test_help_describes_the_gateways_own_flags(self):
        result = self.run_gateway("--help")
        out = result.stdout + result.stderr
        self.assertNotIn("No flags matched", out)
        for flag in ("--config", "--emulator", "--check_config", "--listen", "--region"):
            self.assertIn(flag, out)
        self.assertIn("aws-grpc-gateway --emulator", out)  # how to start

    def test_no_output_names_the_build_machines_folders(self):
        # abseil prints a flag's file without its leading "/".
        source_root = os.path.realpath(os.path.join(HERE, "..", "..")).lstrip("/")
        for flag in ("--help", "--helpfull", "--version"):
            result = self.run_gateway(flag)
            self.assertNotIn(source_root, result.stdout + result.stderr, flag)
        helpfull = self.run_gateway("--helpfull")
        self.assertIn("Flags from gateway/server/main.cc:", helpfull.stdout + helpfull.stderr)


class GatewayLifecycleTest(unittest.TestCase):

    def test_sigterm_stops_cleanly(self):
        with GatewayProcess() as gateway:
            with grpc.insecure_channel(gateway.address) as channel:
                unary(channel, "/grpc.health.v1.Health/Check", health_pb2.HealthCheckRequest(),
                      health_pb2.HealthCheckResponse)
            self.assertEqual(gateway.stop(signal.SIGTERM), 0)
            self.assertIn("shutting down", "".join(gateway.log))

    def test_unusable_listen_address_is_a_clear_error(self):
        from gateway_process import GATEWAY
        result = subprocess.run([GATEWAY, "--listen", "not-an-address"], capture_output=True,
                                text=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("cannot listen", result.stderr)
        self.assertIn("not-an-address", result.stderr)


if __name__ == "__main__":
    unittest.main()
