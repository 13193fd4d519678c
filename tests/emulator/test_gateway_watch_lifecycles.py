"""Watch streams end to end through the emulator: a grpcio client watches
resources through the real gateway while aws-emulator (--stepped_clock) moves
them through their lifecycles, one clock step at a time. Each stream must
start with the snapshot, report every state it could observe once, and end
OK on the terminal update with the right outcome."""

import os
import sys
import threading
import time
import unittest
import urllib.request

import grpc
from google.protobuf import duration_pb2

from emulator_process import REPO, EmulatorProcess

PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(REPO, "build", "python"))
sys.path.insert(0, PYTHON_OUT)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))

from gateway_process import GatewayProcess  # noqa: E402
from awsgw.watch.v1 import watch_pb2, watch_pb2_grpc  # noqa: E402
from aws.amplify.v1 import amplify_pb2 as amplify, amplify_pb2_grpc  # noqa: E402
from aws.appconfig.v1 import appconfig_pb2 as appconfig, appconfig_pb2_grpc  # noqa: E402
from aws.apprunner.v1 import apprunner_pb2 as apprunner, apprunner_pb2_grpc  # noqa: E402
from aws.ecs.v1 import ecs_pb2 as ecs, ecs_pb2_grpc  # noqa: E402
from aws.serverlessrepo.v1 import serverlessrepo_pb2 as sar, serverlessrepo_pb2_grpc  # noqa: E402

U = watch_pb2.WatchUpdate
T = 10  # seconds per unary call


def fast():
    return watch_pb2.WatchOptions(min_interval=duration_pb2.Duration(nanos=20_000_000),
                                  max_interval=duration_pb2.Duration(nanos=100_000_000))


def distinct(statuses):
    """`statuses` without consecutive repeats."""
    out = []
    for s in statuses:
        if not out or out[-1] != s:
            out.append(s)
    return out


class WatchThroughEmulatorTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess("--stepped_clock", region="us-east-1")
        cls.gateway = GatewayProcess("--watch_min_interval", "10ms", env=cls.emu.gateway_env())
        cls.channel = grpc.insecure_channel(cls.gateway.address)
        cls.watch = watch_pb2_grpc.WatchServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()
        cls.emu.stop()

    def step(self, seconds=1):
        request = urllib.request.Request(f"{self.emu.url}/_emulator/clock/advance",
                                         data=str(seconds).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=T) as response:
            self.assertEqual(response.status, 200)

    def follow(self, rpc, request, max_steps=30):
        """Watches on a thread while stepping the clock one second at a time
        (letting the poller see each state) until the stream ends."""
        updates, outcome = [], {}

        def run():
            try:
                for update in rpc(request, timeout=120):
                    updates.append(update)
            except grpc.RpcError as error:
                outcome["error"] = error

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(0.5)  # the snapshot first
        for _ in range(max_steps):
            if not thread.is_alive():
                break
            self.step(1)
            time.sleep(0.4)
        thread.join(timeout=30)
        self.assertFalse(thread.is_alive(), "the stream did not end")
        self.assertNotIn("error", outcome)
        self.assertEqual(updates[0].kind, U.KIND_SNAPSHOT)
        self.assertTrue(updates[-1].terminal)
        self.assertEqual([u.sequence for u in updates], list(range(1, len(updates) + 1)))
        return updates

    def statuses(self, updates):
        return distinct([u.status for u in updates if u.kind in (U.KIND_SNAPSHOT, U.KIND_CHANGE)])

    def test_apprunner_operation_and_service(self):
        stub = apprunner_pb2_grpc.AppRunnerServiceStub(self.channel)
        service = stub.CreateService(apprunner.CreateServiceRequest(
            service_name="watched-web",
            source_configuration=apprunner.SourceConfiguration(
                image_repository=apprunner.ImageRepository(
                    image_identifier="public.ecr.aws/x/y:1",
                    image_repository_type=apprunner.IMAGE_REPOSITORY_TYPE_ECR_PUBLIC))),
            timeout=T).service
        updates = self.follow(self.watch.WatchAppRunnerOperation,
                              watch_pb2.WatchAppRunnerOperationRequest(
                                  service_arn=service.service_arn, options=fast()))
        self.assertEqual(self.statuses(updates), ["PENDING", "IN_PROGRESS", "SUCCEEDED"])
        self.assertEqual(updates[-1].outcome, U.OUTCOME_SUCCEEDED)
        self.assertEqual(updates[-1].apprunner_operation.target_arn, service.service_arn)
        # The service is RUNNING now: its watch is one terminal snapshot.
        final = list(self.watch.WatchAppRunnerService(watch_pb2.WatchAppRunnerServiceRequest(
            service_arn=service.service_arn, options=fast()), timeout=30))
        self.assertEqual([(u.kind, u.status, u.terminal) for u in final],
                         [(U.KIND_SNAPSHOT, "RUNNING", True)])

    def test_amplify_job_succeeds_and_a_stopped_job_fails(self):
        stub = amplify_pb2_grpc.AmplifyServiceStub(self.channel)
        app = stub.CreateApp(amplify.CreateAppRequest(name="watched-app"), timeout=T).app.app_id
        stub.CreateBranch(amplify.CreateBranchRequest(app_id=app, branch_name="main"), timeout=T)

        def start():
            return stub.StartJob(amplify.StartJobRequest(
                app_id=app, branch_name="main", job_type=amplify.JOB_TYPE_RELEASE),
                timeout=T).job_summary.job_id

        job = start()
        updates = self.follow(self.watch.WatchAmplifyJob, watch_pb2.WatchAmplifyJobRequest(
            app_id=app, branch_name="main", job_id=job, options=fast()))
        self.assertEqual(self.statuses(updates), ["PENDING", "PROVISIONING", "RUNNING", "SUCCEED"])
        self.assertEqual(updates[-1].outcome, U.OUTCOME_SUCCEEDED)
        self.assertEqual([s.step_name for s in updates[-1].amplify_job.steps], ["BUILD", "DEPLOY"])

        second = start()
        stub.StopJob(amplify.StopJobRequest(app_id=app, branch_name="main", job_id=second),
                     timeout=T)
        stopped = self.follow(self.watch.WatchAmplifyJob, watch_pb2.WatchAmplifyJobRequest(
            app_id=app, branch_name="main", job_id=second, options=fast()))
        self.assertEqual(stopped[-1].status, "CANCELLED")
        self.assertEqual(stopped[-1].outcome, U.OUTCOME_FAILED)

    def appconfig_deployment(self, name, duration, growth):
        stub = appconfig_pb2_grpc.AppConfigServiceStub(self.channel)
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
            final_bake_time_in_minutes=1, replicate_to=appconfig.REPLICATE_TO_NONE),
            timeout=T).id
        number = stub.StartDeployment(appconfig.StartDeploymentRequest(
            application_id=app, environment_id=env, deployment_strategy_id=strategy,
            configuration_profile_id=profile, configuration_version="1"),
            timeout=T).deployment_number
        return stub, app, env, number

    def test_appconfig_deployment_completes_with_its_event_log(self):
        stub, app, env, number = self.appconfig_deployment("watched-cfg", 4, 25)
        updates = self.follow(self.watch.WatchAppConfigDeployment,
                              watch_pb2.WatchAppConfigDeploymentRequest(
                                  application_id=app, environment_id=env,
                                  deployment_number=number, options=fast()))
        self.assertEqual(self.statuses(updates), ["DEPLOYING", "BAKING", "COMPLETE"])
        self.assertEqual(updates[-1].outcome, U.OUTCOME_SUCCEEDED)
        percentages = [round(u.appconfig_deployment.percentage_complete) for u in updates
                       if u.kind in (U.KIND_SNAPSHOT, U.KIND_CHANGE)]
        self.assertEqual(percentages, sorted(percentages))
        self.assertGreater(len(set(percentages)), 2)  # rising, seen step by step
        events = [u.appconfig_deployment_event.event_type for u in updates
                  if u.kind == U.KIND_EVENT]
        self.assertEqual(len(events), len(set(events)))  # each entry once
        self.assertGreaterEqual(len(events), 2)

    def test_appconfig_stopped_deployment_rolls_back(self):
        stub, app, env, number = self.appconfig_deployment("watched-stop", 10, 10)
        self.step(2)
        stub.StopDeployment(appconfig.StopDeploymentRequest(
            application_id=app, environment_id=env, deployment_number=number), timeout=T)
        updates = self.follow(self.watch.WatchAppConfigDeployment,
                              watch_pb2.WatchAppConfigDeploymentRequest(
                                  application_id=app, environment_id=env,
                                  deployment_number=number, options=fast()))
        self.assertEqual(updates[-1].status, "ROLLED_BACK")
        self.assertEqual(updates[-1].outcome, U.OUTCOME_FAILED)

    def test_ecs_service_becomes_stable_and_a_task_runs_then_stops(self):
        stub = ecs_pb2_grpc.EcsServiceStub(self.channel)
        stub.CreateCluster(ecs.CreateClusterRequest(cluster_name="watched"), timeout=T)
        stub.CreateService(ecs.CreateServiceRequest(
            cluster="watched", service_name="web", task_definition="app:1", desired_count=3),
            timeout=T)
        updates = self.follow(self.watch.WatchEcsService, watch_pb2.WatchEcsServiceRequest(
            cluster="watched", service="web", goal=watch_pb2.ECS_SERVICE_GOAL_STABLE,
            options=fast()))
        self.assertEqual(updates[-1].outcome, U.OUTCOME_SUCCEEDED)
        self.assertEqual(updates[-1].ecs_service.running_count, 3)
        running = [u.ecs_service.running_count for u in updates
                   if u.kind in (U.KIND_SNAPSHOT, U.KIND_CHANGE)]
        self.assertEqual(running, sorted(running))  # converging, never going back

        task = stub.RunTask(ecs.RunTaskRequest(cluster="watched", task_definition="app:1"),
                            timeout=T).tasks[0].task_arn
        up = self.follow(self.watch.WatchEcsTask, watch_pb2.WatchEcsTaskRequest(
            cluster="watched", task=task, goal=watch_pb2.ECS_TASK_GOAL_RUNNING, options=fast()))
        self.assertEqual(self.statuses(up)[-1], "RUNNING")
        self.assertEqual(up[-1].outcome, U.OUTCOME_SUCCEEDED)
        stub.StopTask(ecs.StopTaskRequest(cluster="watched", task=task, reason="done"), timeout=T)
        down = self.follow(self.watch.WatchEcsTask, watch_pb2.WatchEcsTaskRequest(
            cluster="watched", task=task, goal=watch_pb2.ECS_TASK_GOAL_STOPPED, options=fast()))
        self.assertEqual(down[-1].status, "STOPPED")
        self.assertEqual(down[-1].ecs_task.stopped_reason, "done")
        self.assertEqual(down[-1].outcome, U.OUTCOME_SUCCEEDED)

    def test_serverlessrepo_template_becomes_active(self):
        stub = serverlessrepo_pb2_grpc.ServerlessApplicationRepositoryServiceStub(self.channel)
        app = stub.CreateApplication(sar.CreateApplicationRequest(
            name="watched-sar", author="me", description="watched"), timeout=T).application_id
        template = stub.CreateCloudFormationTemplate(sar.CreateCloudFormationTemplateRequest(
            application_id=app), timeout=T).template_id
        updates = self.follow(self.watch.WatchServerlessRepoTemplate,
                              watch_pb2.WatchServerlessRepoTemplateRequest(
                                  application_id=app, template_id=template, options=fast()))
        self.assertEqual(self.statuses(updates), ["PREPARING", "ACTIVE"])
        self.assertEqual(updates[-1].outcome, U.OUTCOME_SUCCEEDED)


if __name__ == "__main__":
    unittest.main()
