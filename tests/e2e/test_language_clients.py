"""Clients in other gRPC languages, generated from the repository's protos by
stock toolchains offline (tools/generate-clients.sh) and run against the real
gateway on its embedded emulator: one call and one watch stream each.

    Go    Debian's golang-go, protoc-gen-go, protoc-gen-go-grpc and grpc-go
          (GOPATH mode: Debian's Go packages, no module download)
    Java  Debian's default-jdk-headless, libprotobuf-java, libgrpc-java and
          its protoc plugin (protobuf-compiler-grpc-java-plugin)

Python and Node have suites of their own (the other e2e tests, node/). A
toolchain that is missing skips its test, naming the packages to install.
"""

import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from gateway_process import GatewayProcess, clean_env

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
GENERATE = os.path.join(ROOT, "tools", "generate-clients.sh")
# Compiling every service's generated code takes a while on 2 cores.
BUILD_TIMEOUT = 900
# Debian's jars a grpc-java client needs (libgrpc-java does not pull in
# Netty, Guava, PerfMark or javax.annotation, hence their packages in
# tools/install-deps.sh).
JARS = ["geronimo-annotation-1.3-spec", "protobuf", "grpc-api", "grpc-context", "grpc-core", "grpc-netty", "grpc-protobuf",
        "grpc-protobuf-lite", "grpc-stub", "guava", "perfmark-api", "netty-buffer",
        "netty-codec", "netty-codec-http", "netty-codec-http2", "netty-codec-socks",
        "netty-common", "netty-handler", "netty-handler-proxy", "netty-resolver",
        "netty-transport", "netty-transport-native-unix-common"]


def missing(*commands):
    return [c for c in commands if shutil.which(c) is None]


def run(command, timeout=BUILD_TIMEOUT, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n"
                             f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result.stdout


class LanguageClientTest(unittest.TestCase):

    def check_client_output(self, output, cluster_name):
        lines = output.splitlines()
        created = [l.split()[1] for l in lines if l.startswith("created ")]
        self.assertEqual(len(created), 1, output)
        self.assertRegex(created[0],
                         rf"^arn:aws:ecs:[a-z0-9-]+:\d{{12}}:cluster/{cluster_name}$")
        self.assertIn(f"cluster {created[0]}", lines)
        updates = [l.split()[1:] for l in lines if l.startswith("update ")]
        self.assertGreaterEqual(len(updates), 2, output)
        self.assertEqual([int(u[0]) for u in updates], list(range(1, len(updates) + 1)))
        self.assertEqual(updates[0][1:3], ["KIND_SNAPSHOT", "OPERATION_IN_PROGRESS"], output)
        self.assertEqual(updates[-1][1:], ["KIND_CHANGE", "RUNNING", "OUTCOME_SUCCEEDED"], output)

    def run_against_emulator(self, command):
        with GatewayProcess("--emulator", "--watch_min_interval", "200ms",
                            env=clean_env()) as gateway:
            return run(command + [gateway.address], timeout=120)

    @unittest.skipIf(missing("go", "protoc-gen-go", "protoc-gen-go-grpc"),
                     "Go toolchain missing: apt-get install golang-go protoc-gen-go "
                     "protoc-gen-go-grpc golang-google-grpc-dev golang-google-protobuf-dev")
    def test_go_client(self):
        with tempfile.TemporaryDirectory(prefix="awsgw-go-") as gopath:
            run(["bash", GENERATE, "go", os.path.join(gopath, "src")])
            env = dict(os.environ, GO111MODULE="off", GOFLAGS="", GOCACHE=os.path.join(gopath, "cache"),
                       GOPATH=f"{gopath}:/usr/share/gocode")
            binary = os.path.join(gopath, "client")
            run(["go", "build", "-o", binary, os.path.join(HERE, "clients", "go", "main.go")],
                env=env)
            self.check_client_output(self.run_against_emulator([binary]), "go-client")

    @unittest.skipIf(missing("javac", "java", "grpc_java_plugin") or
                     not all(os.path.exists(f"/usr/share/java/{jar}.jar") for jar in JARS),
                     "Java toolchain missing: apt-get install default-jdk-headless "
                     "libprotobuf-java libgrpc-java protobuf-compiler-grpc-java-plugin")
    def test_java_client(self):
        with tempfile.TemporaryDirectory(prefix="awsgw-java-") as work:
            sources = os.path.join(work, "src")
            classes = os.path.join(work, "classes")
            run(["bash", GENERATE, "java", sources])
            files = glob.glob(os.path.join(sources, "**", "*.java"), recursive=True)
            files.append(os.path.join(HERE, "clients", "java", "GatewayClient.java"))
            with open(os.path.join(work, "sources.txt"), "w") as f:
                f.write("\n".join(files))
            classpath = ":".join(f"/usr/share/java/{jar}.jar" for jar in JARS)
            run(["javac", "-nowarn", "-J-Xmx2g", "-encoding", "UTF-8", "-d", classes,
                 "-cp", classpath, f"@{os.path.join(work, 'sources.txt')}"])
            output = self.run_against_emulator(
                ["java", "-cp", f"{classes}:{classpath}", "GatewayClient"])
            self.check_client_output(output, "java-client")


if __name__ == "__main__":
    unittest.main()
