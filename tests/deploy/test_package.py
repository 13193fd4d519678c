"""The Debian package (cmake/Packaging.cmake) and its systemd unit: made by
cpack from this build, inspected with dpkg-deb, installed with apt-get (so
with dpkg -i and the dependencies it names) into a fresh Debian 12 root,
then the installed unit verified by systemd-analyze, its commands run as its
user, and the package upgraded, removed and purged as Debian does.
"""

import os
import re
import sys
import tempfile
import unittest

import grpc

import deploy_support
from deploy_support import INSTALLED_GATEWAY, run

PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", "")
sys.path.insert(0, PYTHON_OUT)

from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402

UNIT = "aws-grpc-gateway.service"
CONFIG = "/etc/aws-grpc-gateway/gateway.yaml"
SKIP = deploy_support.missing_prerequisite()


def seconds(duration):
    """'25s', '1m30s', '40' (systemd's bare seconds) as seconds."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "": 1}
    return sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h|)", duration))


@unittest.skipIf(SKIP, SKIP)
class DebianPackageTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(prefix="awsgw-package-")
        cls.deb = deploy_support.make_package(cls.folder.name)
        deploy_support.ensure_base_image()
        cls.root = deploy_support.Container(deploy_support.BASE_IMAGE)
        cls.root.copy(cls.deb, "/tmp/")
        # systemd as on a VM, for systemd-analyze and the unit's targets.
        cls.root.run("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
                     "apt-get install -y -qq --no-install-recommends systemd "
                     f"/tmp/{os.path.basename(cls.deb)}")

    @classmethod
    def tearDownClass(cls):
        cls.root.close()
        cls.folder.cleanup()

    def field(self, name):
        return run("dpkg-deb", "--field", self.deb, name).stdout.strip()

    def test_control_names_the_runtime_libraries_and_the_conffile(self):
        depends = self.field("Depends")
        for library in ("libgrpc++1.51", "libprotobuf32", "libabsl20220623", "libssl3",
                        "procps", "passwd"):
            self.assertIn(library, depends)
        conffiles = run("sh", "-c", f"dpkg-deb -I {self.deb} conffiles").stdout.split()
        self.assertEqual(conffiles, [CONFIG])
        contents = run("dpkg-deb", "-c", self.deb).stdout
        for path in ("./usr/bin/aws-grpc-gateway", "./etc/aws-grpc-gateway/gateway.yaml",
                     "./lib/systemd/system/aws-grpc-gateway.service",
                     "./usr/share/doc/aws-grpc-gateway/README.md",
                     "./usr/share/doc/aws-grpc-gateway/copyright",
                     "./usr/share/doc/aws-grpc-gateway/NOTICE",
                     "./usr/share/doc/aws-grpc-gateway/CHANGELOG.md"):
            self.assertIn(path, contents)

    def test_installed_with_a_system_user_that_alone_reads_the_config(self):
        status = self.root.run("dpkg-query", "-W", "-f=${Status}", "aws-grpc-gateway").stdout
        self.assertEqual(status, "install ok installed")
        uid = int(self.root.run("id", "-u", "aws-grpc-gateway").stdout)
        self.assertLess(uid, 1000)  # a system user
        mode = self.root.run("stat", "-c", "%a %U %G", CONFIG).stdout.split()
        self.assertEqual(mode, ["640", "root", "aws-grpc-gateway"])

    def test_the_unit_verifies_and_is_hardened(self):
        verify = self.root.run("systemd-analyze", "verify", UNIT, check=False)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        self.assertEqual(verify.stderr.strip(), "")
        security = self.root.run("systemd-analyze", "security", "--offline=yes", UNIT).stdout
        exposure = float(re.search(r"Overall exposure level for \S+: ([\d.]+)", security)[1])
        self.assertLessEqual(exposure, 2.0, security)

    def test_systemd_waits_longer_than_the_shutdown_grace(self):
        unit = self.root.run("cat", f"/lib/systemd/system/{UNIT}").stdout
        stop = seconds(re.search(r"^TimeoutStopSec=(\S+)", unit, re.M)[1])
        config = self.root.run("cat", CONFIG).stdout
        grace = seconds(re.search(r"^\s+shutdown_grace:\s*(\S+)", config, re.M)[1])
        self.assertGreater(stop, grace + 5)

    def test_the_units_commands_run_as_its_user(self):
        unit = self.root.run("cat", f"/lib/systemd/system/{UNIT}").stdout
        # ExecReload's first command checks the configuration before the
        # running gateway is signalled.
        check = re.search(r"^ExecReload=(.+)$", unit, re.M)[1].split()
        result = self.root.run(*check, user="aws-grpc-gateway", check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('"configuration OK"', result.stdout)
        # ExecStart's command, on the embedded emulator for a smoke call.
        start = re.search(r"^ExecStart=(.+)$", unit, re.M)[1].split()
        self.assertEqual(start[0], INSTALLED_GATEWAY)
        with deploy_support.installed_gateway(self.root, *start[1:], "--emulator",
                                              user="aws-grpc-gateway") as gateway:
            with grpc.insecure_channel(gateway.address) as channel:
                stub = ecs_pb2_grpc.EcsServiceStub(channel)
                stub.CreateCluster(ecs_pb2.CreateClusterRequest(cluster_name="from-the-package"),
                                   timeout=20)
                arns = stub.ListClusters(ecs_pb2.ListClustersRequest(), timeout=20).cluster_arns
            self.assertTrue(any(arn.endswith("/from-the-package") for arn in arns), arns)
            self.assertEqual(deploy_support.terminate(gateway), 0, "".join(gateway.log))
            self.assertIn('"msg":"shutting down"', "".join(gateway.log))

    def test_zz_upgrade_keeps_the_user_remove_keeps_the_config_purge_removes_it(self):
        uid = self.root.run("id", "-u", "aws-grpc-gateway").stdout
        deb = f"/tmp/{os.path.basename(self.deb)}"
        # An administrator's mode stands, and a configuration they removed
        # (as the container image moves it) does not fail a reinstall.
        self.root.run("chmod", "0600", CONFIG)
        self.root.run("dpkg", "-i", deb)  # as an upgrade
        self.assertEqual(self.root.run("stat", "-c", "%a", CONFIG).stdout.strip(), "600")
        self.root.run("rm", CONFIG)
        self.root.run("dpkg", "-i", deb)
        self.assertEqual(self.root.run("id", "-u", "aws-grpc-gateway").stdout, uid)
        self.root.run("dpkg", "-i", "--force-confmiss", deb)  # puts it back
        self.root.run("dpkg", "--remove", "aws-grpc-gateway")
        self.assertEqual(self.root.run("test", "-e", INSTALLED_GATEWAY, check=False).returncode, 1)
        self.assertEqual(self.root.run("test", "-e", CONFIG, check=False).returncode, 0)
        self.root.run("dpkg", "--purge", "aws-grpc-gateway")
        self.assertEqual(self.root.run("test", "-e", CONFIG, check=False).returncode, 1)


if __name__ == "__main__":
    unittest.main()
