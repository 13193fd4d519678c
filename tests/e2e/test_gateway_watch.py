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

import os
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

import grpc
from google.protobuf import duration_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(HERE, "..", "..", "build", "python"))
sys.path.insert(0, PYTHON_OUT)

from fake_aws import FakeAws, Reply  # noqa: E402
from gateway_process import GatewayProcess, clean_env, metric_sample as sample  # noqa: E402
from test_gateway_forwarding import KEY_ID, SECRET, signing_env  # noqa: E402
from watch_fake import Routes, access_denied, body, not_found, throttled  # noqa: E402
from watch_reader import Reader, has_kind  # noqa: E402
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
    return {"VpcIngressConnection": {"VpcIngressConnectionArn": VIC_ARN, "Status": status}}


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
            "EventLog": [event(f"step {i}", i) for i in reversed(range(events))]}  # newest first


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


# Well-formed ARNs: a gateway that decides about callers refuses others.
VIC_ARN = "arn:aws:apprunner:us-east-1:123456789012:vpcingressconnection/vic/1"
SAR_APP_ARN = "arn:aws:serverlessrepo:us-east-1:123456789012:applications/app1"
SD_ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/c1/web/abc"
DD_ARN = "arn:aws:ecs:us-east-1:123456789012:daemon-deployment/c1/d1/abc"


def sd_body(status):
    return {"serviceDeployments": [{"serviceDeploymentArn": SD_ARN, "status": status}],
            "failures": []}


def dd_body(status):
    return {"daemonDeployments": [{"daemonDeploymentArn": DD_ARN, "status": status}],
            "failures": []}


