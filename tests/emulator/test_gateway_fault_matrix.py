"""The fault matrix: every failure the emulator can inject, against every
class of operation, through the real gateway.

Faults: the service's internal error (5xx) and its throttling error (both
answered before the service acts), connections reset and answers cut short
after the service acted, answers later than the caller's deadline, and the
emulator killed and started again. Operation classes: a read (ECS
ListClusters), an idempotent write (ECS CreateCapacityProvider, marked
idempotent in the model), a write with an idempotency token (ECS RunTask's
clientToken) and a write with neither (AppConfig CreateApplication).

For each cell: the gRPC codes callers got, how many requests AWS received,
and, for writes, what exists afterwards (each call creates a resource with a
name or tag of its own): never two for one call, exactly one for each call
reported OK, none for a call whose request AWS never received. The table is
printed (tests/emulator/README, the hardening note).
"""

import collections
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import grpc

from emulator_process import REPO, EmulatorProcess, require_botocore

require_botocore()
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(REPO, "build", "python"))
sys.path.insert(0, PYTHON_OUT)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))

from gateway_process import GatewayProcess  # noqa: E402
from aws.appconfig.v1 import appconfig_pb2, appconfig_pb2_grpc  # noqa: E402
from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc  # noqa: E402

CALLS = 20  # per class and fault
PATIENT = {"total_max_attempts": 30}  # the checks' own reads ride out the faults

