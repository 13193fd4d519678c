"""End to end: watch streams. A Python grpcio client -> the real gateway ->
a loopback fake AWS whose resources move one step per poll (watch_fake.py).

Every watch kind of awsgw.watch.v1.WatchService is driven to a success
terminal and to a failure terminal; then the behaviours: changes only,
missing resources and refused polls, throttling and a backend that goes
down and comes back, cancellation and deadlines, resume tokens, late
joiners, heartbeats, 100 watchers sharing one poller, and ECS tasks of one
cluster batched into one DescribeTasks. Nothing asserts on timing: request
counts come from the fake's log and waits have generous deadlines.
"""

import json
import os
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

import grpc
from google.protobuf import duration_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
sys.path.insert(0, PYTHON_OUT)

from fake_aws import FakeAws, Reply  # noqa: E402
from gateway_process import GatewayProcess  # noqa: E402
from test_gateway_forwarding import KEY_ID, SECRET, signing_env  # noqa: E402
from test_gateway_observability import sample  # noqa: E402
from watch_fake import Routes, access_denied, body, not_found, throttled  # noqa: E402
from awsgw.watch.v1 import watch_pb2, watch_pb2_grpc  # noqa: E402

U = watch_pb2.WatchUpdate
SNAPSHOT, CHANGE, EVENT = U.KIND_SNAPSHOT, U.KIND_CHANGE, U.KIND_EVENT
HEARTBEAT, POLL_ERROR, POLL_RECOVERED = U.KIND_HEARTBEAT, U.KIND_POLL_ERROR, U.KIND_POLL_RECOVERED
SUCCEEDED, FAILED, ENDED = U.OUTCOME_SUCCEEDED, U.OUTCOME_FAILED, U.OUTCOME_ENDED
OP_ID = "0123456789abcdef0123456789abcdef0123"
SERVICE_ARN = "arn:aws:apprunner:us-east-1:123456789012:service/web/8fe1e10304f84fd2b0df550fe98a71fa"
WAIT = 60  # seconds: a generous bound on any one stream


def ms(n):
    return duration_pb2.Duration(nanos=n * 1000000)


def fast(**kw):
    """Options that poll every few milliseconds, so lifecycles run quickly."""
    return watch_pb2.WatchOptions(min_interval=ms(20), max_interval=ms(100), **kw)


# One lifecycle per watch kind: (rpc, request, route, make body from status,
# success statuses, failure statuses, expected terminal of the failure).
def op_body(status):
    return {"OperationSummaryList": [
        {"Id": OP_ID, "Type": "CREATE_SERVICE", "Status": status, "TargetArn": SERVICE_ARN},
        {"Id": "f" * 36, "Type": "PAUSE_SERVICE", "Status": "SUCCEEDED", "TargetArn": SERVICE_ARN}]}


def service_body(status):
    return {"Service": {"ServiceName": "web", "ServiceArn": SERVICE_ARN, "Status": status}}


def domain_body(status, record="PENDING_VALIDATION"):
    return {"DNSTarget": "x.awsapprunner.com", "ServiceArn": SERVICE_ARN, "VpcDNSTargets": [],
            "CustomDomains": [
                {"DomainName": "other.example.com", "EnableWWWSubdomain": False,
                 "Status": "ACTIVE"},
                {"DomainName": "example.com", "EnableWWWSubdomain": True, "Status": status,
                 "CertificateValidationRecords": [
                     {"Name": "_1.example.com", "Type": "CNAME", "Value": "_2.acm",
                      "Status": record}]}]}


def vpc_body(status):
    return {"VpcIngressConnection": {"VpcIngressConnectionArn": "arn:vic/1", "Status": status}}


def connection_body(status):
    return {"ConnectionSummaryList": [{"ConnectionName": "gh-conn", "ConnectionArn": "arn:c/1",
                                       "ProviderType": "GITHUB", "Status": status}]}


def job_body(status, steps=()):
    return {"job": {"summary": {"jobArn": "arn:job/7", "jobId": "7", "status": status,
                                "commitId": "c1", "commitMessage": "m", "jobType": "RELEASE",
                                "commitTime": 1700000000, "startTime": 1700000000},
                    "steps": [{"stepName": n, "status": s, "startTime": 1700000000,
                               "endTime": 1700000001} for n, s in steps]}}


def domain_association_body(status, verified=False):
    return {"domainAssociation": {
        "domainAssociationArn": "arn:da/1", "domainName": "example.com",
        "enableAutoSubDomain": False, "domainStatus": status, "statusReason": "",
        "subDomains": [{"subDomainSetting": {"prefix": "www", "branchName": "main"},
                        "verified": verified, "dnsRecord": "www CNAME x"}]}}


