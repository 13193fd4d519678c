// deploy/gateway.yaml, the documented example, must stay loadable: it is
// read with the real loader and the services this build serves.
#include <string>

#include "gateway/config/config_loader.h"
#include "gtest/gtest.h"
#include "translators/method_table.h"

namespace awsgw::gateway::config {
namespace {

TEST(ExampleConfigTest, DeployGatewayYamlLoads) {
  absl::StatusOr<std::unique_ptr<translators::MethodTable>> catalog =
      translators::MethodTable::FromGeneratedPool();
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  LoadOptions options;
  for (const translators::ServiceEntry& entry : (*catalog)->services()) {
    options.service_ids.push_back(entry.info->service_id());
  }
  absl::StatusOr<GatewayConfig> config =
      LoadGatewayConfig(std::string(AWSGW_SOURCE_DIR) + "/deploy/gateway.yaml", options);
  ASSERT_TRUE(config.ok()) << config.status();
  // The example sets (not just mentions) the everyday settings.
  EXPECT_TRUE(config->listen.has_value());
  EXPECT_TRUE(config->region.has_value());
  EXPECT_TRUE(config->server.keepalive.time.has_value());
  EXPECT_TRUE(config->aws.retry.max_attempts.has_value());
  EXPECT_TRUE(config->http.max_connections_per_endpoint.has_value());
}

}  // namespace
}  // namespace awsgw::gateway::config
