"""The emulator's lifecycles through the gateway: a grpcio client -> the real
gateway -> aws-emulator (--stepped_clock), for all five services. The same
sequences botocore sees (test_emulator_lifecycles.py), now as typed gRPC
messages: create, describe, list with pagination, update, delete, modeled
errors, and statuses that move only when the test moves the clock."""

import os
import sys
import unittest
import urllib.request

import grpc

from emulator_process import REPO, EmulatorProcess

PYTHON_OUT = os.environ.get("AWSGW_PYTHON_OUT", os.path.join(REPO, "build", "python"))
sys.path.insert(0, PYTHON_OUT)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))

from gateway_process import GatewayProcess  # noqa: E402
from awsgw import options_pb2  # noqa: E402
from aws.amplify.v1 import amplify_pb2 as amplify, amplify_pb2_grpc  # noqa: E402
from aws.appconfig.v1 import appconfig_pb2 as appconfig, appconfig_pb2_grpc  # noqa: E402
from aws.apprunner.v1 import apprunner_pb2 as apprunner, apprunner_pb2_grpc  # noqa: E402
from aws.ecs.v1 import ecs_pb2 as ecs, ecs_pb2_grpc  # noqa: E402
from aws.serverlessrepo.v1 import serverlessrepo_pb2 as sar, serverlessrepo_pb2_grpc  # noqa: E402

T = 10  # seconds per call


def aws(message, field):
    """An enum field's AWS spelling."""
    value = message.DESCRIPTOR.fields_by_name[field].enum_type.values_by_number[
        getattr(message, field)]
    return value.GetOptions().Extensions[options_pb2.aws_value]


class GatewayLifecyclesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess("--stepped_clock", region="us-east-1")
        cls.gateway = GatewayProcess(env=cls.emu.gateway_env())
        cls.channel = grpc.insecure_channel(cls.gateway.address)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.gateway.stop()
        cls.emu.stop()

    def step(self, seconds):
        request = urllib.request.Request(f"{self.emu.url}/_emulator/clock/advance",
                                         data=str(seconds).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=T) as response:
            self.assertEqual(response.status, 200)

    def test_apprunner_service(self):
        stub = apprunner_pb2_grpc.AppRunnerServiceStub(self.channel)
        created = stub.CreateService(apprunner.CreateServiceRequest(
            service_name="gw-life",
            source_configuration=apprunner.SourceConfiguration(
                image_repository=apprunner.ImageRepository(
                    image_identifier="public.ecr.aws/x/y:1",
                    image_repository_type=apprunner.IMAGE_REPOSITORY_TYPE_ECR_PUBLIC))),
            timeout=T)
        arn = created.service.service_arn
        self.assertEqual(aws(created.service, "status"), "OPERATION_IN_PROGRESS")

        def operations():
            return stub.ListOperations(apprunner.ListOperationsRequest(service_arn=arn),
                                       timeout=T).operation_summary_list

        self.assertEqual([aws(o, "status") for o in operations()], ["PENDING"])
        self.step(3)
        self.assertEqual([aws(o, "status") for o in operations()], ["SUCCEEDED"])
        described = stub.DescribeService(apprunner.DescribeServiceRequest(service_arn=arn),
                                         timeout=T).service
        self.assertEqual(aws(described, "status"), "RUNNING")
        stub.PauseService(apprunner.PauseServiceRequest(service_arn=arn), timeout=T)
        self.step(3)
        described = stub.DescribeService(apprunner.DescribeServiceRequest(service_arn=arn),
                                         timeout=T).service
        self.assertEqual(aws(described, "status"), "PAUSED")
        stub.DeleteService(apprunner.DeleteServiceRequest(service_arn=arn), timeout=T)
        self.step(5)
        with self.assertRaises(grpc.RpcError) as err:
            stub.DescribeService(apprunner.DescribeServiceRequest(service_arn=arn), timeout=T)
        self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_amplify_app_branch_and_job(self):
        stub = amplify_pb2_grpc.AmplifyServiceStub(self.channel)
        apps = [stub.CreateApp(amplify.CreateAppRequest(name=f"gw-app-{i}"), timeout=T).app.app_id
                for i in range(3)]
        # Pagination with the model's token and size members.
        seen, token = [], ""
        while True:
            page = stub.ListApps(amplify.ListAppsRequest(max_results=2, next_token=token),
                                 timeout=T)
            seen += [a.app_id for a in page.apps]
            token = page.next_token
            if not token:
                break
        self.assertTrue(set(apps) <= set(seen))
        app = apps[0]
        stub.CreateBranch(amplify.CreateBranchRequest(app_id=app, branch_name="main"), timeout=T)
        job = stub.StartJob(amplify.StartJobRequest(app_id=app, branch_name="main",
                                                    job_type=amplify.JOB_TYPE_RELEASE),
                            timeout=T).job_summary
        self.assertEqual(aws(job, "status"), "PENDING")
        self.step(4)
        done = stub.GetJob(amplify.GetJobRequest(app_id=app, branch_name="main",
                                                 job_id=job.job_id), timeout=T).job
        self.assertEqual(aws(done.summary, "status"), "SUCCEED")
        self.assertEqual([s.step_name for s in done.steps], ["BUILD", "DEPLOY"])
        stub.UpdateApp(amplify.UpdateAppRequest(app_id=app, description="updated"), timeout=T)
        self.assertEqual(stub.GetApp(amplify.GetAppRequest(app_id=app), timeout=T).app.description,
                         "updated")
        stub.DeleteApp(amplify.DeleteAppRequest(app_id=app), timeout=T)
        with self.assertRaises(grpc.RpcError) as err:
            stub.GetApp(amplify.GetAppRequest(app_id=app), timeout=T)
        self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_appconfig_deployment(self):
        stub = appconfig_pb2_grpc.AppConfigServiceStub(self.channel)
        app = stub.CreateApplication(appconfig.CreateApplicationRequest(name="gw-cfg"),
                                     timeout=T).id
        env = stub.CreateEnvironment(appconfig.CreateEnvironmentRequest(
            application_id=app, name="prod"), timeout=T).id
        profile = stub.CreateConfigurationProfile(appconfig.CreateConfigurationProfileRequest(
            application_id=app, name="flags", location_uri="hosted"), timeout=T).id
        content = bytes(range(256))
        version = stub.CreateHostedConfigurationVersion(
            appconfig.CreateHostedConfigurationVersionRequest(
                application_id=app, configuration_profile_id=profile, content=content,
                content_type="application/octet-stream"), timeout=T)
        got = stub.GetHostedConfigurationVersion(appconfig.GetHostedConfigurationVersionRequest(
            application_id=app, configuration_profile_id=profile,
            version_number=version.version_number), timeout=T)
        self.assertEqual(got.content, content)  # a blob payload, byte-exact both ways
        self.assertEqual(got.content_type, "application/octet-stream")
        strategy = stub.CreateDeploymentStrategy(appconfig.CreateDeploymentStrategyRequest(
            name="linear", deployment_duration_in_minutes=4, growth_factor=25,
            growth_type=appconfig.GROWTH_TYPE_LINEAR, final_bake_time_in_minutes=2,
            replicate_to=appconfig.REPLICATE_TO_NONE), timeout=T).id
        number = stub.StartDeployment(appconfig.StartDeploymentRequest(
            application_id=app, environment_id=env, deployment_strategy_id=strategy,
            configuration_profile_id=profile,
            configuration_version=str(version.version_number)), timeout=T).deployment_number

        def deployment():
            return stub.GetDeployment(appconfig.GetDeploymentRequest(
                application_id=app, environment_id=env, deployment_number=number), timeout=T)

        observed = []
        for _ in range(4):
            d = deployment()
            observed.append((aws(d, "state"), round(d.percentage_complete)))
            self.step(1)
        self.assertEqual(observed, [("DEPLOYING", 0), ("DEPLOYING", 25), ("DEPLOYING", 50),
                                    ("DEPLOYING", 75)])
        self.assertEqual(aws(deployment(), "state"), "BAKING")
        self.step(2)
        done = deployment()
        self.assertEqual(aws(done, "state"), "COMPLETE")
        self.assertEqual(len(done.event_log), 3)
        environment = stub.GetEnvironment(appconfig.GetEnvironmentRequest(
            application_id=app, environment_id=env), timeout=T)
        self.assertEqual(aws(environment, "state"), "READY_FOR_DEPLOYMENT")

    def test_ecs_service_and_tasks(self):
        stub = ecs_pb2_grpc.EcsServiceStub(self.channel)
        stub.CreateCluster(ecs.CreateClusterRequest(cluster_name="gw-life"), timeout=T)
        for name in ("web", "worker", "cron"):
            stub.CreateService(ecs.CreateServiceRequest(
                cluster="gw-life", service_name=name, task_definition="app:1", desired_count=2),
                timeout=T)
        first = stub.ListServices(ecs.ListServicesRequest(cluster="gw-life", max_results=2),
                                  timeout=T)
        self.assertEqual(len(first.service_arns), 2)
        rest = stub.ListServices(ecs.ListServicesRequest(cluster="gw-life",
                                                         next_token=first.next_token), timeout=T)
        self.assertEqual(len(first.service_arns) + len(rest.service_arns), 3)
        self.step(4)
        web = stub.DescribeServices(ecs.DescribeServicesRequest(cluster="gw-life",
                                                                services=["web"]),
                                    timeout=T).services[0]
        self.assertEqual((web.running_count, web.desired_count), (2, 2))
        stub.UpdateService(ecs.UpdateServiceRequest(cluster="gw-life", service="web",
                                                    desired_count=3), timeout=T)
        self.step(4)
        web = stub.DescribeServices(ecs.DescribeServicesRequest(cluster="gw-life",
                                                                services=["web"]),
                                    timeout=T).services[0]
        self.assertEqual(web.running_count, 3)
        missing = stub.DescribeServices(ecs.DescribeServicesRequest(cluster="gw-life",
                                                                    services=["nope"]), timeout=T)
        self.assertEqual([f.reason for f in missing.failures], ["MISSING"])

        task = stub.RunTask(ecs.RunTaskRequest(cluster="gw-life", task_definition="app:1"),
                            timeout=T).tasks[0]
        self.assertEqual(task.last_status, "PROVISIONING")
        self.step(3)
        running = stub.DescribeTasks(ecs.DescribeTasksRequest(cluster="gw-life",
                                                              tasks=[task.task_arn]), timeout=T)
        self.assertEqual(running.tasks[0].last_status, "RUNNING")
        stub.StopTask(ecs.StopTaskRequest(cluster="gw-life", task=task.task_arn,
                                          reason="done"), timeout=T)
        self.step(3)
        stopped = stub.DescribeTasks(ecs.DescribeTasksRequest(cluster="gw-life",
                                                              tasks=[task.task_arn]),
                                     timeout=T).tasks[0]
        self.assertEqual((stopped.last_status, stopped.stopped_reason), ("STOPPED", "done"))
        self.assertEqual(aws(stopped, "stop_code"), "UserInitiated")

    def test_serverlessrepo_application_and_template(self):
        stub = serverlessrepo_pb2_grpc.ServerlessApplicationRepositoryServiceStub(self.channel)
        app = stub.CreateApplication(sar.CreateApplicationRequest(
            name="gw-sar", author="me", description="through the gateway"),
            timeout=T).application_id
        template = stub.CreateCloudFormationTemplate(sar.CreateCloudFormationTemplateRequest(
            application_id=app), timeout=T)
        self.assertEqual(aws(template, "status"), "PREPARING")
        self.step(2)
        got = stub.GetCloudFormationTemplate(sar.GetCloudFormationTemplateRequest(
            application_id=app, template_id=template.template_id), timeout=T)
        self.assertEqual(aws(got, "status"), "ACTIVE")
        stub.DeleteApplication(sar.DeleteApplicationRequest(application_id=app), timeout=T)
        with self.assertRaises(grpc.RpcError) as err:
            stub.GetApplication(sar.GetApplicationRequest(application_id=app), timeout=T)
        self.assertEqual(err.exception.code(), grpc.StatusCode.NOT_FOUND)


if __name__ == "__main__":
    unittest.main()