def template_body(status):
    return {"applicationId": SAR_APP_ARN, "templateId": "t1", "status": status,
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
     watch_pb2.WatchAppRunnerVpcIngressConnectionRequest(vpc_ingress_connection_arn=VIC_ARN),
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
     watch_pb2.WatchServerlessRepoTemplateRequest(application_id=SAR_APP_ARN, template_id="t1"),
     "GET /applications/" + urllib.parse.quote(SAR_APP_ARN, safe="") + "/templates/t1", template_body,
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
            # No memory of NOT_FOUND: the tests script their own answers for
            # the same resources, one after another.
            f.write("aws:\n  retry:\n    max_attempts: 1\nwatch:\n  not_found_cache: 0s\n")
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
        self.gateway.wait_for_metric("awsgw_watch_pollers", 0)
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
        # The feed is no part of the snapshot: its first entry follows it too.
        self.assertEqual(events, ["exposure 0", "exposure 1", "exposure 2"])
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

    # Defect: "Deployment completed" reached the stream before "Deployment
    # bake time started": events of one instant came out in their ids' order.
    def test_events_of_one_instant_reach_the_stream_in_the_order_they_happened(self):
        happened = [("Deployment started", 1), ("Configuration 50% deployed", 5),
                    ("Configuration 100% deployed", 5), ("Deployment bake time started", 5),
                    ("Deployment bake time ended", 9), ("Deployment completed", 9)]

        def body(state, seen):  # AWS lists the EventLog newest first
            return dict(deployment_body(state, 100),
                        EventLog=[event(d, s) for d, s in reversed(happened[:seen])])

        self.routes.add(APP_GET + "/deployments/3", [
            body("DEPLOYING", 1), body("DEPLOYING", 4), body("BAKING", 5),
            body("COMPLETE", 6)])
        updates = self.run_to_end("WatchAppConfigDeployment", LIFECYCLES[7][1])
        self.assertEqual([u.appconfig_deployment_event.description for u in updates
                          if u.kind == EVENT], [d for d, _ in happened[1:]])
        self.assertEqual(updates[-1].outcome, SUCCEEDED)

    def test_events_of_one_instant_in_the_snapshot_are_not_sent_again(self):
        happened = [(f"step {i}", 7) for i in range(4)] + [("later", 8)]

        def body(state, seen):
            return dict(deployment_body(state, 100),
                        EventLog=[event(d, s) for d, s in reversed(happened[:seen])])

        self.routes.add(APP_GET + "/deployments/3", [
            body("DEPLOYING", 4), body("DEPLOYING", 4), body("COMPLETE", 5)])
        updates = self.run_to_end("WatchAppConfigDeployment", LIFECYCLES[7][1])
        self.assertEqual([u.appconfig_deployment_event.description for u in updates
                          if u.kind == EVENT], ["later"])
        self.assertEqual([e.description for e in updates[0].appconfig_deployment.event_log],
                         [f"step {i}" for i in reversed(range(4))])

    def test_ecs_service_events_of_one_instant_in_the_order_they_happened(self):
        ids = ["e9", "e2", "e7", "e1", "e5", "e3", "e8", "e4"]  # oldest first; one instant

        def body(seen):  # ECS lists events newest first
            b = ecs_service_body(deployments=1, running=2, events=0)
            b["services"][0]["events"] = [
                {"id": i, "createdAt": 1700000100, "message": f"event {i}"}
                for i in reversed(ids[:seen])]
            return b

        self.routes.add("DescribeServices", [body(1), body(len(ids))])
        stream = self.stream("WatchEcsService", watch_pb2.WatchEcsServiceRequest(
            cluster="c1", service="web"))
        events = []
        for update in stream:
            if update.kind == EVENT:
                events.append(update.ecs_service_event.id)
            if len(events) == len(ids) - 1:
                stream.cancel()
                break
        self.assertEqual(events, ids[1:])

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

    def test_the_operation_is_followed_onto_later_pages(self):
        page1 = {"OperationSummaryList": [{"Id": "e" * 36, "Status": "SUCCEEDED"}],
                 "NextToken": "page-2"}

        def page2(status):
            return {"OperationSummaryList": [{"Id": OP_ID, "Status": status}]}

        script = self.routes.add("ListOperations", [page1, page2("IN_PROGRESS"), page1,
                                                    page2("SUCCEEDED")])
        updates = self.run_to_end("WatchAppRunnerOperation", op_request())
        self.assertEqual([u.status for u in updates], ["IN_PROGRESS", "SUCCEEDED"])
        tokens = [body(r).get("NextToken") for r in script.requests]
        self.assertEqual(tokens, [None, "page-2", None, "page-2"])

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


def op_request(operation_id=OP_ID):
    return watch_pb2.WatchAppRunnerOperationRequest(service_arn=SERVICE_ARN,
                                                    operation_id=operation_id)


class BehaviourTest(WatchTestBase):

    def test_missing_resource_ends_with_not_found(self):
        self.routes.add("DescribeService", [not_found()])
        with self.assertRaises(grpc.RpcError) as raised:
            self.run_to_end("WatchAppRunnerService", LIFECYCLES[1][1])
        self.assertEqual(raised.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_ecs_missing_failure_ends_with_not_found_and_the_reason(self):
        self.routes.add("DescribeTasks", [{"tasks": [], "failures": [
            {"arn": task_arn("c1", "gone"), "reason": "MISSING"}]}])
        with self.assertRaises(grpc.RpcError) as raised:
            self.run_to_end("WatchEcsTask", watch_pb2.WatchEcsTaskRequest(cluster="c1",
                                                                          task="gone"))
        self.assertEqual(raised.exception.code(), grpc.StatusCode.NOT_FOUND)
        self.assertIn("ECS task c1/gone not found: MISSING", raised.exception.details())

    def test_resource_that_disappears_mid_stream_ends_with_not_found(self):
        self.routes.add("ListOperations", [op_body("IN_PROGRESS"), {"OperationSummaryList": []}])
        reader = Reader(self.stream("WatchAppRunnerOperation", op_request()))
        self.assertEqual(reader.end(), grpc.StatusCode.NOT_FOUND)
        self.assertEqual([u.kind for u in reader.updates], [SNAPSHOT])

    def test_access_denied_ends_with_permission_denied(self):
        self.routes.add("ListOperations", [op_body("IN_PROGRESS"), access_denied()])
        reader = Reader(self.stream("WatchAppRunnerOperation", op_request()))
        self.assertEqual(reader.end(), grpc.StatusCode.PERMISSION_DENIED)

    def test_request_without_identifier_is_refused_before_any_poll(self):
        with self.assertRaises(grpc.RpcError) as raised:
            self.run_to_end("WatchAmplifyJob",
                            watch_pb2.WatchAmplifyJobRequest(app_id="a1", branch_name="main"))
        self.assertEqual(raised.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("job_id is required", raised.exception.details())
        with self.assertRaises(grpc.RpcError) as raised:
            self.run_to_end("WatchEcsTask", watch_pb2.WatchEcsTaskRequest(cluster="c1"))
        self.assertIn("task is required", raised.exception.details())
        self.assertEqual(self.aws.requests, [])

    def test_throttling_mid_stream_is_reported_and_recovered(self):
        script = self.routes.add("ListOperations", [
            op_body("PENDING"), throttled(), throttled("ThrottlingException"),
            op_body("IN_PROGRESS"), op_body("SUCCEEDED")])
        updates = self.run_to_end("WatchAppRunnerOperation", op_request())
        kinds = [u.kind for u in updates]
        self.assertEqual([u.status for u in updates if u.kind in (SNAPSHOT, CHANGE)],
                         ["PENDING", "IN_PROGRESS", "SUCCEEDED"])
        self.assertIn(POLL_ERROR, kinds)
        errors = [u for u in updates if u.kind == POLL_ERROR]
        self.assertEqual(errors[0].error_code, grpc.StatusCode.RESOURCE_EXHAUSTED.value[0])
        self.assertIn("Rate exceeded", errors[0].error_message)
        self.assertLess(kinds.index(POLL_ERROR), kinds.index(POLL_RECOVERED))
        self.assertLess(kinds.index(POLL_RECOVERED), kinds.index(CHANGE))
        # Poll errors repeat the sequence number: they are not changes.
        self.assertEqual(errors[0].sequence, 1)
        self.assertEqual(updates[-1].sequence, 3)
        self.assertEqual(script.polls, 5)

    def test_backend_down_then_back(self):
        self.routes.add("DescribeService", [
            service_body("OPERATION_IN_PROGRESS"),
            Reply(503, {"__type": "ServiceUnavailableException", "message": "down"},
                  {"x-amzn-ErrorType": "ServiceUnavailableException"}),
            Reply(200, service_body("RUNNING"), truncate=3),  # connection dies mid-answer
            Reply(500, {"__type": "InternalFailure", "message": "oops"}),
            service_body("RUNNING")])
        updates = self.run_to_end("WatchAppRunnerService", LIFECYCLES[1][1])
        self.assertEqual([u.status for u in updates if u.kind in (SNAPSHOT, CHANGE)],
                         ["OPERATION_IN_PROGRESS", "RUNNING"])
        self.assertIn(POLL_ERROR, [u.kind for u in updates])
        self.assertIn(POLL_RECOVERED, [u.kind for u in updates])
        self.assertEqual(updates[-1].outcome, SUCCEEDED)

    def test_cancellation_stops_the_poller(self):
        script = self.routes.add("ListOperations", [op_body("IN_PROGRESS")])
        reader = Reader(self.stream("WatchAppRunnerOperation", op_request()))
        reader.wait(has_kind(SNAPSHOT))
        self.gateway.wait_for_metric("awsgw_watch_watchers", 1)
        reader.call.cancel()
        self.assertEqual(reader.end(), grpc.StatusCode.CANCELLED)
        self.gateway.wait_for_metric("awsgw_watch_pollers", 0)
        self.gateway.wait_for_metric("awsgw_watch_watchers", 0)
        polls = script.polls
        # Another watch to the end: the engine has moved on, the first
        # resource is polled no more.
        self.routes.add("DescribeService", [service_body("RUNNING")])
        self.run_to_end("WatchAppRunnerService", LIFECYCLES[1][1])
        self.assertEqual(script.polls, polls)

    def test_client_deadline_ends_the_stream_and_the_poller(self):
        self.routes.add("ListOperations", [op_body("IN_PROGRESS")])
        reader = Reader(self.stream("WatchAppRunnerOperation", op_request(), timeout=1.5))
        self.assertEqual(reader.end(), grpc.StatusCode.DEADLINE_EXCEEDED)
        self.assertEqual(reader.updates[0].kind, SNAPSHOT)
        self.gateway.wait_for_metric("awsgw_watch_pollers", 0)

    def test_resume_with_token_on_another_replica_gives_no_duplicates(self):
        route = APP_GET + "/deployments/3"
        script = self.routes.add(route, [deployment_body("DEPLOYING", 10, 1),
                                         deployment_body("DEPLOYING", 40, 2)])
        request = LIFECYCLES[7][1]
        reader = Reader(self.stream("WatchAppConfigDeployment", request))
        first = reader.wait(lambda us: len(us) >= 3)
        self.assertEqual([u.kind for u in first[:3]], [SNAPSHOT, EVENT, CHANGE])
        reader.call.cancel()
        reader.end()
        self.gateway.wait_for_metric("awsgw_watch_pollers", 0)
        script.steps += [deployment_body("DEPLOYING", 70, 3), deployment_body("COMPLETE", 100, 4)]
        token = first[2].resume_token
        with GatewayProcess("--config", os.path.join(self.tmp.name, "gateway.yaml"),
                            "--watch_min_interval", "10ms",
                            env=signing_env(self.aws.url)) as replica:
            with grpc.insecure_channel(replica.address) as channel:
                stub = watch_pb2_grpc.WatchServiceStub(channel)
                resumed = type(request).FromString(request.SerializeToString())
                resumed.options.CopyFrom(fast(resume_token=token))
                updates = list(stub.WatchAppConfigDeployment(resumed, timeout=WAIT))
            replica.stop()
        self.assertEqual(
            [(u.kind, u.sequence, u.appconfig_deployment_event.description
              if u.kind == EVENT else u.appconfig_deployment.percentage_complete)
             for u in updates],
            [(EVENT, 4, "step 2"), (CHANGE, 5, 70.0), (EVENT, 6, "step 3"), (CHANGE, 7, 100.0)])
        self.assertEqual(updates[1].previous_status, "DEPLOYING")
        self.assertTrue(updates[-1].terminal)

    def test_shutdown_ends_open_streams_with_unavailable_for_resumption(self):
        self.routes.add("ListOperations", [op_body("IN_PROGRESS")])
        with GatewayProcess("--config", os.path.join(self.tmp.name, "gateway.yaml"),
                            "--shutdown_grace", "60s",
                            env=signing_env(self.aws.url)) as gateway:
            with grpc.insecure_channel(gateway.address) as channel:
                stub = watch_pb2_grpc.WatchServiceStub(channel)
                request = op_request()
                request.options.CopyFrom(fast())
                reader = Reader(stub.WatchAppRunnerOperation(request, timeout=WAIT))
                reader.wait(has_kind(SNAPSHOT))
                # Well within the 60s grace: the stream is ended, not waited for.
                self.assertEqual(gateway.stop(timeout=30), 0)
                self.assertEqual(reader.end(), grpc.StatusCode.UNAVAILABLE)
                self.assertIn("resume_token", reader.error)

    def test_resume_after_the_terminal_update_ends_at_once(self):
        self.routes.add("ListOperations", [op_body("SUCCEEDED")])
        (last,) = self.run_to_end("WatchAppRunnerOperation", op_request())
        updates = self.run_to_end("WatchAppRunnerOperation", op_request(),
                                  fast(resume_token=last.resume_token))
        self.assertEqual(updates, [])

    def test_resume_token_of_another_rpc_is_refused(self):
        self.routes.add("ListOperations", [op_body("SUCCEEDED")])
        (last,) = self.run_to_end("WatchAppRunnerOperation", op_request())
        with self.assertRaises(grpc.RpcError) as raised:
            self.run_to_end("WatchAppRunnerService", LIFECYCLES[1][1],
                            fast(resume_token=last.resume_token))
        self.assertEqual(raised.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)

    def test_last_sequence_continues_the_numbering(self):
        self.routes.add("ListOperations", [op_body("IN_PROGRESS"), op_body("SUCCEEDED")])
        updates = self.run_to_end("WatchAppRunnerOperation", op_request(),
                                  fast(last_sequence=41))
        self.assertEqual([(u.kind, u.sequence) for u in updates], [(SNAPSHOT, 42), (CHANGE, 43)])

    def test_late_joiner_gets_the_latest_snapshot_without_a_poll(self):
        script = self.routes.add("ListOperations", [op_body("IN_PROGRESS")])
        slow = watch_pb2.WatchOptions(min_interval=duration_pb2.Duration(seconds=600),
                                      max_interval=duration_pb2.Duration(seconds=600))
        first = Reader(self.stream("WatchAppRunnerOperation", op_request(), slow))
        first.wait(has_kind(SNAPSHOT))
        late = Reader(self.stream("WatchAppRunnerOperation", op_request(), slow))
        (snapshot,) = late.wait(has_kind(SNAPSHOT))
        self.assertEqual(snapshot.status, "IN_PROGRESS")
        self.assertEqual(script.polls, 1)
        for reader in (first, late):
            reader.call.cancel()
            reader.end()

    def test_idle_streams_get_heartbeats(self):
        self.routes.add("ListOperations", [op_body("IN_PROGRESS")])
        options = watch_pb2.WatchOptions(min_interval=ms(20), max_interval=ms(50),
                                         heartbeat_interval=ms(50))
        reader = Reader(self.stream("WatchAppRunnerOperation", op_request(), options))
        updates = reader.wait(has_kind(HEARTBEAT, 2))
        reader.call.cancel()
        reader.end()
        beats = [u for u in updates if u.kind == HEARTBEAT]
        self.assertEqual(updates[0].kind, SNAPSHOT)
        self.assertEqual({(u.sequence, u.status) for u in beats}, {(1, "IN_PROGRESS")})

    def test_hundred_watchers_of_one_resource_share_one_poller(self):
        lock = threading.Lock()
        phase = {"released": False, "after": 0}

        def answer(received):
            with lock:
                if not phase["released"]:
                    return op_body("PENDING")
                phase["after"] += 1
                return op_body("IN_PROGRESS" if phase["after"] == 1 else "SUCCEEDED")

        self.routes.handle("ListOperations", answer)
        readers = [Reader(self.stream("WatchAppRunnerOperation", op_request()))
                   for _ in range(100)]
        for reader in readers:
            reader.wait(has_kind(SNAPSHOT))
        self.gateway.wait_for_metric("awsgw_watch_watchers", 100)
        metrics = self.gateway.metrics()
        self.assertEqual(sample(metrics, "awsgw_watch_pollers"), 1)
        self.assertEqual(sample(metrics, "awsgw_watch_coalescing_ratio"), 100)
        with lock:
            phase["released"] = True
        for reader in readers:
            self.assertEqual(reader.end(), grpc.StatusCode.OK)
            states = [u.status for u in reader.updates if u.kind in (SNAPSHOT, CHANGE)]
            self.assertEqual(states[0], "PENDING")
            self.assertEqual(states[-1], "SUCCEEDED")
            self.assertTrue(reader.updates[-1].terminal)
        # From the release on, one poll per step of the lifecycle, for all 100.
        self.assertEqual(phase["after"], 2)

    def test_ecs_tasks_of_one_cluster_are_batched_into_one_describe_tasks(self):
        lock = threading.Lock()
        status = {}

        def describe_tasks(received):
            request = body(received)
            cluster = request.get("cluster", "default")
            tasks, failures = [], []
            with lock:
                for task in request["tasks"]:
                    if (cluster, task) in status:
                        tasks.append(task_body(status[(cluster, task)], cluster, task)["tasks"][0])
                    else:
                        failures.append({"arn": task_arn(cluster, task), "reason": "MISSING"})
            return {"tasks": tasks, "failures": failures}

        self.routes.handle("DescribeTasks", describe_tasks)
        wanted = [("c1", "t1"), ("c1", "t2"), ("c1", "t3"), ("c2", "t9")]
        with lock:
            for key in wanted:
                status[key] = "PENDING"
        readers = {key: Reader(self.stream("WatchEcsTask", watch_pb2.WatchEcsTaskRequest(
            cluster=key[0], task=key[1], goal=watch_pb2.ECS_TASK_GOAL_RUNNING)))
            for key in wanted}
        missing = Reader(self.stream("WatchEcsTask", watch_pb2.WatchEcsTaskRequest(
            cluster="c1", task="gone")))
        self.assertEqual(missing.end(), grpc.StatusCode.NOT_FOUND)
        for reader in readers.values():
            reader.wait(has_kind(SNAPSHOT))
        mark = len(self.aws.requests)
        # Wait for a poll of each cluster made once every watcher was in.
        deadline = time.monotonic() + WAIT
        while {body(r).get("cluster") for r in self.aws.requests[mark:]} != {"c1", "c2"}:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.01)
        with lock:
            for key in wanted:
                status[key] = "RUNNING"
        for key, reader in readers.items():
            self.assertEqual(reader.end(), grpc.StatusCode.OK)
            self.assertEqual(reader.updates[-1].outcome, SUCCEEDED)
            self.assertEqual(reader.updates[-1].ecs_task.task_arn, task_arn(*key))
        calls = [body(r) for r in self.aws.requests[mark:]]
        self.assertTrue(calls)
        for call in calls:
            expected = {"c1": ["t1", "t2", "t3"], "c2": ["t9"]}[call["cluster"]]
            # Tasks that reached their goal leave the batch.
            self.assertTrue(set(call["tasks"]) <= set(expected), call)
        self.assertIn(["t1", "t2", "t3"], [sorted(c["tasks"]) for c in calls])
        self.assertGreater(sample(self.gateway.metrics(), "awsgw_watch_polls_total", service="ecs",
                                  method="DescribeTasks"), 0)


class ReflectionTest(WatchTestBase):

    def test_reflection_lists_the_watch_service_with_its_definitions(self):
        from test_gateway_server import reflect
        from google.protobuf import descriptor_pb2
        from awsgw.watch.v1 import watch_options_pb2
        names = {s.name for s in reflect(self.channel, list_services="")
                 .list_services_response.service}
        self.assertIn("awsgw.watch.v1.WatchService", names)
        response = reflect(self.channel, file_containing_symbol="awsgw.watch.v1.WatchService")
        files = {}
        for raw in response.file_descriptor_response.file_descriptor_proto:
            f = descriptor_pb2.FileDescriptorProto.FromString(raw)
            files[f.name] = f
        service = files["awsgw/watch/v1/watch.proto"].service[0]
        methods = {m.name: m for m in service.method}
        self.assertEqual(len(methods), 15)
        self.assertTrue(all(m.server_streaming for m in methods.values()))
        definition = methods["WatchEcsTask"].options.Extensions[watch_options_pb2.watch]
        self.assertEqual(definition.poll_method, "aws.ecs.v1.EcsService.DescribeTasks")
        self.assertEqual(definition.batch.max_size, 100)
        self.assertIn("aws/ecs/v1/ecs.proto", files)


class EmulatorWatchTest(unittest.TestCase):
    """The same streams against the embedded emulator (--emulator): resources
    created through the gateway are watched through it. The emulator's
    lifecycles (statuses that move over time) will make these longer."""

    def test_watch_a_service_created_through_the_gateway(self):
        from aws.apprunner.v1 import apprunner_pb2 as ar, apprunner_pb2_grpc
        with GatewayProcess("--emulator", "--watch_min_interval", "10ms",
                            env=clean_env()) as gateway:
            with grpc.insecure_channel(gateway.address) as channel:
                created = apprunner_pb2_grpc.AppRunnerServiceStub(channel).CreateService(
                    ar.CreateServiceRequest(
                        service_name="watched", source_configuration=ar.SourceConfiguration(
                            image_repository=ar.ImageRepository(
                                image_identifier="public.ecr.aws/nginx/nginx:latest",
                                image_repository_type=ar.IMAGE_REPOSITORY_TYPE_ECR_PUBLIC),
                            auto_deployments_enabled=False)), timeout=10).service
                stub = watch_pb2_grpc.WatchServiceStub(channel)
                updates = list(stub.WatchAppRunnerService(watch_pb2.WatchAppRunnerServiceRequest(
                    service_arn=created.service_arn, options=fast()), timeout=WAIT))
                self.assertEqual(updates[0].kind, SNAPSHOT)
                self.assertEqual(updates[-1].apprunner_service.service_arn, created.service_arn)
                self.assertTrue(updates[-1].terminal)
                self.assertEqual(updates[-1].outcome, SUCCEEDED)
                with self.assertRaises(grpc.RpcError) as raised:
                    list(stub.WatchAppRunnerService(watch_pb2.WatchAppRunnerServiceRequest(
                        service_arn=created.service_arn[:-4] + "0000", options=fast()),
                        timeout=WAIT))
                self.assertEqual(raised.exception.code(), grpc.StatusCode.NOT_FOUND)
            gateway.stop()


if __name__ == "__main__":
    unittest.main()
