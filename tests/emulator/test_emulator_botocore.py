"""aws-emulator driven by botocore (the reference client) for all five
services: create/describe/list/delete round trips, pagination, modeled
not-found errors, tags, and SigV4 rejections, parsed the way the SDKs do."""

import re
import socket
import threading
import unittest

from emulator_process import EmulatorProcess, require_botocore

require_botocore()
import botocore.exceptions  # noqa: E402  (after require_botocore set AWS_DATA_PATH)

ClientError = botocore.exceptions.ClientError


def error_code(ctx):
    return ctx.exception.response["Error"]["Code"]


class EmulatorBotocoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The store without waiting: lifecycles are instantaneous here
        # (test_emulator_lifecycles.py steps through them).
        cls.emu = EmulatorProcess("--time_scale", "0")
        cls.prefix = f"arn:aws:{{}}:{cls.emu.region}:{cls.emu.account}:"

    @classmethod
    def tearDownClass(cls):
        code = cls.emu.stop()
        if code != 0:
            raise AssertionError(f"aws-emulator exited {code} on SIGTERM")

    def arn(self, service):
        return self.prefix.format(service)

    def test_startup_line(self):
        info = self.emu.info
        self.assertRegex(info["access_key_id"], r"^AKIA[A-Z2-7]{16}$")
        self.assertEqual(len(info["secret_access_key"]), 40)
        self.assertEqual(info["operations"], 221)

    def test_ecs_cluster_round_trip(self):
        ecs = self.emu.client("ecs")
        created = ecs.create_cluster(clusterName="rt-cluster",
                                     tags=[{"key": "team", "value": "core"}])["cluster"]
        self.assertEqual(created["clusterName"], "rt-cluster")
        self.assertEqual(created["clusterArn"], self.arn("ecs") + "cluster/rt-cluster")
        self.assertEqual(created["status"], "ACTIVE")
        described = ecs.describe_clusters(clusters=["rt-cluster", "nope"])
        self.assertEqual([c["clusterArn"] for c in described["clusters"]], [created["clusterArn"]])
        self.assertEqual(described["failures"][0]["reason"], "MISSING")
        self.assertIn(created["clusterArn"], ecs.list_clusters()["clusterArns"])
        tags = ecs.list_tags_for_resource(resourceArn=created["clusterArn"])["tags"]
        self.assertEqual(tags, [{"key": "team", "value": "core"}])
        deleted = ecs.delete_cluster(cluster=created["clusterArn"])["cluster"]
        self.assertEqual(deleted["status"], "INACTIVE")
        self.assertNotIn(created["clusterArn"], ecs.list_clusters()["clusterArns"])
        with self.assertRaises(ClientError) as ctx:
            ecs.delete_cluster(cluster="rt-cluster")
        self.assertEqual(error_code(ctx), "ClusterNotFoundException")

    def test_ecs_cluster_without_a_name_is_default(self):
        ecs = self.emu.client("ecs")
        cluster = ecs.create_cluster()["cluster"]
        self.assertEqual(cluster["clusterArn"], self.arn("ecs") + "cluster/default")
        service = ecs.create_service(serviceName="in-default")["service"]
        self.assertEqual(service["serviceArn"], self.arn("ecs") + "service/default/in-default")
        # Leaving the cluster out means the default one, in reads too.
        self.assertIn(service["serviceArn"], ecs.list_services()["serviceArns"])
        ecs.create_cluster(clusterName="not-default")
        self.assertEqual(ecs.list_services(cluster="not-default")["serviceArns"], [])
        with self.assertRaises(ClientError) as ctx:
            ecs.list_services(cluster="no-such-cluster")
        self.assertEqual(error_code(ctx), "ClusterNotFoundException")

    def test_ecs_service_in_cluster(self):
        ecs = self.emu.client("ecs")
        with self.assertRaises(ClientError) as ctx:
            ecs.create_service(cluster="absent", serviceName="web")
        self.assertEqual(error_code(ctx), "ClusterNotFoundException")
        ecs.create_cluster(clusterName="svc-cluster")
        svc = ecs.create_service(cluster="svc-cluster", serviceName="web", desiredCount=0)["service"]
        self.assertEqual(svc["serviceArn"], self.arn("ecs") + "service/svc-cluster/web")
        self.assertEqual(ecs.list_services(cluster="svc-cluster")["serviceArns"], [svc["serviceArn"]])
        got = ecs.describe_services(cluster="svc-cluster", services=["web"])["services"]
        self.assertEqual(got[0]["serviceName"], "web")
        with self.assertRaises(ClientError) as ctx:
            ecs.create_service(cluster="svc-cluster", serviceName="web")
        self.assertEqual(error_code(ctx), "InvalidParameterException")
        # CreateCluster is idempotent: the existing cluster comes back.
        again = ecs.create_cluster(clusterName="svc-cluster")["cluster"]
        self.assertEqual(again["clusterArn"], self.arn("ecs") + "cluster/svc-cluster")
        self.assertEqual(ecs.list_clusters()["clusterArns"].count(again["clusterArn"]), 1)

    def test_ecs_task_definition_revisions(self):
        ecs = self.emu.client("ecs")
        containers = [{"name": "app", "image": "nginx"}]
        first = ecs.register_task_definition(family="rev", containerDefinitions=containers)
        second = ecs.register_task_definition(family="rev", containerDefinitions=containers)
        self.assertEqual(first["taskDefinition"]["revision"], 1)
        self.assertEqual(second["taskDefinition"]["taskDefinitionArn"],
                         self.arn("ecs") + "task-definition/rev:2")
        latest = ecs.describe_task_definition(taskDefinition="rev")["taskDefinition"]
        self.assertEqual(latest["revision"], 2)
        pinned = ecs.describe_task_definition(taskDefinition="rev:1")["taskDefinition"]
        self.assertEqual(pinned["revision"], 1)

    def test_empty_lists_are_written(self):
        # Real services send [] for an empty list; clients index it directly.
        self.assertEqual(self.emu.client("apprunner").list_connections()["ConnectionSummaryList"], [])

    def test_apprunner_service_round_trip(self):
        ar = self.emu.client("apprunner")
        out = ar.create_service(
            ServiceName="rt-service",
            SourceConfiguration={"ImageRepository": {"ImageIdentifier": "public.ecr.aws/x/y:latest",
                                                     "ImageRepositoryType": "ECR_PUBLIC"}})
        svc = out["Service"]
        self.assertRegex(out["OperationId"], r"^[0-9a-f-]{36}$")
        self.assertRegex(svc["ServiceId"], r"^[0-9a-f]{32}$")
        self.assertEqual(svc["ServiceArn"],
                         self.arn("apprunner") + f"service/rt-service/{svc['ServiceId']}")
        self.assertEqual(svc["Status"], "RUNNING")
        self.assertTrue(svc["ServiceUrl"].endswith(f".{self.emu.region}.awsapprunner.com"))
        self.assertEqual(svc["SourceConfiguration"]["ImageRepository"]["ImageRepositoryType"],
                         "ECR_PUBLIC")
        got = ar.describe_service(ServiceArn=svc["ServiceArn"])["Service"]
        self.assertEqual(got["ServiceName"], "rt-service")
        self.assertIn(svc["ServiceArn"],
                      [s["ServiceArn"] for s in ar.list_services()["ServiceSummaryList"]])
        with self.assertRaises(ClientError) as ctx:
            ar.create_service(ServiceName="rt-service", SourceConfiguration={})
        self.assertEqual(error_code(ctx), "InvalidRequestException")
        ar.delete_service(ServiceArn=svc["ServiceArn"])
        with self.assertRaises(ClientError) as ctx:
            ar.describe_service(ServiceArn=svc["ServiceArn"])
        self.assertEqual(error_code(ctx), "ResourceNotFoundException")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_amplify_app_and_branch(self):
        amp = self.emu.client("amplify")
        app = amp.create_app(name="rt-app", tags={"env": "dev"})["app"]
        self.assertRegex(app["appId"], r"^d[a-z0-9]{13}$")
        self.assertEqual(app["appArn"], self.arn("amplify") + f"apps/{app['appId']}")
        self.assertEqual(app["defaultDomain"], f"{app['appId']}.amplifyapp.com")
        self.assertEqual(amp.get_app(appId=app["appId"])["app"]["name"], "rt-app")
        branch = amp.create_branch(appId=app["appId"], branchName="main")["branch"]
        self.assertEqual(branch["branchArn"], app["appArn"] + "/branches/main")
        self.assertEqual(amp.get_branch(appId=app["appId"], branchName="main")["branch"]["branchName"],
                         "main")
        self.assertEqual(amp.list_tags_for_resource(resourceArn=app["appArn"])["tags"], {"env": "dev"})
        amp.tag_resource(resourceArn=app["appArn"], tags={"owner": "me"})
        amp.untag_resource(resourceArn=app["appArn"], tagKeys=["env"])
        self.assertEqual(amp.list_tags_for_resource(resourceArn=app["appArn"])["tags"], {"owner": "me"})
        amp.delete_app(appId=app["appId"])
        with self.assertRaises(ClientError) as ctx:
            amp.get_app(appId=app["appId"])
        self.assertEqual(error_code(ctx), "NotFoundException")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)
        with self.assertRaises(ClientError) as ctx:
            amp.create_branch(appId="dmissing000000", branchName="x")
        self.assertEqual(error_code(ctx), "NotFoundException")
        # ListBranches does not model NotFoundException; Amplify answers it anyway.
        with self.assertRaises(ClientError) as ctx:
            amp.list_branches(appId="dmissing000000")
        self.assertEqual(error_code(ctx), "NotFoundException")

    def test_appconfig_application_round_trip(self):
        ac = self.emu.client("appconfig")
        out = ac.create_application(Name="rt-appconfig", Description="demo")
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertRegex(out["Id"], r"^[a-z0-9]{7}$")
        got = ac.get_application(ApplicationId=out["Id"])
        self.assertEqual((got["Name"], got["Description"]), ("rt-appconfig", "demo"))
        env = ac.create_environment(ApplicationId=out["Id"], Name="prod")
        self.assertEqual(env["ApplicationId"], out["Id"])
        self.assertEqual([e["Name"] for e in ac.list_environments(ApplicationId=out["Id"])["Items"]],
                         ["prod"])
        ac.update_application(ApplicationId=out["Id"], Description="changed")
        self.assertEqual(ac.get_application(ApplicationId=out["Id"])["Description"], "changed")
        self.assertEqual(ac.delete_application(ApplicationId=out["Id"])["ResponseMetadata"]
                         ["HTTPStatusCode"], 204)
        with self.assertRaises(ClientError) as ctx:
            ac.get_application(ApplicationId=out["Id"])
        self.assertEqual(error_code(ctx), "ResourceNotFoundException")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)

    def test_serverlessrepo_application_round_trip(self):
        sar = self.emu.client("serverlessrepo")
        out = sar.create_application(Name="rt-sar", Author="me", Description="d")
        self.assertEqual(out["ApplicationId"], self.arn("serverlessrepo") + "applications/rt-sar")
        self.assertRegex(out["CreationTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        got = sar.get_application(ApplicationId=out["ApplicationId"])
        self.assertEqual((got["Name"], got["Author"]), ("rt-sar", "me"))
        listed = sar.list_applications()["Applications"]
        self.assertIn(out["ApplicationId"], [a["ApplicationId"] for a in listed])
        with self.assertRaises(ClientError) as ctx:
            sar.create_application(Name="rt-sar", Author="me", Description="d")
        self.assertEqual(error_code(ctx), "ConflictException")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 409)
        sar.delete_application(ApplicationId=out["ApplicationId"])
        with self.assertRaises(ClientError) as ctx:
            sar.get_application(ApplicationId=out["ApplicationId"])
        self.assertEqual(error_code(ctx), "NotFoundException")

    def test_pagination_with_botocore_paginators(self):
        ac = self.emu.client("appconfig")
        ids = [ac.create_application(Name=f"page-{i}")["Id"] for i in range(7)]
        first = ac.list_applications(MaxResults=3)
        self.assertEqual(len(first["Items"]), 3)
        self.assertIn("NextToken", first)
        seen = []
        for page in ac.get_paginator("list_applications").paginate(PaginationConfig={"PageSize": 2}):
            self.assertLessEqual(len(page["Items"]), 2)
            seen.extend(item["Id"] for item in page["Items"])
        self.assertEqual([i for i in seen if i in ids], ids)
        self.assertEqual(len(seen), len(set(seen)))
        ecs = self.emu.client("ecs")
        for i in range(5):
            ecs.create_cluster(clusterName=f"page-cluster-{i}")
        arns = []
        for page in ecs.get_paginator("list_clusters").paginate(PaginationConfig={"PageSize": 2}):
            arns.extend(page["clusterArns"])
        self.assertEqual(len(arns), len(set(arns)))
        self.assertTrue(all(f"cluster/page-cluster-{i}" in " ".join(arns) for i in range(5)))
        with self.assertRaises(ClientError) as ctx:
            ac.list_applications(NextToken="not-a-token")
        self.assertEqual(error_code(ctx), "BadRequestException")

    def test_concurrent_clients(self):
        # Several connections at once, each keeping its connection alive.
        errors, arns = [], []
        lock = threading.Lock()

        def worker(n):
            try:
                ar = self.emu.client("apprunner")
                for i in range(10):
                    svc = ar.create_service(
                        ServiceName=f"conc-{n}-{i}",
                        SourceConfiguration={"ImageRepository": {
                            "ImageIdentifier": "x:1", "ImageRepositoryType": "ECR_PUBLIC"}})
                    with lock:
                        arns.append(svc["Service"]["ServiceArn"])
            except Exception as e:  # reported below; a thread cannot fail the test itself
                with lock:
                    errors.append(e)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertEqual(len(set(arns)), 60)
        listed, token, ar = set(), None, self.emu.client("apprunner")
        while True:
            page = ar.list_services(**({"NextToken": token} if token else {}))
            # Without MaxResults a page holds the model's maximum (20 for App Runner).
            self.assertLessEqual(len(page["ServiceSummaryList"]), 20)
            listed.update(s["ServiceArn"] for s in page["ServiceSummaryList"])
            token = page.get("NextToken")
            if not token:
                break
        self.assertTrue(set(arns) <= listed)

    def test_bad_signature_rejected(self):
        for service, code in [("ecs", "InvalidSignatureException"),
                              ("amplify", "InvalidSignatureException")]:
            client = self.emu.client(service, secret_key="x" * 40)
            call = client.list_clusters if service == "ecs" else client.list_apps
            with self.assertRaises(ClientError) as ctx:
                call()
            self.assertEqual(error_code(ctx), code)
            self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_tampered_body_rejected(self):
        # botocore signs the request; a handler then changes the body before
        # it is sent, as a man in the middle would.
        client = self.emu.client("ecs")

        def tamper(request, **_):
            request.body = request.body.replace(b"tamper-me", b"tampered!")

        client.meta.events.register_first("before-send.ecs.CreateCluster", tamper)
        with self.assertRaises(ClientError) as ctx:
            client.create_cluster(clusterName="tamper-me")
        self.assertEqual(error_code(ctx), "InvalidSignatureException")
        names = [c.split("/")[-1] for c in self.emu.client("ecs").list_clusters()["clusterArns"]]
        self.assertNotIn("tampered!", names)

    def test_old_signature_date_rejected(self):
        # Signed by botocore as if it were 20 minutes ago.
        import datetime
        from unittest import mock

        real = datetime.datetime

        class TwentyMinutesAgo(real):
            @classmethod
            def utcnow(cls):
                return real.utcnow() - datetime.timedelta(minutes=20)

        client = self.emu.client("amplify")
        with mock.patch("botocore.auth.datetime.datetime", TwentyMinutesAgo):
            with self.assertRaises(ClientError) as ctx:
                client.list_apps()
        self.assertEqual(error_code(ctx), "RequestTimeTooSkewed")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertIn("Signature expired", ctx.exception.response["Error"]["Message"])

    def test_unknown_access_key_rejected(self):
        client = self.emu.client("apprunner", access_key="AKIAUNKNOWNUNKNOWN00")
        with self.assertRaises(ClientError) as ctx:
            client.list_services()
        self.assertEqual(error_code(ctx), "UnrecognizedClientException")
        sar = self.emu.client("serverlessrepo", access_key="AKIAUNKNOWNUNKNOWN00")
        with self.assertRaises(ClientError) as ctx:
            sar.list_applications()
        self.assertEqual(error_code(ctx), "UnrecognizedClientException")

    def test_wrong_region_rejected(self):
        client = self.emu.client("ecs", region="eu-west-1")
        with self.assertRaises(ClientError) as ctx:
            client.list_clusters()
        self.assertEqual(error_code(ctx), "InvalidSignatureException")

    def test_unsigned_request_rejected(self):
        body = b"{}"
        request = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
                   b"X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n"
                   b"Content-Length: 2\r\nConnection: close\r\n\r\n" + body)
        with socket.create_connection(("127.0.0.1", self.emu.info["port"]), timeout=5) as s:
            s.sendall(request)
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
        self.assertTrue(answer.startswith(b"HTTP/1.1 403"), answer[:100])
        self.assertIn(b"MissingAuthenticationToken", answer)
        self.assertRegex(answer.decode(), re.compile(r"x-amzn-RequestId: [0-9a-f-]{36}", re.I))


class EmulatorBinaryTest(unittest.TestCase):
    def test_refuses_non_loopback_listen_address(self):
        with self.assertRaises(RuntimeError) as ctx:
            EmulatorProcess("--listen", "0.0.0.0:0")
        self.assertIn("loopback", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
