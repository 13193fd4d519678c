"""Watch streams end to end through the emulator: a grpcio client watches
resources through the real gateway while aws-emulator (--stepped_clock) moves
them through their lifecycles, one clock step at a time.

Every one of the 15 watch rpcs is followed to a success terminal and, where
its kind has one, to a failure terminal, reached as in AWS (StopJob,
StopDeployment, StopServiceDeployment, StopTask, DeleteService) or, for the
failures AWS reaches for reasons an emulator cannot have, through a resource
marked "emulator-fail" (emulator/README.md). Each stream must start with the
snapshot, number its updates without gaps, and end OK on the terminal update
with the right outcome.

Then the stream behaviours: resume after reconnect, throttling injected in
the middle of a stream (/_emulator/faults), the backend going down and coming
back (the emulator stopped and restarted from its snapshot on the same port),
cancellation, and 100 watchers of one resource sharing one poll per interval
(counted in the emulator's request log)."""

import json
import os
import sys
import tempfile
import time
import unittest
import urllib.request

import grpc
from google.protobuf import duration_pb2

from emulator_process import REPO, EmulatorProcess

PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(REPO, "build", "python"))
sys.path.insert(0, PYTHON_OUT)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))

from gateway_process import GatewayProcess, metric_sample as sample  # noqa: E402
from watch_reader import Reader, has_kind  # noqa: E402
from awsgw.watch.v1 import watch_options_pb2, watch_pb2, watch_pb2_grpc  # noqa: E402
from aws.amplify.v1 import amplify_pb2 as amplify, amplify_pb2_grpc  # noqa: E402
from aws.appconfig.v1 import appconfig_pb2 as appconfig, appconfig_pb2_grpc  # noqa: E402
from aws.apprunner.v1 import apprunner_pb2 as apprunner, apprunner_pb2_grpc  # noqa: E402
from aws.ecs.v1 import ecs_pb2 as ecs, ecs_pb2_grpc  # noqa: E402
from aws.serverlessrepo.v1 import serverlessrepo_pb2 as sar, serverlessrepo_pb2_grpc  # noqa: E402

U = watch_pb2.WatchUpdate
SNAPSHOT, CHANGE, EVENT = U.KIND_SNAPSHOT, U.KIND_CHANGE, U.KIND_EVENT
POLL_ERROR, POLL_RECOVERED = U.KIND_POLL_ERROR, U.KIND_POLL_RECOVERED
SUCCEEDED, FAILED = U.OUTCOME_SUCCEEDED, U.OUTCOME_FAILED
T = 10  # seconds per unary call
WAIT = 30  # seconds a stream may take to show what a test waits for
MARK = "emulator-fail"  # the emulator's mark for a resource that fails
STEP_PAUSE = 0.25  # after each clock step: several polls at the fast intervals


def poll_operation(rpc):
    """The emulator's request-log key of the operation `rpc` polls, from its
    (awsgw.watch.v1.watch) option: "apprunner.DescribeService"."""
    method = watch_pb2.DESCRIPTOR.services_by_name["WatchService"].methods_by_name[rpc]
    poll = method.GetOptions().Extensions[watch_options_pb2.watch].poll_method
    package, operation = poll.split(".")[1], poll.rsplit(".", 1)[1]
    return f"{package}.{operation}"


def fast():
    return watch_pb2.WatchOptions(min_interval=duration_pb2.Duration(nanos=20_000_000),
                                  max_interval=duration_pb2.Duration(nanos=100_000_000))


def with_options(request, options):
    request = type(request).FromString(request.SerializeToString())
    request.options.CopyFrom(options)
    return request


def distinct(statuses):
    """`statuses` without consecutive repeats."""
    out = []
    for s in statuses:
        if not out or out[-1] != s:
            out.append(s)
    return out


def statuses(updates):
    return distinct([u.status for u in updates if u.kind in (SNAPSHOT, CHANGE)])


def gateway_config(directory):
    """One attempt per poll: every injected fault reaches the watch engine."""
    path = os.path.join(directory, "gateway.yaml")
    with open(path, "w") as f:
        f.write("aws:\n  retry:\n    max_attempts: 1\n")
    return path


class EmulatorControl:
    """The emulator's /_emulator/ test controls."""

    def __init__(self, emu):
        self.emu = emu

    def call(self, path, body=None):
        data = None if body is None else (body if isinstance(body, bytes) else body.encode())
        request = urllib.request.Request(f"{self.emu.url}/_emulator/{path}", data=data,
                                         method="GET" if data is None else "POST")
        with urllib.request.urlopen(request, timeout=T) as response:
            return json.loads(response.read() or b"{}")

    def step(self, seconds=1):
        self.call("clock/advance", str(seconds))

    def faults(self, **rates):
        return self.call("faults", json.dumps(rates))


class WatchThroughEmulatorTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.emu = EmulatorProcess("--stepped_clock", region="us-east-1")
        cls.control = EmulatorControl(cls.emu)
        cls.gateway = GatewayProcess("--config", gateway_config(cls.tmp.name),
                                     "--watch_min_interval", "10ms",
                                     "--metrics_listen", "127.0.0.1:0",
                                     env=cls.emu.gateway_env())
        cls.channel = grpc.insecure_channel(cls.gateway.address)
        cls.watch = watch_pb2_grpc.WatchServiceStub(cls.channel)
        cls.apprunner = apprunner_pb2_grpc.AppRunnerServiceStub(cls.channel)
        cls.amplify = amplify_pb2_grpc.AmplifyServiceStub(cls.channel)
        cls.appconfig = appconfig_pb2_grpc.AppConfigServiceStub(cls.channel)
        cls.ecs = ecs_pb2_grpc.EcsServiceStub(cls.channel)
        cls.sar = serverlessrepo_pb2_grpc.ServerlessApplicationRepositoryServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()
        cls.emu.stop()
        cls.tmp.cleanup()

    def setUp(self):
        # Each test starts with no poller left over from the one before.
        self.gateway.wait_for_metric("awsgw_watch_pollers", 0)

    def step(self, seconds=1):
        self.control.step(seconds)

    def wait_for_polls(self, operation, reader, polls=2):
        """Until the emulator has answered `polls` more polls of `operation`
        (the second began after the clock last moved, so the poller has seen
        the state it moved to) or the stream has ended."""
        target = self.requests(operation) + polls
        deadline = time.monotonic() + WAIT
        while not reader.ended and self.requests(operation) < target:
            if time.monotonic() > deadline:
                self.fail(f"no poll of {operation} in {WAIT}s")
            time.sleep(0.01)

    def requests(self, operation):
        """How many requests the emulator has had for `operation` since the
        last reset ("apprunner.DescribeService")."""
        return self.control.call("requests")["operations"].get(operation, 0)

    def open(self, rpc, request, options=None):
        reader = Reader(getattr(self.watch, rpc)(with_options(request, options or fast()),
                                                 timeout=120))
        self.addCleanup(reader.call.cancel)  # a failed test leaves no stream behind
        return reader

    def follow(self, rpc, request, during=None, max_steps=30):
        """Watches while stepping the clock one second at a time (letting the
        poller see each state) until the stream ends. `during` runs once the
        snapshot has arrived."""
        operation = poll_operation(rpc)
        reader = self.open(rpc, request)
        reader.wait(has_kind(SNAPSHOT))
        if during is not None:
            during()
            self.wait_for_polls(operation, reader)  # what `during` started, seen first
        for _ in range(max_steps):
            if reader.ended:
                break
            self.step(1)
            self.wait_for_polls(operation, reader)
        self.assertEqual(reader.end(), grpc.StatusCode.OK, reader.error)
        updates = reader.updates
        self.assertEqual(updates[0].kind, SNAPSHOT)
        self.assertTrue(updates[-1].terminal)
        self.assertEqual([u.terminal for u in updates].count(True), 1)
        self.assertEqual([u.sequence for u in updates], list(range(1, len(updates) + 1)))
        return updates

    def assert_ends(self, updates, status, outcome):
        self.assertEqual(updates[-1].status, status)
        self.assertEqual(updates[-1].outcome, outcome)

    # ---- App Runner

    def create_apprunner_service(self, name):
        return self.apprunner.CreateService(apprunner.CreateServiceRequest(
            service_name=name,
            source_configuration=apprunner.SourceConfiguration(
                image_repository=apprunner.ImageRepository(
                    image_identifier="public.ecr.aws/x/y:1",
                    image_repository_type=apprunner.IMAGE_REPOSITORY_TYPE_ECR_PUBLIC))),
            timeout=T).service

    def test_apprunner_operation_and_service_succeed(self):
        service = self.create_apprunner_service("watched-web")
        updates = self.follow("WatchAppRunnerOperation", watch_pb2.WatchAppRunnerOperationRequest(
            service_arn=service.service_arn))
        self.assertEqual(statuses(updates), ["PENDING", "IN_PROGRESS", "SUCCEEDED"])
        self.assert_ends(updates, "SUCCEEDED", SUCCEEDED)
        self.assertEqual(updates[-1].apprunner_operation.target_arn, service.service_arn)
        # The service is RUNNING now: its watch is one terminal snapshot.
        final = list(self.watch.WatchAppRunnerService(watch_pb2.WatchAppRunnerServiceRequest(
            service_arn=service.service_arn, options=fast()), timeout=30))
        self.assertEqual([(u.kind, u.status, u.terminal) for u in final],
                         [(SNAPSHOT, "RUNNING", True)])

    def test_apprunner_service_and_its_operation_fail(self):
        service = self.create_apprunner_service(f"web-{MARK}")
        updates = self.follow("WatchAppRunnerService", watch_pb2.WatchAppRunnerServiceRequest(
            service_arn=service.service_arn))
        self.assertEqual(statuses(updates), ["OPERATION_IN_PROGRESS", "CREATE_FAILED"])
        self.assert_ends(updates, "CREATE_FAILED", FAILED)
        ops = self.follow("WatchAppRunnerOperation", watch_pb2.WatchAppRunnerOperationRequest(
            service_arn=service.service_arn))
        self.assert_ends(ops, "FAILED", FAILED)

    def test_apprunner_custom_domain_validates_or_fails(self):
        service = self.create_apprunner_service("domained")

        def associate(domain):
            self.apprunner.AssociateCustomDomain(apprunner.AssociateCustomDomainRequest(
                service_arn=service.service_arn, domain_name=domain), timeout=T)
            return watch_pb2.WatchAppRunnerCustomDomainRequest(service_arn=service.service_arn,
                                                               domain_name=domain)

        good, bad = associate("www.example.com"), associate(f"{MARK}.example.com")
        updates = self.follow("WatchAppRunnerCustomDomain", good)
        self.assertEqual(statuses(updates), ["CREATING", "PENDING_CERTIFICATE_DNS_VALIDATION",
                                             "BINDING_CERTIFICATE", "ACTIVE"])
        self.assert_ends(updates, "ACTIVE", SUCCEEDED)
        pending = next(u for u in updates if u.status == "PENDING_CERTIFICATE_DNS_VALIDATION")
        (record,) = pending.apprunner_custom_domain.certificate_validation_records
        self.assertTrue(record.name.endswith(".www.example.com."))
        self.assertEqual(record.status,
                         apprunner.CERTIFICATE_VALIDATION_RECORD_STATUS_PENDING_VALIDATION)
        self.assertEqual(updates[-1].apprunner_custom_domain.certificate_validation_records[0]
                         .status, apprunner.CERTIFICATE_VALIDATION_RECORD_STATUS_SUCCESS)
        failed = self.follow("WatchAppRunnerCustomDomain", bad)
        self.assert_ends(failed, "CREATE_FAILED", FAILED)

    def test_apprunner_vpc_ingress_connection_becomes_available_or_fails(self):
        service = self.create_apprunner_service("ingressed")

        def create(name):
            arn = self.apprunner.CreateVpcIngressConnection(
                apprunner.CreateVpcIngressConnectionRequest(
                    service_arn=service.service_arn, vpc_ingress_connection_name=name,
                    ingress_vpc_configuration=apprunner.IngressVpcConfiguration(
                        vpc_id="vpc-1", vpc_endpoint_id="vpce-1")),
                timeout=T).vpc_ingress_connection.vpc_ingress_connection_arn
            return watch_pb2.WatchAppRunnerVpcIngressConnectionRequest(
                vpc_ingress_connection_arn=arn)

        updates = self.follow("WatchAppRunnerVpcIngressConnection", create("private"))
        self.assertEqual(statuses(updates), ["PENDING_CREATION", "AVAILABLE"])
        self.assert_ends(updates, "AVAILABLE", SUCCEEDED)
        failed = self.follow("WatchAppRunnerVpcIngressConnection", create(f"private-{MARK}"))
        self.assertEqual(statuses(failed), ["PENDING_CREATION", "FAILED_CREATION"])
        self.assert_ends(failed, "FAILED_CREATION", FAILED)

    def test_apprunner_connection_becomes_available_or_errs(self):
        def create(name):
            self.apprunner.CreateConnection(apprunner.CreateConnectionRequest(
                connection_name=name, provider_type=apprunner.PROVIDER_TYPE_GITHUB), timeout=T)
            return watch_pb2.WatchAppRunnerConnectionRequest(connection_name=name)

        updates = self.follow("WatchAppRunnerConnection", create("github-main"))
        self.assertEqual(statuses(updates), ["PENDING_HANDSHAKE", "AVAILABLE"])
        self.assert_ends(updates, "AVAILABLE", SUCCEEDED)
        self.assert_ends(self.follow("WatchAppRunnerConnection", create(f"gh-{MARK}")),
                         "ERROR", FAILED)

    # ---- Amplify

    def amplify_app(self, name):
        app = self.amplify.CreateApp(amplify.CreateAppRequest(name=name), timeout=T).app.app_id
        self.amplify.CreateBranch(amplify.CreateBranchRequest(app_id=app, branch_name="main"),
                                  timeout=T)
        return app

    def test_amplify_job_succeeds_and_a_stopped_job_fails(self):
        app = self.amplify_app("watched-app")

        def start():
            return self.amplify.StartJob(amplify.StartJobRequest(
                app_id=app, branch_name="main", job_type=amplify.JOB_TYPE_RELEASE),
                timeout=T).job_summary.job_id

        job = start()
        updates = self.follow("WatchAmplifyJob", watch_pb2.WatchAmplifyJobRequest(
            app_id=app, branch_name="main", job_id=job))
        self.assertEqual(statuses(updates), ["PENDING", "PROVISIONING", "RUNNING", "SUCCEED"])
        self.assert_ends(updates, "SUCCEED", SUCCEEDED)
        self.assertEqual([s.step_name for s in updates[-1].amplify_job.steps], ["BUILD", "DEPLOY"])

        second = start()
        stopped = self.follow("WatchAmplifyJob", watch_pb2.WatchAmplifyJobRequest(
            app_id=app, branch_name="main", job_id=second), during=lambda: self.amplify.StopJob(
                amplify.StopJobRequest(app_id=app, branch_name="main", job_id=second),
                timeout=T))
        self.assertEqual(statuses(stopped)[-2:], ["CANCELLING", "CANCELLED"])
        self.assert_ends(stopped, "CANCELLED", FAILED)

    def test_amplify_domain_association_verifies_or_fails(self):
        app = self.amplify_app("domain-app")

        def create(domain):
            self.amplify.CreateDomainAssociation(amplify.CreateDomainAssociationRequest(
                app_id=app, domain_name=domain,
                sub_domain_settings=[amplify.SubDomainSetting(prefix="www", branch_name="main")]),
                timeout=T)
            return watch_pb2.WatchAmplifyDomainAssociationRequest(app_id=app, domain_name=domain)

        updates = self.follow("WatchAmplifyDomainAssociation", create("example.com"))
        self.assertEqual(statuses(updates), [
            "CREATING", "REQUESTING_CERTIFICATE", "PENDING_VERIFICATION", "IN_PROGRESS",
            "PENDING_DEPLOYMENT", "AVAILABLE"])
        self.assert_ends(updates, "AVAILABLE", SUCCEEDED)
        verified = [u.amplify_domain_association.sub_domains[0].verified for u in updates
                    if u.kind in (SNAPSHOT, CHANGE)]
        self.assertEqual(distinct(verified), [False, True])
        failed = self.follow("WatchAmplifyDomainAssociation", create(f"{MARK}.example.com"))
        self.assert_ends(failed, "FAILED", FAILED)
        self.assertIn("could not be verified", failed[-1].summary + failed[-1]
                      .amplify_domain_association.status_reason)
        self.assertFalse(failed[-1].amplify_domain_association.sub_domains[0].verified)

    # ---- AppConfig

    def appconfig_deployment(self, name, duration, growth, bake=1):
        stub = self.appconfig
        app = stub.CreateApplication(appconfig.CreateApplicationRequest(name=name), timeout=T).id
        env = stub.CreateEnvironment(appconfig.CreateEnvironmentRequest(
            application_id=app, name="prod"), timeout=T).id
        profile = stub.CreateConfigurationProfile(appconfig.CreateConfigurationProfileRequest(
            application_id=app, name="flags", location_uri="hosted"), timeout=T).id
        stub.CreateHostedConfigurationVersion(appconfig.CreateHostedConfigurationVersionRequest(
            application_id=app, configuration_profile_id=profile, content=b"{}",
            content_type="application/json"), timeout=T)
        strategy = stub.CreateDeploymentStrategy(appconfig.CreateDeploymentStrategyRequest(
            name=f"{name}-strategy", deployment_duration_in_minutes=duration,
            growth_factor=growth, growth_type=appconfig.GROWTH_TYPE_LINEAR,
            final_bake_time_in_minutes=bake, replicate_to=appconfig.REPLICATE_TO_NONE),
            timeout=T).id
        number = stub.StartDeployment(appconfig.StartDeploymentRequest(
            application_id=app, environment_id=env, deployment_strategy_id=strategy,
            configuration_profile_id=profile, configuration_version="1"),
            timeout=T).deployment_number
        return app, env, number

    def stop_deployment(self, app, env, number):
        self.appconfig.StopDeployment(appconfig.StopDeploymentRequest(
            application_id=app, environment_id=env, deployment_number=number), timeout=T)

    def test_appconfig_deployment_completes_with_its_event_log(self):
        app, env, number = self.appconfig_deployment("watched-cfg", 4, 25)
        updates = self.follow("WatchAppConfigDeployment", watch_pb2.WatchAppConfigDeploymentRequest(
            application_id=app, environment_id=env, deployment_number=number))
        self.assertEqual(statuses(updates), ["DEPLOYING", "BAKING", "COMPLETE"])
        self.assert_ends(updates, "COMPLETE", SUCCEEDED)
        percentages = [round(u.appconfig_deployment.percentage_complete) for u in updates
                       if u.kind in (SNAPSHOT, CHANGE)]
        self.assertEqual(percentages, sorted(percentages))
        self.assertGreater(len(set(percentages)), 2)  # rising, seen step by step
        events = [u.appconfig_deployment_event.event_type for u in updates if u.kind == EVENT]
        self.assertEqual(len(events), len(set(events)))  # each entry once
        self.assertGreaterEqual(len(events), 2)

    def test_appconfig_stopped_deployment_rolls_back(self):
        app, env, number = self.appconfig_deployment("watched-stop", 10, 10)
        updates = self.follow(
            "WatchAppConfigDeployment", watch_pb2.WatchAppConfigDeploymentRequest(
                application_id=app, environment_id=env, deployment_number=number),
            during=lambda: self.stop_deployment(app, env, number))
        self.assertEqual(statuses(updates)[-2:], ["ROLLING_BACK", "ROLLED_BACK"])
        self.assert_ends(updates, "ROLLED_BACK", FAILED)

    def test_appconfig_environment_becomes_ready_or_rolls_back(self):
        app, env, _ = self.appconfig_deployment("env-ready", 2, 50)
        request = watch_pb2.WatchAppConfigEnvironmentRequest(application_id=app,
                                                             environment_id=env)
        updates = self.follow("WatchAppConfigEnvironment", request)
        self.assertEqual(statuses(updates), ["DEPLOYING", "READY_FOR_DEPLOYMENT"])
        self.assert_ends(updates, "READY_FOR_DEPLOYMENT", SUCCEEDED)

        app, env, number = self.appconfig_deployment("env-rollback", 10, 10)
        self.stop_deployment(app, env, number)
        rolled = self.follow("WatchAppConfigEnvironment", watch_pb2.WatchAppConfigEnvironmentRequest(
            application_id=app, environment_id=env))
        self.assertEqual(statuses(rolled), ["ROLLING_BACK", "ROLLED_BACK"])
        self.assert_ends(rolled, "ROLLED_BACK", FAILED)

    def test_appconfig_experiment_run_is_done_when_stopped_with_its_events(self):
        # ExperimentRunStatus is RUNNING or DONE: a run has no failure terminal.
        stub = self.appconfig
        app = stub.CreateApplication(appconfig.CreateApplicationRequest(name="experiments"),
                                     timeout=T).id
        env = stub.CreateEnvironment(appconfig.CreateEnvironmentRequest(
            application_id=app, name="prod"), timeout=T).id
        profile = stub.CreateConfigurationProfile(appconfig.CreateConfigurationProfileRequest(
            application_id=app, name="flags", location_uri="hosted"), timeout=T).id
        flag = appconfig.TreatmentInput(weight=50, flag_value=appconfig.FlagValue(enabled=True))
        definition = stub.CreateExperimentDefinition(appconfig.CreateExperimentDefinitionRequest(
            application_identifier=app, name="checkout", configuration_profile_identifier=profile,
            environment_identifier=env, flag_key="new-checkout", treatments=[flag],
            control=flag, audience_rule="{}"), timeout=T).id
        run = stub.StartExperimentRun(appconfig.StartExperimentRunRequest(
            application_identifier=app, experiment_definition_identifier=definition),
            timeout=T).run
        request = watch_pb2.WatchAppConfigExperimentRunRequest(
            application_identifier=app, experiment_definition_identifier=definition, run=run)
        self.step(1)
        reader = self.open("WatchAppConfigExperimentRun", request)
        # The run started before the stream: its event follows the snapshot.
        started = reader.wait(has_kind(EVENT))
        self.assertEqual([u.appconfig_experiment_run_event.event_type for u in started
                          if u.kind == EVENT], [appconfig.EXPERIMENT_RUN_EVENT_TYPE_RUN_STARTED])
        self.assertEqual(started[0].kind, SNAPSHOT)
        self.assertEqual(started[0].status, "RUNNING")
        stub.StopExperimentRun(appconfig.StopExperimentRunRequest(
            application_identifier=app, experiment_definition_identifier=definition, run=run),
            timeout=T)
        self.assertEqual(reader.end(), grpc.StatusCode.OK, reader.error)
        updates = reader.updates
        self.assert_ends(updates, "DONE", SUCCEEDED)
        self.assertEqual([u.sequence for u in updates], list(range(1, len(updates) + 1)))
        events = [u.appconfig_experiment_run_event.event_type for u in updates if u.kind == EVENT]
        self.assertEqual(events[0], appconfig.EXPERIMENT_RUN_EVENT_TYPE_RUN_STARTED)
        self.assertEqual(len(events), len(set(events)))

    # ---- ECS

    def ecs_service(self, cluster, name, desired=2):
        self.ecs.CreateCluster(ecs.CreateClusterRequest(cluster_name=cluster), timeout=T)
        return self.ecs.CreateService(ecs.CreateServiceRequest(
            cluster=cluster, service_name=name, task_definition="app:1", desired_count=desired),
            timeout=T).service

    def test_ecs_service_becomes_stable(self):
        self.ecs_service("watched", "web", desired=3)
        updates = self.follow("WatchEcsService", watch_pb2.WatchEcsServiceRequest(
            cluster="watched", service="web", goal=watch_pb2.ECS_SERVICE_GOAL_STABLE))
        self.assertEqual(updates[-1].outcome, SUCCEEDED)
        self.assertEqual(updates[-1].ecs_service.running_count, 3)
        running = [u.ecs_service.running_count for u in updates if u.kind in (SNAPSHOT, CHANGE)]
        self.assertEqual(running, sorted(running))  # converging, never going back
        self.assertIn("(service web) has reached a steady state.",
                      [u.ecs_service_event.message for u in updates if u.kind == EVENT])

    def test_ecs_deleted_service_fails_stable_and_reaches_inactive(self):
        self.ecs_service("deleted", "web")
        request = watch_pb2.WatchEcsServiceRequest(cluster="deleted", service="web",
                                                   goal=watch_pb2.ECS_SERVICE_GOAL_STABLE)
        failed = self.follow("WatchEcsService", request, during=lambda: self.ecs.DeleteService(
            ecs.DeleteServiceRequest(cluster="deleted", service="web"), timeout=T))
        self.assertEqual(failed[-1].ecs_service.status, "DRAINING")
        self.assertEqual(failed[-1].outcome, FAILED)
        request.goal = watch_pb2.ECS_SERVICE_GOAL_INACTIVE
        inactive = self.follow("WatchEcsService", request)
        self.assertEqual([u.ecs_service.status for u in inactive if u.kind in (SNAPSHOT, CHANGE)],
                         ["DRAINING", "INACTIVE"])
        self.assertEqual(inactive[-1].outcome, SUCCEEDED)

    def test_ecs_task_runs_then_stops_and_a_task_stopped_first_fails(self):
        self.ecs.CreateCluster(ecs.CreateClusterRequest(cluster_name="tasks"), timeout=T)

        def run():
            return self.ecs.RunTask(ecs.RunTaskRequest(cluster="tasks", task_definition="app:1"),
                                    timeout=T).tasks[0].task_arn

        def stop(task, reason):
            self.ecs.StopTask(ecs.StopTaskRequest(cluster="tasks", task=task, reason=reason),
                              timeout=T)

        task = run()
        up = self.follow("WatchEcsTask", watch_pb2.WatchEcsTaskRequest(
            cluster="tasks", task=task, goal=watch_pb2.ECS_TASK_GOAL_RUNNING))
        self.assertEqual(statuses(up), ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"])
        self.assertEqual(up[-1].outcome, SUCCEEDED)
        down = self.follow("WatchEcsTask", watch_pb2.WatchEcsTaskRequest(
            cluster="tasks", task=task, goal=watch_pb2.ECS_TASK_GOAL_STOPPED),
            during=lambda: stop(task, "done"))
        self.assert_ends(down, "STOPPED", SUCCEEDED)
        self.assertEqual(down[-1].ecs_task.stopped_reason, "done")

        early = run()
        never = self.follow("WatchEcsTask", watch_pb2.WatchEcsTaskRequest(
            cluster="tasks", task=early, goal=watch_pb2.ECS_TASK_GOAL_RUNNING),
            during=lambda: stop(early, "changed my mind"))
        self.assertNotIn("RUNNING", statuses(never))
        self.assert_ends(never, "STOPPED", FAILED)

    def service_deployments(self, cluster, service):
        return [d.service_deployment_arn for d in self.ecs.ListServiceDeployments(
            ecs.ListServiceDeploymentsRequest(cluster=cluster, service=service),
            timeout=T).service_deployments]

    def test_ecs_service_deployment_succeeds_or_rolls_back(self):
        self.ecs_service("deploys", "web")
        (first,) = self.service_deployments("deploys", "web")
        request = watch_pb2.WatchEcsServiceDeploymentRequest(service_deployment_arn=first)
        updates = self.follow("WatchEcsServiceDeployment", request)
        self.assertEqual(statuses(updates), ["PENDING", "IN_PROGRESS", "SUCCESSFUL"])
        self.assert_ends(updates, "SUCCESSFUL", SUCCEEDED)

        # An update is another deployment; stopping it rolls it back.
        self.ecs.UpdateService(ecs.UpdateServiceRequest(cluster="deploys", service="web",
                                                        desired_count=4), timeout=T)
        second = self.service_deployments("deploys", "web")[1]
        rolled = self.follow("WatchEcsServiceDeployment",
                             watch_pb2.WatchEcsServiceDeploymentRequest(
                                 service_deployment_arn=second),
                             during=lambda: self.ecs.StopServiceDeployment(
                                 ecs.StopServiceDeploymentRequest(service_deployment_arn=second),
                                 timeout=T))
        self.assertEqual(statuses(rolled)[-3:], ["ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS",
                                                 "ROLLBACK_SUCCESSFUL"])
        self.assert_ends(rolled, "ROLLBACK_SUCCESSFUL", FAILED)

        # A marked service's tasks never become healthy: the circuit breaker.
        self.ecs_service("deploys", f"web-{MARK}")
        (broken,) = self.service_deployments("deploys", f"web-{MARK}")
        failed = self.follow("WatchEcsServiceDeployment",
                             watch_pb2.WatchEcsServiceDeploymentRequest(
                                 service_deployment_arn=broken))
        self.assertEqual(statuses(failed), ["PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS",
                                            "ROLLBACK_SUCCESSFUL"])
        self.assert_ends(failed, "ROLLBACK_SUCCESSFUL", FAILED)
        self.assertIn("circuit breaker", failed[-1].ecs_service_deployment.status_reason)

    def test_ecs_daemon_deployment_succeeds_or_rolls_back(self):
        self.ecs.CreateCluster(ecs.CreateClusterRequest(cluster_name="daemons"), timeout=T)

        def create(name):
            return self.ecs.CreateDaemon(ecs.CreateDaemonRequest(
                daemon_name=name, cluster_arn="daemons", capacity_provider_arns=["cp"],
                daemon_task_definition_arn="arn:aws:ecs:us-east-1:123456789012:"
                                           "daemon-task-definition/agent:1"),
                timeout=T).deployment_arn

        updates = self.follow("WatchEcsDaemonDeployment",
                              watch_pb2.WatchEcsDaemonDeploymentRequest(
                                  daemon_deployment_arn=create("agent")))
        self.assertEqual(statuses(updates), ["PENDING", "IN_PROGRESS", "SUCCESSFUL"])
        self.assert_ends(updates, "SUCCESSFUL", SUCCEEDED)
        failed = self.follow("WatchEcsDaemonDeployment",
                             watch_pb2.WatchEcsDaemonDeploymentRequest(
                                 daemon_deployment_arn=create(f"agent-{MARK}")))
        self.assertEqual(statuses(failed)[-2:], ["ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL"])
        self.assert_ends(failed, "ROLLBACK_SUCCESSFUL", FAILED)

    # ---- Serverless Application Repository

    def test_serverlessrepo_template_becomes_active_or_expires(self):
        def template(name):
            app = self.sar.CreateApplication(sar.CreateApplicationRequest(
                name=name, author="me", description="watched"), timeout=T).application_id
            template = self.sar.CreateCloudFormationTemplate(
                sar.CreateCloudFormationTemplateRequest(application_id=app), timeout=T).template_id
            return watch_pb2.WatchServerlessRepoTemplateRequest(application_id=app,
                                                                template_id=template)

        updates = self.follow("WatchServerlessRepoTemplate", template("watched-sar"))
        self.assertEqual(statuses(updates), ["PREPARING", "ACTIVE"])
        self.assert_ends(updates, "ACTIVE", SUCCEEDED)
        # ACTIVE is a success terminal: a template that will expire is
        # watched once it is ACTIVE no more.
        expiring = template(f"sar-{MARK}")
        self.step(5)
        expired = list(self.watch.WatchServerlessRepoTemplate(with_options(expiring, fast()),
                                                              timeout=30))
        self.assertEqual([(u.kind, u.status, u.outcome) for u in expired],
                         [(SNAPSHOT, "EXPIRED", FAILED)])

    # ---- Stream behaviours

    def test_resume_after_reconnect_gives_no_duplicates_and_no_gaps(self):
        app, env, number = self.appconfig_deployment("resumed", 4, 25)
        request = watch_pb2.WatchAppConfigDeploymentRequest(
            application_id=app, environment_id=env, deployment_number=number)
        first = self.open("WatchAppConfigDeployment", request)
        first.wait(has_kind(SNAPSHOT))
        self.step(1)
        before = first.wait(has_kind(CHANGE))
        first.call.cancel()
        self.assertEqual(first.end(), grpc.StatusCode.CANCELLED)
        before = [u for u in first.updates if u.kind in (SNAPSHOT, CHANGE, EVENT)]
        # While disconnected the deployment moves on (and logs an event).
        self.step(4)
        options = fast()
        options.resume_token = before[-1].resume_token
        second = self.open("WatchAppConfigDeployment", request, options)
        for _ in range(10):
            if second.ended:
                break
            self.step(1)
            time.sleep(STEP_PAUSE)
        self.assertEqual(second.end(), grpc.StatusCode.OK, second.error)
        after = second.updates
        self.assertNotIn(SNAPSHOT, [u.kind for u in after])
        self.assertEqual([u.sequence for u in before + after],
                         list(range(1, len(before) + len(after) + 1)))
        # DEPLOYMENT_STARTED is in the first snapshot's event log; each later
        # entry comes once, whichever stream was open when it was logged.
        self.assertEqual([e.event_type for e in before[0].appconfig_deployment.event_log],
                         [appconfig.DEPLOYMENT_EVENT_TYPE_DEPLOYMENT_STARTED])
        events = [u.appconfig_deployment_event.event_type for u in before + after
                  if u.kind == EVENT]
        self.assertEqual(events, [appconfig.DEPLOYMENT_EVENT_TYPE_BAKE_TIME_STARTED,
                                  appconfig.DEPLOYMENT_EVENT_TYPE_DEPLOYMENT_COMPLETED])
        self.assertEqual(after[0].previous_status, before[-1].status)
        self.assert_ends(after, "COMPLETE", SUCCEEDED)

    def test_throttling_mid_stream_is_reported_and_recovered(self):
        service = self.create_apprunner_service("throttled")
        reader = self.open("WatchAppRunnerService", watch_pb2.WatchAppRunnerServiceRequest(
            service_arn=service.service_arn))
        reader.wait(has_kind(SNAPSHOT))
        try:
            self.assertEqual(self.control.faults(throttle_rate=1),
                             {"error_rate": 0, "throttle_rate": 1})
            errors = reader.wait(has_kind(POLL_ERROR))
        finally:
            self.control.faults(throttle_rate=0)
        reader.wait(has_kind(POLL_RECOVERED))
        self.step(3)
        self.assertEqual(reader.end(), grpc.StatusCode.OK, reader.error)
        updates = reader.updates
        error = next(u for u in errors if u.kind == POLL_ERROR)
        self.assertEqual(error.error_code, grpc.StatusCode.RESOURCE_EXHAUSTED.value[0])
        self.assertIn("Rate exceeded", error.error_message)
        self.assertEqual(error.sequence, 1)  # not a change: the snapshot's number
        kinds = [u.kind for u in updates]
        self.assertLess(kinds.index(POLL_ERROR), kinds.index(POLL_RECOVERED))
        self.assertLess(kinds.index(POLL_RECOVERED), kinds.index(CHANGE))
        self.assertEqual(statuses(updates), ["OPERATION_IN_PROGRESS", "RUNNING"])
        self.assert_ends(updates, "RUNNING", SUCCEEDED)

    def test_cancellation_ends_the_stream_and_its_poller(self):
        service = self.create_apprunner_service("cancelled")
        reader = self.open("WatchAppRunnerService", watch_pb2.WatchAppRunnerServiceRequest(
            service_arn=service.service_arn))
        reader.wait(has_kind(SNAPSHOT))
        self.gateway.wait_for_metric("awsgw_watch_pollers", 1)
        reader.call.cancel()
        self.assertEqual(reader.end(), grpc.StatusCode.CANCELLED)
        self.gateway.wait_for_metric("awsgw_watch_pollers", 0)
        self.gateway.wait_for_metric("awsgw_watch_watchers", 0)
        # Nothing polls the resource any more: many fast intervals, no request.
        self.control.call("requests/reset", b"")
        time.sleep(0.5)
        self.assertEqual(self.requests("apprunner.DescribeService"), 0)

    def test_hundred_watchers_of_one_resource_make_one_poll_per_interval(self):
        service = self.create_apprunner_service("popular")
        request = watch_pb2.WatchAppRunnerServiceRequest(service_arn=service.service_arn)
        operation = "apprunner.DescribeService"
        self.control.call("requests/reset", b"")
        polls_before = sample(self.gateway.metrics(), "awsgw_watch_polls_total",
                              method="DescribeService") or 0
        # 100 watchers polling every ten minutes: the first one's poll is the
        # only interval there is, and it serves all of them.
        slow = watch_pb2.WatchOptions(min_interval=duration_pb2.Duration(seconds=600),
                                      max_interval=duration_pb2.Duration(seconds=600))
        readers = [self.open("WatchAppRunnerService", request, slow) for _ in range(100)]
        for reader in readers:
            reader.wait(has_kind(SNAPSHOT))
        self.gateway.wait_for_metric("awsgw_watch_watchers", 100)
        metrics = self.gateway.metrics()
        self.assertEqual(sample(metrics, "awsgw_watch_pollers"), 1)
        self.assertEqual(sample(metrics, "awsgw_watch_coalescing_ratio"), 100)
        self.assertEqual(self.requests(operation), 1)
        time.sleep(0.3)  # still within that interval: still the one request
        self.assertEqual(self.requests(operation), 1)

        # One more watcher asks for a poll every 200ms; the shared poller
        # takes the fastest bounds, and each of its intervals is one request
        # for all 101 streams while the clock moves the service to RUNNING.
        fast_bounds = watch_pb2.WatchOptions(min_interval=duration_pb2.Duration(nanos=200_000_000),
                                             max_interval=duration_pb2.Duration(nanos=200_000_000))
        readers.append(self.open("WatchAppRunnerService", request, fast_bounds))
        readers[-1].wait(has_kind(SNAPSHOT))
        time.sleep(0.5)
        self.step(3)
        for reader in readers:
            self.assertEqual(reader.end(), grpc.StatusCode.OK, reader.error)
            self.assertEqual(statuses(reader.updates), ["OPERATION_IN_PROGRESS", "RUNNING"])
            self.assertTrue(reader.updates[-1].terminal)
        self.gateway.wait_for_metric("awsgw_watch_pollers", 0)
        polls = (sample(self.gateway.metrics(), "awsgw_watch_polls_total",
                        method="DescribeService") or 0) - polls_before
        requests = self.requests(operation)
        # Every request AWS saw is one of the poller's intervals...
        self.assertEqual(requests, polls)
        # ...and there were fewer of them than watchers: 101 streams that
        # polled for themselves would have needed 101 requests for their
        # snapshots alone.
        self.assertGreaterEqual(requests, 2)
        self.assertLess(requests, 100)


class BackendDownThenBackTest(unittest.TestCase):
    """The emulator goes away in the middle of a watch and comes back on the
    same port from its snapshot, accepting the keys of the one before."""

    def test_backend_down_then_back(self):
        with tempfile.TemporaryDirectory() as tmp:
            snapshot = os.path.join(tmp, "state.json")
            emu = EmulatorProcess("--stepped_clock", "--snapshot", snapshot, region="us-east-1")
            credentials = os.path.join(tmp, "credentials")
            with open(credentials, "w") as f:
                f.write(f"{emu.info['access_key_id']} {emu.info['secret_access_key']}\n")
            gateway = GatewayProcess("--config", gateway_config(tmp),
                                     "--watch_min_interval", "10ms", env=emu.gateway_env())
            channel = grpc.insecure_channel(gateway.address)
            try:
                stub = apprunner_pb2_grpc.AppRunnerServiceStub(channel)
                service = stub.CreateService(apprunner.CreateServiceRequest(
                    service_name="survivor",
                    source_configuration=apprunner.SourceConfiguration(
                        image_repository=apprunner.ImageRepository(
                            image_identifier="public.ecr.aws/x/y:1",
                            image_repository_type=apprunner.IMAGE_REPOSITORY_TYPE_ECR_PUBLIC))),
                    timeout=T).service
                watch = watch_pb2_grpc.WatchServiceStub(channel)
                reader = Reader(watch.WatchAppRunnerService(with_options(
                    watch_pb2.WatchAppRunnerServiceRequest(service_arn=service.service_arn),
                    fast()), timeout=120))
                reader.wait(has_kind(SNAPSHOT))
                self.assertEqual(emu.stop(), 0)  # saves the snapshot
                self.assertTrue(os.path.exists(snapshot))
                down = reader.wait(has_kind(POLL_ERROR))
                error = next(u for u in down if u.kind == POLL_ERROR)
                self.assertEqual(error.error_code, grpc.StatusCode.UNAVAILABLE.value[0])
                emu = EmulatorProcess("--stepped_clock", "--snapshot", snapshot,
                                      "--credentials_file", credentials,
                                      "--listen", f"127.0.0.1:{emu.info['port']}",
                                      region="us-east-1")
                reader.wait(has_kind(POLL_RECOVERED))
                EmulatorControl(emu).step(3)
                self.assertEqual(reader.end(), grpc.StatusCode.OK, reader.error)
                updates = reader.updates
                self.assertEqual(statuses(updates), ["OPERATION_IN_PROGRESS", "RUNNING"])
                self.assertEqual(updates[-1].outcome, SUCCEEDED)
                self.assertEqual([u.sequence for u in updates if u.kind in (SNAPSHOT, CHANGE)],
                                 [1, 2])
            finally:
                channel.close()
                gateway.stop()
                emu.stop()


if __name__ == "__main__":
    unittest.main()