def event(description, second):
    return {"EventType": "DEPLOYMENT_EVENT", "TriggeredBy": "APPCONFIG",
            "Description": description, "OccurredAt": f"2024-01-01T00:00:{second:02d}Z"}


def deployment_body(state, percent=10.0, events=1):
    return {"ApplicationId": "app1", "EnvironmentId": "env1", "DeploymentNumber": 3,
            "State": state, "PercentageComplete": percent,
            "EventLog": [event(f"step {i}", i) for i in range(events)]}


def environment_body(state):
    return {"ApplicationId": "app1", "Id": "env1", "Name": "prod", "State": state}


def run_body(status):
    return {"ApplicationId": "app1", "ExperimentDefinitionId": "exp1", "Run": 2,
            "Status": status}


def ecs_service_body(status="ACTIVE", deployments=2, running=1, desired=2, events=1):
    return {"services": [{
        "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/c1/web",
        "serviceName": "web", "status": status, "desiredCount": desired,
        "runningCount": running, "pendingCount": desired - running,
        "deployments": [{"id": f"ecs-svc/{i}", "status": "PRIMARY" if i == 0 else "ACTIVE",
                         "rolloutState": "IN_PROGRESS"} for i in range(deployments)],
        "events": [{"id": f"e{i}", "createdAt": 1700000000 + i, "message": f"event {i}"}
                   for i in reversed(range(events))]}], "failures": []}


def task_arn(cluster, task):
    return f"arn:aws:ecs:us-east-1:123456789012:task/{cluster}/{task}"


def task_body(last, cluster="c1", task="t1", stop_code=None):
    t = {"taskArn": task_arn(cluster, task), "lastStatus": last, "desiredStatus": "RUNNING",
         "containers": [{"name": "app", "lastStatus": last}]}
    if stop_code:
        t.update(stopCode=stop_code, stoppedReason="Essential container in task exited")
    return {"tasks": [t], "failures": []}


SD_ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/c1/web/abc"
DD_ARN = "arn:aws:ecs:us-east-1:123456789012:daemon-deployment/c1/d1/abc"


def sd_body(status):
    return {"serviceDeployments": [{"serviceDeploymentArn": SD_ARN, "status": status}],
            "failures": []}


def dd_body(status):
    return {"daemonDeployments": [{"daemonDeploymentArn": DD_ARN, "status": status}],
            "failures": []}


def template_body(status):
    return {"applicationId": "arn:app/1", "templateId": "t1", "status": status,
            "templateUrl": "https://example.com/t1"}


