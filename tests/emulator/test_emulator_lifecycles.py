"""Lifecycles of aws-emulator seen through botocore, on a stepped clock.

The emulator runs with --stepped_clock: lifecycle time stands still until the
test moves it (POST /_emulator/clock/advance, body = seconds), so every state
of a sequence is observed exactly, with no sleeps and no timing assumptions.
Also: hosted AppConfig content byte-exact, and snapshots across restarts.
"""

import os
import tempfile
import time
import unittest
import urllib.request

from emulator_process import EmulatorProcess, require_botocore

require_botocore()
import botocore.exceptions  # noqa: E402  (after require_botocore set AWS_DATA_PATH)


def advance(emu, seconds):
    request = urllib.request.Request(f"{emu.url}/_emulator/clock/advance",
                                     data=str(seconds).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


class LifecycleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess("--stepped_clock")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def step(self, seconds):
        advance(self.emu, seconds)

    def test_apprunner_create_service_operations(self):
        ar = self.emu.client("apprunner")
        out = ar.create_service(
            ServiceName="life-svc",
            SourceConfiguration={"ImageRepository": {"ImageIdentifier": "public.ecr.aws/x/y:1",
                                                     "ImageRepositoryType": "ECR_PUBLIC"}})
        arn = out["Service"]["ServiceArn"]
        self.assertEqual(out["Service"]["Status"], "OPERATION_IN_PROGRESS")

        def operation():
            ops = ar.list_operations(ServiceArn=arn)["OperationSummaryList"]
            self.assertEqual(len(ops), 1)
            self.assertEqual(ops[0]["Id"], out["OperationId"])
            self.assertEqual(ops[0]["Type"], "CREATE_SERVICE")
            self.assertEqual(ops[0]["TargetArn"], arn)
            return ops[0]

        self.assertEqual(operation()["Status"], "PENDING")
        self.step(1)
        self.assertEqual(operation()["Status"], "IN_PROGRESS")
        self.assertEqual(ar.describe_service(ServiceArn=arn)["Service"]["Status"],
                         "OPERATION_IN_PROGRESS")
        self.step(2)
        done = operation()
        self.assertEqual(done["Status"], "SUCCEEDED")
        self.assertIn("EndedAt", done)
        self.assertEqual(ar.describe_service(ServiceArn=arn)["Service"]["Status"], "RUNNING")

        paused = ar.pause_service(ServiceArn=arn)
        self.assertEqual(paused["Service"]["Status"], "OPERATION_IN_PROGRESS")
        self.step(3)
        self.assertEqual(ar.describe_service(ServiceArn=arn)["Service"]["Status"], "PAUSED")
        types = [o["Type"] for o in ar.list_operations(ServiceArn=arn)["OperationSummaryList"]]
        self.assertEqual(sorted(types), ["CREATE_SERVICE", "PAUSE_SERVICE"])

    def test_amplify_job_succeeds_with_steps_and_stop_cancels(self):
        amp = self.emu.client("amplify")
        app = amp.create_app(name="life-app")["app"]["appId"]
        amp.create_branch(appId=app, branchName="main")
        job = amp.start_job(appId=app, branchName="main", jobType="RELEASE")["jobSummary"]
        self.assertEqual(job["status"], "PENDING")

        def get():
            return amp.get_job(appId=app, branchName="main", jobId=job["jobId"])["job"]

        seen = [get()["summary"]["status"]]
        for _ in range(4):
            self.step(1)
            seen.append(get()["summary"]["status"])
        self.assertEqual(seen, ["PENDING", "PROVISIONING", "RUNNING", "RUNNING", "SUCCEED"])
        self.assertEqual([s["stepName"] for s in get()["steps"]], ["BUILD", "DEPLOY"])
        self.assertTrue(all(s["status"] == "SUCCEED" for s in get()["steps"]))

        second = amp.start_job(appId=app, branchName="main", jobType="RELEASE")["jobSummary"]
        stopped = amp.stop_job(appId=app, branchName="main", jobId=second["jobId"])
        self.assertEqual(stopped["jobSummary"]["status"], "CANCELLING")
        self.step(2)
        final = amp.get_job(appId=app, branchName="main", jobId=second["jobId"])["job"]
        self.assertEqual(final["summary"]["status"], "CANCELLED")
        statuses = {j["jobId"]: j["status"]
                    for j in amp.list_jobs(appId=app, branchName="main")["jobSummaries"]}
        self.assertEqual(statuses, {job["jobId"]: "SUCCEED", second["jobId"]: "CANCELLED"})

    def appconfig_environment(self, name):
        ac = self.emu.client("appconfig")
        app = ac.create_application(Name=name)["Id"]
        env = ac.create_environment(ApplicationId=app, Name="prod")["Id"]
        profile = ac.create_configuration_profile(ApplicationId=app, Name="flags",
                                                  LocationUri="hosted")["Id"]
        return ac, app, env, profile

    def test_appconfig_deployment_grows_bakes_and_completes(self):
        ac, app, env, profile = self.appconfig_environment("life-cfg")
        strategy = ac.create_deployment_strategy(
            Name="linear", DeploymentDurationInMinutes=4, GrowthType="LINEAR",
            GrowthFactor=25, FinalBakeTimeInMinutes=2, ReplicateTo="NONE")["Id"]
        started = ac.start_deployment(ApplicationId=app, EnvironmentId=env,
                                      DeploymentStrategyId=strategy,
                                      ConfigurationProfileId=profile, ConfigurationVersion="1")
        number = started["DeploymentNumber"]
        self.assertEqual(started["State"], "DEPLOYING")
        self.assertEqual(ac.get_environment(ApplicationId=app, EnvironmentId=env)["State"],
                         "DEPLOYING")

        def get():
            return ac.get_deployment(ApplicationId=app, EnvironmentId=env,
                                     DeploymentNumber=number)

        percentages = [get()["PercentageComplete"]]
        for _ in range(3):
            self.step(1)
            self.assertEqual(get()["State"], "DEPLOYING")
            percentages.append(get()["PercentageComplete"])
        self.assertEqual(percentages, [0, 25, 50, 75])
        self.step(1)
        self.assertEqual(get()["State"], "BAKING")
        self.assertEqual(get()["PercentageComplete"], 100)
        self.step(2)
        done = get()
        self.assertEqual(done["State"], "COMPLETE")
        self.assertEqual([e["EventType"] for e in done["EventLog"]],
                         ["DEPLOYMENT_COMPLETED", "BAKE_TIME_STARTED", "DEPLOYMENT_STARTED"])
        self.assertEqual(ac.get_environment(ApplicationId=app, EnvironmentId=env)["State"],
                         "READY_FOR_DEPLOYMENT")

    def test_appconfig_stop_deployment_rolls_back(self):
        ac, app, env, profile = self.appconfig_environment("life-stop")
        strategy = ac.create_deployment_strategy(
            Name="slow", DeploymentDurationInMinutes=10, GrowthType="LINEAR",
            GrowthFactor=10, FinalBakeTimeInMinutes=0, ReplicateTo="NONE")["Id"]
        number = ac.start_deployment(ApplicationId=app, EnvironmentId=env,
                                     DeploymentStrategyId=strategy,
                                     ConfigurationProfileId=profile,
                                     ConfigurationVersion="1")["DeploymentNumber"]
        self.step(3)
        stopped = ac.stop_deployment(ApplicationId=app, EnvironmentId=env,
                                     DeploymentNumber=number)
        self.assertEqual(stopped["State"], "ROLLING_BACK")
        self.step(1)
        final = ac.get_deployment(ApplicationId=app, EnvironmentId=env, DeploymentNumber=number)
        self.assertEqual(final["State"], "ROLLED_BACK")
        self.assertEqual(final["EventLog"][0]["EventType"], "ROLLBACK_COMPLETED")
        self.assertEqual(ac.get_environment(ApplicationId=app, EnvironmentId=env)["State"],
                         "ROLLED_BACK")

    def test_appconfig_hosted_configuration_is_byte_exact(self):
        ac, app, env, profile = self.appconfig_environment("life-hosted")
        content = bytes(range(256)) + b'{"flag": true}\n'
        created = ac.create_hosted_configuration_version(
            ApplicationId=app, ConfigurationProfileId=profile, Content=content,
            ContentType="application/octet-stream")
        self.assertEqual(created["ContentType"], "application/octet-stream")
        got = ac.get_hosted_configuration_version(ApplicationId=app,
                                                  ConfigurationProfileId=profile,
                                                  VersionNumber=created["VersionNumber"])
        self.assertEqual(got["Content"].read(), content)
        self.assertEqual(got["ContentType"], "application/octet-stream")
        # The deprecated GetConfiguration serves the newest hosted version.
        newer = b'{"flag": false}'
        ac.create_hosted_configuration_version(ApplicationId=app, ConfigurationProfileId=profile,
                                               Content=newer, ContentType="application/json")
        served = ac.get_configuration(Application=app, Environment=env, Configuration=profile,
                                      ClientId="client-1")
        self.assertEqual(served["Content"].read(), newer)
        self.assertEqual(served["ContentType"], "application/json")

    def test_ecs_service_converges_and_tasks_run_and_stop(self):
        ecs = self.emu.client("ecs")
        ecs.create_cluster(clusterName="life")
        svc = ecs.create_service(cluster="life", serviceName="web", taskDefinition="app:1",
                                 desiredCount=3)["service"]
        self.assertEqual(svc["runningCount"], 0)
        self.assertEqual(svc["deployments"][0]["rolloutState"], "IN_PROGRESS")
        counts = []
        for _ in range(3):
            self.step(1)
            counts.append(ecs.describe_services(cluster="life",
                                                services=["web"])["services"][0]["runningCount"])
        self.assertEqual(counts, [1, 2, 3])
        steady = ecs.describe_services(cluster="life", services=["web"])["services"][0]
        self.assertEqual(steady["deployments"][0]["rolloutState"], "COMPLETED")
        self.assertEqual(steady["events"][0]["message"],
                         "(service web) has reached a steady state.")

        task = ecs.run_task(cluster="life", taskDefinition="app:1")["tasks"][0]
        self.assertEqual(task["lastStatus"], "PROVISIONING")
        self.step(3)
        arn = task["taskArn"]
        self.assertEqual(ecs.describe_tasks(cluster="life", tasks=[arn])["tasks"][0]["lastStatus"],
                         "RUNNING")
        stopping = ecs.stop_task(cluster="life", task=arn, reason="done here")["task"]
        self.assertEqual(stopping["desiredStatus"], "STOPPED")
        self.step(3)
        stopped = ecs.describe_tasks(cluster="life", tasks=[arn])["tasks"][0]
        self.assertEqual(stopped["lastStatus"], "STOPPED")
        self.assertEqual(stopped["stopCode"], "UserInitiated")
        self.assertEqual(stopped["stoppedReason"], "done here")

    def test_serverlessrepo_template_becomes_active(self):
        sar = self.emu.client("serverlessrepo")
        app = sar.create_application(Name="life-sar", Author="me",
                                     Description="lifecycle test")["ApplicationId"]
        template = sar.create_cloud_formation_template(ApplicationId=app)
        self.assertEqual(template["Status"], "PREPARING")
        self.step(2)
        got = sar.get_cloud_formation_template(ApplicationId=app,
                                               TemplateId=template["TemplateId"])
        self.assertEqual(got["Status"], "ACTIVE")


class SnapshotTest(unittest.TestCase):
    def test_resources_survive_a_restart(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "state.json")
            with EmulatorProcess("--time_scale", "0", "--snapshot", path) as emu:
                ecs = emu.client("ecs")
                arn = ecs.create_cluster(clusterName="kept")["cluster"]["clusterArn"]
                ecs.create_service(cluster="kept", serviceName="web", desiredCount=2)
            self.assertTrue(os.path.exists(path))
            with EmulatorProcess("--time_scale", "0", "--snapshot", path) as emu:
                ecs = emu.client("ecs")
                self.assertIn(arn, ecs.list_clusters()["clusterArns"])
                svc = ecs.describe_services(cluster="kept", services=["web"])["services"][0]
                self.assertEqual(svc["runningCount"], 2)

    def test_periodic_snapshots_survive_a_kill(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "state.json")
            emu = EmulatorProcess("--time_scale", "0", "--snapshot", path,
                                  "--snapshot_interval", "50ms")
            try:
                arn = emu.client("ecs").create_cluster(clusterName="saved")["cluster"]["clusterArn"]
                # Wait (up to 30 s, polling) for a save that holds the cluster.
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    if os.path.exists(path) and arn in open(path).read():
                        break
                    time.sleep(0.05)
                emu.proc.kill()  # no shutdown save
            finally:
                emu.stop()
            with EmulatorProcess("--time_scale", "0", "--snapshot", path) as again:
                self.assertIn(arn, again.client("ecs").list_clusters()["clusterArns"])

    def test_a_corrupt_snapshot_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "state.json")
            with open(path, "w") as f:
                f.write('{"format": "aws-emulator-snapshot", "version": 1, "resources": [')
            with self.assertRaises(RuntimeError) as ctx:
                EmulatorProcess("--snapshot", path)
            self.assertIn(path, str(ctx.exception))
            self.assertIn("not a valid snapshot", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
