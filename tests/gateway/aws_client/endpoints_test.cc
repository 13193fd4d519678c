#include "gateway/aws_client/endpoints.h"

#include "gtest/gtest.h"

namespace awsgw::gateway::aws_client {
namespace {

ServiceInfo Ecs() {
  ServiceInfo info;
  info.set_endpoint_prefix("ecs");
  info.set_service_id("ECS");
  info.set_model_name("ecs");
  return info;
}

EndpointSettings NoEnv() {
  EndpointSettings settings;
  settings.getenv = [](const std::string&) { return std::optional<std::string>(); };
  return settings;
}

TEST(EndpointsTest, RegionalEndpointsPerPartition) {
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "us-east-1", NoEnv()), "https://ecs.us-east-1.amazonaws.com");
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "cn-north-1", NoEnv()),
            "https://ecs.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "us-gov-west-1", NoEnv()),
            "https://ecs.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "us-isob-east-1", NoEnv()),
            "https://ecs.us-isob-east-1.sc2s.sgov.gov");
}

TEST(EndpointsTest, FipsAndDualStackVariants) {
  EndpointSettings settings = NoEnv();
  settings.use_fips = true;
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "us-west-2", settings),
            "https://ecs-fips.us-west-2.amazonaws.com");
  settings.use_dual_stack = true;
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "us-west-2", settings), "https://ecs-fips.us-west-2.api.aws");
  settings.use_fips = false;
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "cn-northwest-1", settings),
            "https://ecs.cn-northwest-1.api.amazonwebservices.com.cn");
}

TEST(EndpointsTest, OverridesFollowTheSdkPrecedence) {
  std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"},
                                            {"AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:2"}};
  EndpointSettings settings;
  settings.getenv = [&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "us-east-1", settings), "http://127.0.0.1:2");
  env.erase("AWS_ENDPOINT_URL_ECS");
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "us-east-1", settings), "http://127.0.0.1:1");
  settings.overrides["ecs"] = "http://127.0.0.1:3";
  EXPECT_EQ(*ResolveEndpoint(Ecs(), "us-east-1", settings), "http://127.0.0.1:3");
}

TEST(EndpointsTest, EnvVarNamesFollowTheServiceId) {
  EXPECT_EQ(EndpointEnvVar("ECS"), "AWS_ENDPOINT_URL_ECS");
  EXPECT_EQ(EndpointEnvVar("AppRunner"), "AWS_ENDPOINT_URL_APPRUNNER");
  EXPECT_EQ(EndpointEnvVar("Serverless Application Repository"),
            "AWS_ENDPOINT_URL_SERVERLESS_APPLICATION_REPOSITORY");
}

TEST(EndpointsTest, RejectsRegionsThatCouldSteerTheHost) {
  for (const char* region : {"", "us-east-1.evil.com", "us-east-1/", "US-EAST-1", "-x", "a b"}) {
    EXPECT_EQ(ResolveEndpoint(Ecs(), region, NoEnv()).status().code(),
              absl::StatusCode::kInvalidArgument)
        << region;
  }
}

}  // namespace
}  // namespace awsgw::gateway::aws_client
