"""The container image (deploy/Containerfile), built with buildah on the
local Debian 12 base (deploy/container/bootstrap-base.sh) from this build's
package, as `buildah bud` takes the file users build (the package in the
context's deploy/container/packages/ stands in for its build stage). Its
gateway is started from the image with `buildah run` on the host's network
with --emulator; a Python grpcio client lists the services by reflection,
checks health and calls an action; SIGTERM stops it cleanly.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import grpc

import deploy_support
from deploy_support import INSTALLED_GATEWAY, ROOT, run

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.join(HERE, "..", "e2e")
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", "")
SKIP = deploy_support.missing_prerequisite()

_FIXTURES = tempfile.mkdtemp(prefix="awsgw-image-py-")
subprocess.run([os.environ.get("PROTOC", "protoc"), f"-I{ROOT}/proto/grpc/health/v1",
                f"-I{ROOT}/proto/grpc/reflection/v1", f"--python_out={_FIXTURES}", "health.proto",
                "reflection.proto"],
               check=True)
sys.path[:0] = [_FIXTURES, PYTHON_OUT]

import health_pb2  # noqa: E402
import reflection_pb2  # noqa: E402
from aws.apprunner.v1 import apprunner_pb2, apprunner_pb2_grpc  # noqa: E402

IMAGE = f"localhost/aws-grpc-gateway:test-{os.getpid()}"


@unittest.skipIf(SKIP, SKIP)
class ContainerImageTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(prefix="awsgw-image-")
        context = os.path.join(cls.folder.name, "context")
        packages = os.path.join(context, "deploy", "container", "packages")
        os.makedirs(packages)
        deploy_support.make_package(packages)
        deploy_support.ensure_base_image()
        run("buildah", "bud", "--isolation", "chroot", "--quiet", "-f",
            os.path.join(ROOT, "deploy", "Containerfile"),
            "--build-arg", f"BASE={deploy_support.BASE_IMAGE}", "-t", IMAGE, context)
        cls.config = json.loads(run("buildah", "inspect", "--type", "image", IMAGE).stdout)[
            "OCIv1"]["config"]
        cls.container = deploy_support.Container(IMAGE)

    @classmethod
    def tearDownClass(cls):
        cls.container.close()
        run("buildah", "rmi", IMAGE, check=False)
        cls.folder.cleanup()
        shutil.rmtree(_FIXTURES, ignore_errors=True)

    def test_runs_the_gateway_as_a_non_root_user(self):
        self.assertEqual(self.config["User"], "10001:10001")
        self.assertEqual(self.config["Entrypoint"], [INSTALLED_GATEWAY])
        self.assertEqual(set(self.config["ExposedPorts"]), {"50051/tcp", "9090/tcp"})
        self.assertIn("--config=/etc/aws-grpc-gateway/config/gateway.yaml", self.config["Cmd"])
        self.assertEqual(self.container.run("id", "-un").stdout.strip(), "aws-grpc-gateway")

    def test_holds_the_runtime_libraries_and_nothing_to_build_with(self):
        packages = self.container.run("dpkg-query", "-W", "-f=${Package}\n").stdout.split()
        self.assertIn("aws-grpc-gateway", packages)
        self.assertIn("libgrpc++1.51", packages)
        self.assertEqual([p for p in packages if p.endswith("-dev") or p in ("gcc", "g++",
                          "cmake", "apt-utils")], [])
        # The package lists apt fetched to install it are gone.
        lists = self.container.run("ls", "/var/lib/apt/lists").stdout.split()
        self.assertEqual([name for name in lists if name.endswith("_Packages")], [])

    def test_the_default_command_refuses_to_serve_callers_it_cannot_identify(self):
        # The image's own CMD: every address, and the example file names no
        # callers, so it stops with the reason rather than serve anyone.
        result = self.container.run(INSTALLED_GATEWAY, *self.config["Cmd"], "--check_config",
                                    check=False)
        self.assertEqual(result.returncode, 2, result.stdout)
        self.assertIn("no caller authentication", result.stderr)

    def test_serves_the_emulator_until_sigterm(self):
        with deploy_support.installed_gateway(self.container, "--emulator") as gateway:
            with grpc.insecure_channel(gateway.address) as channel:
                reflection = channel.stream_stream(
                    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                    request_serializer=lambda m: m.SerializeToString(),
                    response_deserializer=reflection_pb2.ServerReflectionResponse.FromString)
                answer = list(reflection(iter([reflection_pb2.ServerReflectionRequest(
                    list_services="")]), timeout=20))[0]
                services = {s.name for s in answer.list_services_response.service}
                self.assertIn("aws.apprunner.v1.AppRunnerService", services)
                self.assertIn("awsgw.watch.v1.WatchService", services)

                check = channel.unary_unary(
                    "/grpc.health.v1.Health/Check",
                    request_serializer=lambda m: m.SerializeToString(),
                    response_deserializer=health_pb2.HealthCheckResponse.FromString)
                health = check(health_pb2.HealthCheckRequest(service=""), timeout=20)
                self.assertEqual(health.status, health_pb2.HealthCheckResponse.SERVING)

                stub = apprunner_pb2_grpc.AppRunnerServiceStub(channel)
                listed = stub.ListServices(apprunner_pb2.ListServicesRequest(), timeout=20)
                self.assertEqual(list(listed.service_summary_list), [])
            self.assertEqual(deploy_support.terminate(gateway), 0, "".join(gateway.log))
            self.assertIn('"msg":"shutting down"', "".join(gateway.log))


if __name__ == "__main__":
    unittest.main()