APP_GET = "GET /applications/app1/environments/env1"
LIFECYCLES = [
    ("WatchAppRunnerOperation",
     watch_pb2.WatchAppRunnerOperationRequest(service_arn=SERVICE_ARN, operation_id=OP_ID),
     "ListOperations", op_body,
     ["PENDING", "IN_PROGRESS", "SUCCEEDED"], ["IN_PROGRESS", "ROLLBACK_IN_PROGRESS",
                                              "ROLLBACK_SUCCEEDED"]),
    ("WatchAppRunnerService", watch_pb2.WatchAppRunnerServiceRequest(service_arn=SERVICE_ARN),
     "DescribeService", service_body,
     ["OPERATION_IN_PROGRESS", "RUNNING"], ["OPERATION_IN_PROGRESS", "CREATE_FAILED"]),
    ("WatchAppRunnerCustomDomain",
     watch_pb2.WatchAppRunnerCustomDomainRequest(service_arn=SERVICE_ARN,
                                                 domain_name="example.com"),
     "DescribeCustomDomains", domain_body,
     ["CREATING", "PENDING_CERTIFICATE_DNS_VALIDATION", "ACTIVE"], ["CREATING", "CREATE_FAILED"]),
    ("WatchAppRunnerVpcIngressConnection",
     watch_pb2.WatchAppRunnerVpcIngressConnectionRequest(vpc_ingress_connection_arn="arn:vic/1"),
     "DescribeVpcIngressConnection", vpc_body,
     ["PENDING_CREATION", "AVAILABLE"], ["PENDING_CREATION", "FAILED_CREATION"]),
    ("WatchAppRunnerConnection",
     watch_pb2.WatchAppRunnerConnectionRequest(connection_name="gh-conn"),
     "ListConnections", connection_body, ["PENDING_HANDSHAKE", "AVAILABLE"],
     ["PENDING_HANDSHAKE", "ERROR"]),
    ("WatchAmplifyJob",
     watch_pb2.WatchAmplifyJobRequest(app_id="a1", branch_name="main", job_id="7"),
     "GET /apps/a1/branches/main/jobs/7", job_body,
     ["PENDING", "RUNNING", "SUCCEED"], ["RUNNING", "FAILED"]),
    ("WatchAmplifyDomainAssociation",
     watch_pb2.WatchAmplifyDomainAssociationRequest(app_id="a1", domain_name="example.com"),
     "GET /apps/a1/domains/example.com", domain_association_body,
     ["CREATING", "PENDING_VERIFICATION", "AVAILABLE"], ["CREATING", "FAILED"]),
    ("WatchAppConfigDeployment",
     watch_pb2.WatchAppConfigDeploymentRequest(application_id="app1", environment_id="env1",
                                               deployment_number=3),
     APP_GET + "/deployments/3", deployment_body,
     ["DEPLOYING", "BAKING", "COMPLETE"], ["DEPLOYING", "ROLLING_BACK", "ROLLED_BACK"]),
    ("WatchAppConfigEnvironment",
     watch_pb2.WatchAppConfigEnvironmentRequest(application_id="app1", environment_id="env1"),
     APP_GET, environment_body,
     ["DEPLOYING", "READY_FOR_DEPLOYMENT"], ["ROLLING_BACK", "ROLLED_BACK"]),
    ("WatchEcsService",
     watch_pb2.WatchEcsServiceRequest(cluster="c1", service="web",
                                      goal=watch_pb2.ECS_SERVICE_GOAL_INACTIVE),
     "DescribeServices", lambda s: ecs_service_body(status=s),
     ["ACTIVE", "DRAINING", "INACTIVE"], None),
    ("WatchEcsTask",
     watch_pb2.WatchEcsTaskRequest(cluster="c1", task="t1", goal=watch_pb2.ECS_TASK_GOAL_RUNNING),
     "DescribeTasks", task_body,
     ["PROVISIONING", "PENDING", "RUNNING"], ["PROVISIONING", "PENDING", "STOPPED"]),
    ("WatchEcsServiceDeployment",
     watch_pb2.WatchEcsServiceDeploymentRequest(service_deployment_arn=SD_ARN),
     "DescribeServiceDeployments", sd_body,
     ["PENDING", "IN_PROGRESS", "SUCCESSFUL"], ["IN_PROGRESS", "ROLLBACK_IN_PROGRESS",
                                                "ROLLBACK_SUCCESSFUL"]),
    ("WatchEcsDaemonDeployment",
     watch_pb2.WatchEcsDaemonDeploymentRequest(daemon_deployment_arn=DD_ARN),
     "DescribeDaemonDeployments", dd_body,
     ["PENDING", "IN_PROGRESS", "SUCCESSFUL"], ["IN_PROGRESS", "STOPPED"]),
    ("WatchServerlessRepoTemplate",
     watch_pb2.WatchServerlessRepoTemplateRequest(application_id="arn:app/1", template_id="t1"),
     "GET /applications/arn%3Aapp%2F1/templates/t1", template_body,
     ["PREPARING", "ACTIVE"], ["PREPARING", "EXPIRED"]),
]