FAULTS = {
    "5xx": ["--fault_error_rate", "0.3"],
    "throttling": ["--fault_throttle_rate", "0.3"],
    "reset": ["--fault_reset_rate", "0.3"],
    "truncation": ["--fault_truncate_rate", "0.3"],
    "past deadline": ["--fault_latency", "1500ms"],
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request_counts(emulator_url):
    with urllib.request.urlopen(f"{emulator_url}/_emulator/requests", timeout=10) as r:
        return json.loads(r.read())["operations"]


class Cell:
    def __init__(self):
        self.codes = collections.Counter()
        self.aws_requests = 0
        self.resources = None  # writes: resources found
        self.notes = []

    def row(self):
        codes = ", ".join(f"{k} {v}" for k, v in sorted(self.codes.items()))
        found = "-" if self.resources is None else str(self.resources)
        return f"{codes:<40} {self.aws_requests:>5} {found:>9}"


class Calls:
    """The four operation classes, through one gateway channel."""

    def __init__(self, channel, deadline):
        self.ecs = ecs_pb2_grpc.EcsServiceStub(channel)
        self.appconfig = appconfig_pb2_grpc.AppConfigServiceStub(channel)
        self.deadline = deadline

    def outcome(self, call, request):
        try:
            call(request, timeout=self.deadline)
            return "OK"
        except grpc.RpcError as e:
            return e.code().name

    def read(self, i, tag):
        return self.outcome(self.ecs.ListClusters, ecs_pb2.ListClustersRequest())

    def idempotent(self, i, tag):
        request = ecs_pb2.CreateCapacityProviderRequest(name=f"cp-{tag}-{i}")
        request.auto_scaling_group_provider.auto_scaling_group_arn = (
            f"arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:x:"
            f"autoScalingGroupName/asg-{tag}-{i}")
        return self.outcome(self.ecs.CreateCapacityProvider, request)

    def token(self, i, tag):
        return self.outcome(self.ecs.RunTask, ecs_pb2.RunTaskRequest(
            task_definition="web:1", count=1, started_by=f"{tag}-{i}"))

    def plain(self, i, tag):
        return self.outcome(self.appconfig.CreateApplication,
                            appconfig_pb2.CreateApplicationRequest(name=f"app-{tag}-{i}"))


OPERATIONS = {  # class -> (method, the emulator's request-log key)
    "read": ("read", "ecs.ListClusters"),
    "idempotent write": ("idempotent", "ecs.CreateCapacityProvider"),
    "write with token": ("token", "ecs.RunTask"),
    "write without": ("plain", "appconfig.CreateApplication"),
}


def prepare(emu):
    """What the ECS calls need: the default cluster (CreateCluster is
    idempotent, so the checks' patient retries cannot make two)."""
    emu.client("ecs", retries=PATIENT).create_cluster(clusterName="default")


def created(emu, klass, tag):
    """Per call index: how many resources of that call exist."""
    counts = collections.Counter()
    if klass == "idempotent write":
        ecs = emu.client("ecs", retries=PATIENT)
        names = [f"cp-{tag}-{i}" for i in range(CALLS)]
        for found in ecs.describe_capacity_providers(capacityProviders=names)["capacityProviders"]:
            counts[int(found["name"].rsplit("-", 1)[1])] += 1
    elif klass == "write with token":
        ecs = emu.client("ecs", retries=PATIENT)
        arns, token = [], None
        while True:
            page = ecs.list_tasks(**({"nextToken": token} if token else {}))
            arns += page["taskArns"]
            token = page.get("nextToken")
            if not token:
                break
        for start in range(0, len(arns), 100):
            for task in ecs.describe_tasks(tasks=arns[start:start + 100])["tasks"]:
                by = task.get("startedBy", "")
                if by.startswith(f"{tag}-"):
                    counts[int(by.rsplit("-", 1)[1])] += 1
    elif klass == "write without":
        appconfig = emu.client("appconfig", retries=PATIENT)
        token = None
        while True:
            page = appconfig.list_applications(**({"NextToken": token} if token else {}))
            for app in page["Items"]:
                if app["Name"].startswith(f"app-{tag}-"):
                    counts[int(app["Name"].rsplit("-", 1)[1])] += 1
            token = page.get("NextToken")
            if not token:
                break
    return counts


class FaultMatrixTest(unittest.TestCase):
    table = {}

    @classmethod
    def tearDownClass(cls):
        print("\nfault matrix (codes callers got | AWS requests | resources found):")
        for (fault, klass), cell in sorted(cls.table.items()):
            print(f"  {fault:<14} {klass:<17} {cell.row()}")

    def run_cells(self, fault, emu, gateway, deadline=5, calls_for=None):
        """Runs every class against `gateway`; returns {class: (cell, outcomes)}."""
        results = {}
        prepare(emu)
        with grpc.insecure_channel(gateway.address) as channel:
            calls = Calls(channel, deadline)
            for klass, (method, log_key) in OPERATIONS.items():
                tag = fault.replace(" ", "")
                before = request_counts(emu.url).get(log_key, 0)
                run = calls_for(klass, method) if calls_for else None
                outcomes = run(calls, tag) if run else \
                    [getattr(calls, method)(i, tag) for i in range(CALLS)]
                cell = Cell()
                cell.codes.update(outcomes)
                cell.aws_requests = request_counts(emu.url).get(log_key, 0) - before
                self.table[(fault, klass)] = cell
                results[klass] = (cell, outcomes, tag)
        return results

    def check_writes(self, emu, results, never_sent=()):
        """Never two resources for a call; one for every call reported OK;
        none for the calls in `never_sent` (their requests never left)."""
        for klass, (cell, outcomes, tag) in results.items():
            if klass == "read":
                continue
            found = created(emu, klass, tag)
            cell.resources = sum(found.values())
            for i, outcome in enumerate(outcomes):
                self.assertLessEqual(found[i], 1, f"{klass}: call {i} acted twice")
                if outcome == "OK":
                    self.assertEqual(found[i], 1, f"{klass}: call {i} reported OK, none found")
                if i in never_sent:
                    self.assertEqual(found[i], 0, f"{klass}: call {i} never sent, yet found")

    def test_faults_answered_before_acting_are_retried_for_every_class(self):
        for fault in ("5xx", "throttling"):
            with EmulatorProcess("--time_scale", "0", "--fault_seed", "7", *FAULTS[fault]) as emu, \
                    GatewayProcess(env=emu.gateway_env()) as gateway:
                results = self.run_cells(fault, emu, gateway)
                self.check_writes(emu, results)
                for klass, (cell, outcomes, _) in results.items():
                    # Three attempts each: nearly every call gets through, and
                    # the retries show in AWS's count.
                    self.assertGreaterEqual(cell.codes["OK"], CALLS - 3, f"{fault} {klass}")
                    self.assertGreater(cell.aws_requests, CALLS, f"{fault} {klass}")

    def test_faults_after_acting_are_never_repeated_for_a_plain_write(self):
        for fault in ("reset", "truncation"):
            with EmulatorProcess("--time_scale", "0", "--fault_seed", "11", *FAULTS[fault]) as emu, \
                    GatewayProcess(env=emu.gateway_env()) as gateway:
                results = self.run_cells(fault, emu, gateway)
                self.check_writes(emu, results)
                plain, outcomes, _ = results["write without"]
                # Each CreateApplication reached AWS exactly once: the ones that
                # failed after acting were not sent again.
                self.assertEqual(plain.aws_requests, CALLS, fault)
                self.assertGreater(plain.codes["UNAVAILABLE"], 0, fault)
                self.assertEqual(plain.resources, CALLS, fault)
                # Reads and token writes are resent and succeed.
                for klass in ("read", "write with token"):
                    cell = results[klass][0]
                    self.assertGreaterEqual(cell.codes["OK"], CALLS - 2, f"{fault} {klass}")

    def test_answers_past_the_deadline_are_deadline_exceeded_and_not_resent(self):
        with EmulatorProcess("--time_scale", "0", *FAULTS["past deadline"]) as emu, \
                GatewayProcess(env=emu.gateway_env()) as gateway:
            # Each call waits out its deadline: 5 per class keep this short.
            few = 5
            results = self.run_cells(
                "past deadline", emu, gateway, deadline=1,
                calls_for=lambda klass, method: lambda calls, tag: [
                    getattr(calls, method)(i, tag) for i in range(few)])
            self.check_writes(emu, results)
            for klass, (cell, _, _) in results.items():
                self.assertEqual(cell.codes, {"DEADLINE_EXCEEDED": few}, klass)
                self.assertEqual(cell.aws_requests, few, klass)

    def test_emulator_killed_and_started_again(self):
        work = tempfile.mkdtemp(prefix="awsgw-fault-matrix-")
        snapshot = os.path.join(work, "state.json")
        keys = os.path.join(work, "keys")
        port = free_port()
        common = ["--time_scale", "0", "--listen", f"127.0.0.1:{port}", "--snapshot", snapshot,
                  "--snapshot_interval", "50ms", "--credentials_file", keys]
        with open(keys, "w") as f:
            f.write("AKIDFAULTMATRIX fault/matrix/secret\n")
        first = EmulatorProcess(*common)
        env = first.gateway_env()
        env.update(AWS_ACCESS_KEY_ID="AKIDFAULTMATRIX", AWS_SECRET_ACCESS_KEY="fault/matrix/secret")
        with GatewayProcess(env=env) as gateway:
            self.run_cells("before kill", first, gateway)
            time.sleep(0.3)  # the last snapshot holds every call above
            first.proc.send_signal(signal.SIGKILL)
            first.proc.wait()
            first.stop()
            # While it is down: nothing reaches AWS; nothing may be created.
            with grpc.insecure_channel(gateway.address) as channel:
                calls = Calls(channel, deadline=3)
                down = {klass: [getattr(calls, method)(i, "down") for i in range(5)]
                        for klass, (method, _) in OPERATIONS.items()}
            with EmulatorProcess(*common) as second:
                for klass, outcomes in down.items():
                    cell = Cell()
                    cell.codes.update(outcomes)
                    self.table[("emulator down", klass)] = cell
                    self.assertEqual(set(outcomes), {"UNAVAILABLE"}, klass)
                    if klass != "read":
                        found = created(second, klass, "down")
                        cell.resources = sum(found.values())
                        self.assertEqual(cell.resources, 0, klass)
                # And once it is back, every class works again.
                results = self.run_cells("after restart", second, gateway)
                self.check_writes(second, results)
                for klass, (cell, _, _) in results.items():
                    self.assertEqual(cell.codes, {"OK": CALLS}, klass)


if __name__ == "__main__":
    unittest.main()
