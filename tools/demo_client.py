#!/usr/bin/env python3
"""A short tour of the gateway for newcomers: over gRPC, it creates an App
Runner service, lists ECS clusters and starts an AppConfig deployment, and
prints what it sees. Run by tools/run-gateway.sh against the gateway in
--emulator mode; point it elsewhere with --gateway HOST:PORT.

Uses only the generated Python modules (build/python) and Debian's grpcio.
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The generated Python modules: the build's, or those the caller names (the
# tests do, for builds other than build/).
sys.path.insert(0, os.environ.get("AWSGW_PYTHON_OUT") or os.path.join(HERE, "..", "build", "python"))

import grpc  # noqa: E402
from aws.appconfig.v1 import appconfig_pb2 as appconfig, appconfig_pb2_grpc  # noqa: E402
from aws.apprunner.v1 import apprunner_pb2 as apprunner, apprunner_pb2_grpc  # noqa: E402
from aws.ecs.v1 import ecs_pb2 as ecs, ecs_pb2_grpc  # noqa: E402

TIMEOUT = 15  # seconds per call


def enum_name(message, field):
    """The AWS spelling of an enum field's value (or its raw string)."""
    raw = getattr(message, field + "_raw", "")
    if raw:
        return raw
    value = message.DESCRIPTOR.fields_by_name[field].enum_type.values_by_number[
        getattr(message, field)]
    return value.GetOptions().Extensions[aws_value] if value.number else "-"


def app_runner(channel):
    stub = apprunner_pb2_grpc.AppRunnerServiceStub(channel)
    created = stub.CreateService(apprunner.CreateServiceRequest(
        service_name="demo-web",
        source_configuration=apprunner.SourceConfiguration(
            image_repository=apprunner.ImageRepository(
                image_identifier="public.ecr.aws/nginx/nginx:latest",
                image_repository_type=apprunner.IMAGE_REPOSITORY_TYPE_ECR_PUBLIC),
            auto_deployments_enabled=False)), timeout=TIMEOUT)
    service = created.service
    print(f"App Runner  created {service.service_name}: {service.service_arn}")
    print(f"            status {enum_name(service, 'status')}, url https://{service.service_url}")
    operations = stub.ListOperations(apprunner.ListOperationsRequest(
        service_arn=service.service_arn), timeout=TIMEOUT)
    for operation in operations.operation_summary_list:
        print(f"            operation {enum_name(operation, 'type')} "
              f"{enum_name(operation, 'status')}")
    return service.service_arn


def app_runner_later(channel, service_arn):
    """The same service a few seconds on: its create operation has moved."""
    stub = apprunner_pb2_grpc.AppRunnerServiceStub(channel)
    service = stub.DescribeService(apprunner.DescribeServiceRequest(service_arn=service_arn),
                                   timeout=TIMEOUT).service
    operations = stub.ListOperations(apprunner.ListOperationsRequest(
        service_arn=service_arn), timeout=TIMEOUT).operation_summary_list
    latest = operations[0] if operations else None
    print(f"App Runner  {service.service_name} now {enum_name(service, 'status')}"
          + (f", operation {enum_name(latest, 'type')} {enum_name(latest, 'status')}"
             if latest else ""))


def ecs_clusters(channel):
    stub = ecs_pb2_grpc.EcsServiceStub(channel)
    stub.CreateCluster(ecs.CreateClusterRequest(cluster_name="demo"), timeout=TIMEOUT)
    clusters = stub.ListClusters(ecs.ListClustersRequest(), timeout=TIMEOUT)
    print(f"ECS         {len(clusters.cluster_arns)} cluster(s):")
    for arn in clusters.cluster_arns:
        print(f"            {arn}")


def appconfig_deployment(channel):
    stub = appconfig_pb2_grpc.AppConfigServiceStub(channel)
    app = stub.CreateApplication(appconfig.CreateApplicationRequest(name="demo-app"),
                                 timeout=TIMEOUT)
    env = stub.CreateEnvironment(appconfig.CreateEnvironmentRequest(
        application_id=app.id, name="production"), timeout=TIMEOUT)
    profile = stub.CreateConfigurationProfile(appconfig.CreateConfigurationProfileRequest(
        application_id=app.id, name="feature-flags", location_uri="hosted"), timeout=TIMEOUT)
    version = stub.CreateHostedConfigurationVersion(
        appconfig.CreateHostedConfigurationVersionRequest(
            application_id=app.id, configuration_profile_id=profile.id,
            content=b'{"new_checkout": true}', content_type="application/json"),
        timeout=TIMEOUT)
    strategy = stub.CreateDeploymentStrategy(appconfig.CreateDeploymentStrategyRequest(
        name="demo-linear", deployment_duration_in_minutes=1, growth_factor=25,
        final_bake_time_in_minutes=0), timeout=TIMEOUT)
    deployment = stub.StartDeployment(appconfig.StartDeploymentRequest(
        application_id=app.id, environment_id=env.id, deployment_strategy_id=strategy.id,
        configuration_profile_id=profile.id,
        configuration_version=str(version.version_number)), timeout=TIMEOUT)
    print(f"AppConfig   deployment #{deployment.deployment_number} of "
          f"{profile.name} v{version.version_number} to {env.name}:")
    seen = None
    for _ in range(20):
        current = stub.GetDeployment(appconfig.GetDeploymentRequest(
            application_id=app.id, environment_id=env.id,
            deployment_number=deployment.deployment_number), timeout=TIMEOUT)
        state = (enum_name(current, "state"), round(current.percentage_complete))
        if state != seen:
            print(f"            {state[0]} {state[1]}%")
            seen = state
        if state[0] in ("COMPLETE", "ROLLED_BACK", "-"):
            break
        time.sleep(0.5)


class ApiKey(grpc.UnaryUnaryClientInterceptor):
    """Sends `x-api-key` with every call (a gateway that identifies callers)."""

    def __init__(self, key):
        self.key = key

    def intercept_unary_unary(self, continuation, details, request):
        metadata = list(details.metadata or []) + [("x-api-key", self.key)]
        return continuation(details._replace(metadata=metadata), request)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateway", default="127.0.0.1:50051", help="gateway HOST:PORT")
    parser.add_argument("--api-key", default=os.environ.get("AWSGW_API_KEY"),
                        help="API key to send (default: $AWSGW_API_KEY; README \"Callers\")")
    args = parser.parse_args()
    with grpc.insecure_channel(args.gateway) as plain:
        channel = grpc.intercept_channel(plain, ApiKey(args.api_key)) if args.api_key else plain
        try:
            service_arn = app_runner(channel)
            ecs_clusters(channel)
            appconfig_deployment(channel)
            app_runner_later(channel, service_arn)
        except grpc.RpcError as error:
            print(f"call failed: {error.code().name}: {error.details()}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    from awsgw import options_pb2  # noqa: E402
    aws_value = options_pb2.aws_value
    sys.exit(main())