class WatchTestBase(unittest.TestCase):
    extra_flags = ()

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        config = os.path.join(cls.tmp.name, "gateway.yaml")
        with open(config, "w") as f:
            # One attempt per poll: each scripted error reaches the engine.
            f.write("aws:\n  retry:\n    max_attempts: 1\n")
        cls.aws = FakeAws({KEY_ID: SECRET})
        cls.routes = Routes(cls.aws)
        cls.gateway = GatewayProcess("--config", config, "--watch_min_interval", "10ms",
                                     "--metrics_listen", "127.0.0.1:0", *cls.extra_flags,
                                     env=signing_env(cls.aws.url))
        cls.channel = grpc.insecure_channel(cls.gateway.address)
        cls.watch = watch_pb2_grpc.WatchServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()
        cls.aws.close()
        cls.tmp.cleanup()

    def setUp(self):
        self.wait_for_metric("awsgw_watch_pollers", 0)
        self.routes.clear()
        self.aws.requests.clear()

    def stream(self, rpc, request, options=None, timeout=WAIT):
        if options is None:
            options = fast()
        request = type(request).FromString(request.SerializeToString())
        request.options.CopyFrom(options)
        return getattr(self.watch, rpc)(request, timeout=timeout)

    def run_to_end(self, rpc, request, options=None):
        """Every update of a stream that ends OK."""
        return list(self.stream(rpc, request, options))

    def metrics(self):
        events = [json.loads(line) for line in list(self.gateway.log) if line.startswith("{")]
        address = next(e["address"] for e in events if e.get("msg") == "serving metrics")
        with urllib.request.urlopen(f"http://{address}/metrics", timeout=10) as response:
            return response.read().decode("utf-8")

    def wait_for_metric(self, name, value, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while True:
            current = sample(self.metrics(), name)
            if current == value:
                return
            if time.monotonic() > deadline:
                self.fail(f"{name} is {current}, not {value}")
            time.sleep(0.02)

    def assert_changes_only(self, updates):
        """No two consecutive state updates carry the same snapshot."""
        states = [u for u in updates if u.kind in (SNAPSHOT, CHANGE)]
        for a, b in zip(states, states[1:]):
            self.assertNotEqual(a.SerializeToString(deterministic=True).replace(
                a.resume_token.encode(), b""), b.SerializeToString(deterministic=True).replace(
                b.resume_token.encode(), b""))


class LifecycleTest(WatchTestBase):

    def play(self, rpc, request, route, make, statuses):
        # Each status is answered twice: the repeat must not reach the stream.
        steps = []
        for s in statuses:
            steps += [make(s), make(s)]
        script = self.routes.add(route, steps)
        updates = self.run_to_end(rpc, request)
        states = [u for u in updates if u.kind in (SNAPSHOT, CHANGE)]
        self.assertEqual(states[0].kind, SNAPSHOT)
        self.assertEqual(states[0].previous_status, "")
        self.assertEqual([u.status for u in states], statuses, [u.summary for u in updates])
        self.assertEqual([u.previous_status for u in states[1:]], statuses[:-1])
        self.assertTrue(states[-1].terminal)
        self.assertEqual(updates[-1], states[-1])
        self.assertFalse(any(u.terminal for u in states[:-1]))
        self.assertEqual([u.sequence for u in updates if u.kind != HEARTBEAT],
                         list(range(1, len([u for u in updates if u.kind != HEARTBEAT]) + 1)))
        self.assertTrue(states[-1].HasField(states[-1].WhichOneof("snapshot")))
        self.assertTrue(all(r.signature_ok for r in script.requests))
        # One poll per scripted answer: the last status is polled once.
        self.assertEqual(script.polls, 2 * len(statuses) - 1)
        return updates

    def test_every_kind_to_success(self):
        for rpc, request, route, make, ok, _ in LIFECYCLES:
            with self.subTest(rpc):
                self.routes.clear()
                updates = self.play(rpc, request, route, make, ok)
                self.assertEqual(updates[-1].outcome, SUCCEEDED, updates[-1].summary)
                self.assertIn(ok[-1], updates[-1].summary)

    def test_every_kind_to_failure(self):
        for rpc, request, route, make, _, bad in LIFECYCLES:
            if bad is None:
                continue
            with self.subTest(rpc):
                self.routes.clear()
                updates = self.play(rpc, request, route, make, bad)
                self.assertEqual(updates[-1].outcome, FAILED, updates[-1].summary)
                self.assertIn("failed", updates[-1].summary)

    def test_experiment_run_events_come_from_their_own_feed(self):
        prefix = "GET /applications/app1/experimentdefinitions/exp1/experimentruns/2"
        self.routes.add(prefix, [run_body("RUNNING")] * 3 + [run_body("DONE")])
        items = [{"Description": f"exposure {i}", "OccurredAt": f"2024-01-01T00:00:0{i}Z"}
                 for i in range(3)]
        self.routes.add(prefix + "/events", [{"Items": items[:1]}, {"Items": items[:1]},
                                             {"Items": items[:2]}, {"Items": items}])
        updates = self.run_to_end("WatchAppConfigExperimentRun",
                                  watch_pb2.WatchAppConfigExperimentRunRequest(
                                      application_identifier="app1",
                                      experiment_definition_identifier="exp1", run=2))
        self.assertEqual(updates[0].kind, SNAPSHOT)
        self.assertEqual(updates[0].appconfig_experiment_run.run, 2)
        events = [u.appconfig_experiment_run_event.description for u in updates
                  if u.kind == EVENT]
        self.assertEqual(events, ["exposure 1", "exposure 2"])
        self.assertEqual((updates[-1].status, updates[-1].outcome), ("DONE", SUCCEEDED))

    def test_appconfig_deployment_reports_each_new_event_once(self):
        route = APP_GET + "/deployments/3"
        self.routes.add(route, [deployment_body("DEPLOYING", 10, 1),
                                deployment_body("DEPLOYING", 10, 1),
                                deployment_body("DEPLOYING", 40, 2),
                                deployment_body("DEPLOYING", 70, 4),
                                deployment_body("COMPLETE", 100, 5)])
        updates = self.run_to_end("WatchAppConfigDeployment", LIFECYCLES[7][1])
        kinds = [(u.kind, u.appconfig_deployment.percentage_complete
                  if u.kind != EVENT else u.appconfig_deployment_event.description)
                 for u in updates]
        self.assertEqual(kinds, [
            (SNAPSHOT, 10.0), (EVENT, "step 1"), (CHANGE, 40.0), (EVENT, "step 2"),
            (EVENT, "step 3"), (CHANGE, 70.0), (EVENT, "step 4"), (CHANGE, 100.0)])
        self.assertEqual(updates[-1].outcome, SUCCEEDED)

    def test_ecs_service_stable_goal_with_events(self):
        self.routes.add("DescribeServices", [
            ecs_service_body(deployments=2, running=1, events=1),
            ecs_service_body(deployments=2, running=2, events=2),
            ecs_service_body(deployments=1, running=2, events=3)])
        updates = self.run_to_end("WatchEcsService", watch_pb2.WatchEcsServiceRequest(
            cluster="c1", service="web", goal=watch_pb2.ECS_SERVICE_GOAL_STABLE))
        self.assertEqual([u.kind for u in updates], [SNAPSHOT, EVENT, CHANGE, EVENT, CHANGE])
        self.assertEqual([u.ecs_service_event.message for u in updates if u.kind == EVENT],
                         ["event 1", "event 2"])
        self.assertEqual(updates[-1].ecs_service.running_count, 2)
        self.assertEqual(len(updates[-1].ecs_service.deployments), 1)
        self.assertEqual(updates[-1].outcome, SUCCEEDED)
        self.assertIn("goal ECS_SERVICE_GOAL_STABLE succeeded", updates[-1].summary)

    def test_ecs_service_stable_goal_fails_when_draining(self):
        self.routes.add("DescribeServices", [ecs_service_body(),
                                             ecs_service_body(status="DRAINING")])
        updates = self.run_to_end("WatchEcsService", watch_pb2.WatchEcsServiceRequest(
            cluster="c1", service="web", goal=watch_pb2.ECS_SERVICE_GOAL_STABLE))
        self.assertEqual((updates[-1].status, updates[-1].outcome), ("DRAINING", FAILED))

    def test_ecs_task_without_goal_ends_when_stopped(self):
        self.routes.add("DescribeTasks", [task_body("RUNNING"),
                                          task_body("STOPPED", stop_code="EssentialContainerExited")])
        updates = self.run_to_end("WatchEcsTask",
                                  watch_pb2.WatchEcsTaskRequest(cluster="c1", task="t1"))
        self.assertEqual(updates[-1].outcome, ENDED)
        self.assertEqual(updates[-1].ecs_task.stop_code_raw or updates[-1].ecs_task.stop_code, 2)
        self.assertIn("Essential container in task exited", updates[-1].summary)

    def test_newest_operation_when_no_operation_id(self):
        self.routes.add("ListOperations", [op_body("IN_PROGRESS"), op_body("SUCCEEDED")])
        updates = self.run_to_end("WatchAppRunnerOperation",
                                  watch_pb2.WatchAppRunnerOperationRequest(service_arn=SERVICE_ARN))
        self.assertEqual([u.apprunner_operation.id for u in updates], [OP_ID, OP_ID])
        self.assertEqual(updates[-1].outcome, SUCCEEDED)

    def test_a_change_without_a_status_change_is_sent(self):
        self.routes.add("DescribeCustomDomains", [
            domain_body("PENDING_CERTIFICATE_DNS_VALIDATION"),
            domain_body("PENDING_CERTIFICATE_DNS_VALIDATION", record="SUCCESS"),
            domain_body("ACTIVE", record="SUCCESS")])
        updates = self.run_to_end("WatchAppRunnerCustomDomain", LIFECYCLES[2][1])
        self.assertEqual([(u.kind, u.status) for u in updates], [
            (SNAPSHOT, "PENDING_CERTIFICATE_DNS_VALIDATION"),
            (CHANGE, "PENDING_CERTIFICATE_DNS_VALIDATION"), (CHANGE, "ACTIVE")])
        record = updates[1].apprunner_custom_domain.certificate_validation_records[0]
        self.assertEqual(record.status, 2)  # SUCCESS
        self.assertIn("changed", updates[1].summary)


if __name__ == "__main__":
    unittest.main()
