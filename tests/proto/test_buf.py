"""The protos as the buf tools see them, from a clone: `buf lint` with
proto/buf.yaml, `buf breaking` of the committed protos against the previous
commit's (the lock files keep numbers; this guards names, types and the
options that place generated code), and `buf curl` calling the gateway on
its embedded emulator through server reflection v1, as a user exploring it
would. buf is npm's @bufbuild/buf, pinned by package-lock.json here."""

import json
import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))

from gateway_process import GatewayProcess, clean_env  # noqa: E402

BUF = os.path.join(HERE, "node_modules", ".bin", "buf")
NO_BUF = None if os.access(BUF, os.X_OK) else (
    f"{BUF} missing: run tools/install-deps.sh (npm ci in tests/proto)")


def buf(*args, cwd=ROOT, timeout=120):
    return subprocess.run([BUF, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def has_previous_commit():
    if shutil.which("git") is None:
        return False
    return subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD~1"], cwd=ROOT,
                          capture_output=True).returncode == 0


@unittest.skipIf(NO_BUF, NO_BUF)
class BufTest(unittest.TestCase):

    def test_lint(self):
        result = buf("lint", cwd=os.path.join(ROOT, "proto"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    @unittest.skipUnless(has_previous_commit(), "no previous commit (a shallow clone?)")
    def test_no_breaking_change_against_the_previous_commit(self):
        result = buf("breaking", "proto", "--against", ".git#subdir=proto,ref=HEAD~1")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_a_breaking_change_is_caught(self):
        # The check above can fail: a renamed field in a copy of the module.
        copy = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"awsgw-buf-{os.getpid()}")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "proto"), copy)
        try:
            path = os.path.join(copy, "awsgw", "watch", "v1", "watch.proto")
            with open(path) as f:
                text = f.read()
            with open(path, "w") as f:
                f.write(text.replace("string service_arn = 1;", "string service_name = 1;", 1))
            result = buf("breaking", copy, "--against", os.path.join(ROOT, "proto"))
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("service_arn", result.stdout)
        finally:
            shutil.rmtree(copy, ignore_errors=True)

    def test_curl_lists_describes_and_calls_through_reflection_v1(self):
        with GatewayProcess("--emulator", env=clean_env()) as gateway:
            url = f"http://{gateway.address}"
            common = ["--protocol", "grpc", "--http2-prior-knowledge",
                      "--reflect-protocol", "grpc-v1"]
            listed = buf("curl", *common, "--list-services", url)
            self.assertEqual(listed.returncode, 0, listed.stderr)
            services = listed.stdout.split()
            for name in ("aws.ecs.v1.EcsService", "awsgw.watch.v1.WatchService",
                         "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"):
                self.assertIn(name, services)
            health = buf("curl", *common, "--data", '{"service":"aws.ecs.v1.EcsService"}',
                         f"{url}/grpc.health.v1.Health/Check")
            self.assertEqual(health.returncode, 0, health.stderr)
            self.assertEqual(json.loads(health.stdout), {"status": "SERVING"})
            created = buf("curl", *common, "--data", '{"clusterName":"from-buf"}',
                          f"{url}/aws.ecs.v1.EcsService/CreateCluster")
            self.assertEqual(created.returncode, 0, created.stderr)
            arn = json.loads(created.stdout)["cluster"]["clusterArn"]
            self.assertTrue(arn.endswith(":cluster/from-buf"), arn)
            listed = buf("curl", *common, f"{url}/aws.ecs.v1.EcsService/ListClusters")
            self.assertEqual(listed.returncode, 0, listed.stderr)
            self.assertIn(arn, json.loads(listed.stdout)["clusterArns"])


if __name__ == "__main__":
    unittest.main()
