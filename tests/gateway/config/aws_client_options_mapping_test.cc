// Which file setting lands in which AWS client option, and the precedence of
// the file over the environment over the defaults.
#include "gateway/config/aws_client_options_mapping.h"

#include <map>

#include "gtest/gtest.h"

namespace awsgw::gateway::config {
namespace {

Getenv FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

ServiceInfo Service(const std::string& id, const std::string& prefix) {
  ServiceInfo info;
  info.set_service_id(id);
  info.set_model_name(prefix);
  info.set_endpoint_prefix(prefix);
  return info;
}

TEST(AwsClientOptionsMappingTest, AnEmptyFileKeepsTheDefaults) {
  const gateway::aws_client::AwsClientOptions defaults;
  const gateway::aws_client::AwsClientOptions options =
      ToAwsClientOptions(GatewayConfig(), FakeEnv({}));
  EXPECT_EQ(options.region, "");
  EXPECT_EQ(options.endpoints.use_fips, defaults.endpoints.use_fips);
  EXPECT_TRUE(options.endpoints.overrides.empty());
  EXPECT_EQ(options.retry.max_attempts, defaults.retry.max_attempts);
  EXPECT_EQ(options.default_timeout, defaults.default_timeout);
  const http::client::HttpClientOptions http_defaults;
  const http::client::HttpClientOptions http = ToHttpClientOptions(GatewayConfig());
  EXPECT_EQ(http.threads, http_defaults.threads);
  EXPECT_EQ(http.idle_timeout, http_defaults.idle_timeout);
  EXPECT_EQ(http.max_response_bytes, http_defaults.max_response_bytes);
  EXPECT_EQ(http.extra_ca_file, "");
}

TEST(AwsClientOptionsMappingTest, EverySettingReachesItsOption) {
  GatewayConfig config;
  config.region = "eu-central-1";
  config.aws.use_fips_endpoint = true;
  config.aws.use_dualstack_endpoint = true;
  config.aws.retry.max_attempts = 7;
  config.aws.retry.mode = RetryMode::kAdaptive;
  config.aws.call_timeout = absl::Seconds(5);
  config.http.threads = 3;
  config.http.extra_ca_file = "/etc/ca.pem";
  config.http.connect_timeout = absl::Seconds(2);
  config.http.tls_handshake_timeout = absl::Seconds(4);
  config.http.max_connections_per_endpoint = 9;
  config.http.max_queued_calls_per_endpoint = 99;
  config.http.idle_timeout = absl::Seconds(20);
  config.http.max_response_bytes = 1234;

  const gateway::aws_client::AwsClientOptions options = ToAwsClientOptions(config, FakeEnv({}));
  EXPECT_EQ(options.region, "eu-central-1");
  EXPECT_TRUE(options.endpoints.use_fips);
  EXPECT_TRUE(options.endpoints.use_dual_stack);
  EXPECT_EQ(options.retry.max_attempts, 7);
  EXPECT_EQ(options.retry.mode, gateway::aws_client::RetrySettings::Mode::kAdaptive);
  EXPECT_EQ(options.default_timeout, absl::Seconds(5));
  const http::client::HttpClientOptions http = ToHttpClientOptions(config);
  EXPECT_EQ(http.threads, 3);
  EXPECT_EQ(http.extra_ca_file, "/etc/ca.pem");
  EXPECT_EQ(http.connect_timeout, absl::Seconds(2));
  EXPECT_EQ(http.tls_handshake_timeout, absl::Seconds(4));
  EXPECT_EQ(http.max_connections_per_endpoint, 9);
  EXPECT_EQ(http.max_queued_calls_per_endpoint, 99);
  EXPECT_EQ(http.idle_timeout, absl::Seconds(20));
  EXPECT_EQ(http.max_response_bytes, 1234u);
}

TEST(AwsClientOptionsMappingTest, StaticKeysOnlyWhenTheFileHasThem) {
  CredentialsConfig credentials;
  EXPECT_FALSE(StaticKeysOf(credentials).has_value());
  credentials.profile = "dev";
  EXPECT_FALSE(StaticKeysOf(credentials).has_value());
  credentials.access_key_id = "AKIDFILE";
  credentials.secret_access_key = "file/secret";
  std::optional<auth::providers::StaticKeys> keys = StaticKeysOf(credentials);
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(keys->access_key_id, "AKIDFILE");
  EXPECT_EQ(keys->secret_access_key, "file/secret");
  EXPECT_EQ(keys->session_token, "");
}

TEST(AwsClientOptionsMappingTest, RegionFromTheFileThenTheEnvironment) {
  GatewayConfig config;
  auto env = FakeEnv({{"AWS_REGION", "us-west-2"}, {"AWS_DEFAULT_REGION", "us-east-2"}});
  EXPECT_EQ(ToAwsClientOptions(config, env).region, "us-west-2");
  EXPECT_EQ(ToAwsClientOptions(config, FakeEnv({{"AWS_DEFAULT_REGION", "us-east-2"}})).region,
            "us-east-2");
  config.region = "ap-south-1";
  EXPECT_EQ(ToAwsClientOptions(config, env).region, "ap-south-1");
}

TEST(AwsClientOptionsMappingTest, EndpointsFromTheFileBeatTheEnvironment) {
  const ServiceInfo ecs = Service("ECS", "ecs");
  const ServiceInfo amplify = Service("Amplify", "amplify");
  auto env = FakeEnv(
      {{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"}, {"AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:2"}});

  GatewayConfig config;
  gateway::aws_client::AwsClientOptions options = ToAwsClientOptions(config, env);
  EXPECT_EQ(*gateway::aws_client::ResolveEndpoint(ecs, "us-east-1", options.endpoints),
            "http://127.0.0.1:2");
  EXPECT_EQ(*gateway::aws_client::ResolveEndpoint(amplify, "us-east-1", options.endpoints),
            "http://127.0.0.1:1");

  config.aws.endpoint_url = "http://127.0.0.1:3";
  options = ToAwsClientOptions(config, env);
  EXPECT_EQ(*gateway::aws_client::ResolveEndpoint(ecs, "us-east-1", options.endpoints),
            "http://127.0.0.1:3");
  EXPECT_EQ(*gateway::aws_client::ResolveEndpoint(amplify, "us-east-1", options.endpoints),
            "http://127.0.0.1:3");

  config.aws.endpoints["ECS"] = "http://127.0.0.1:4";
  options = ToAwsClientOptions(config, env);
  EXPECT_EQ(*gateway::aws_client::ResolveEndpoint(ecs, "us-east-1", options.endpoints),
            "http://127.0.0.1:4");
  EXPECT_EQ(*gateway::aws_client::ResolveEndpoint(amplify, "us-east-1", options.endpoints),
            "http://127.0.0.1:3");
}

TEST(AwsClientOptionsMappingTest, OtherVariablesStillComeFromTheEnvironment) {
  GatewayConfig config;
  config.aws.endpoint_url = "http://127.0.0.1:3";
  const gateway::aws_client::AwsClientOptions options =
      ToAwsClientOptions(config, FakeEnv({{"HTTPS_PROXY", "http://proxy:1"}}));
  EXPECT_EQ(options.endpoints.getenv("HTTPS_PROXY"), "http://proxy:1");
  EXPECT_EQ(options.endpoints.getenv("AWS_ENDPOINT_URL_ECS"), "http://127.0.0.1:3");
}

}  // namespace
}  // namespace awsgw::gateway::config
