#include "gateway/config/unapplied_settings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(UnappliedSettingsTest, NothingToSayForAppliedSettings) {
  GatewayConfig config;
  config.listen = "127.0.0.1:1";
  config.aws.retry.mode = RetryMode::kStandard;
  EXPECT_THAT(UnappliedSettings(config), IsEmpty());
}

TEST(UnappliedSettingsTest, NamesEachSettingNotAppliedYet) {
  GatewayConfig config;
  config.credentials.profile = "prod";
  config.aws.retry.mode = RetryMode::kAdaptive;
  config.logging.level = LogLevel::kError;
  config.metrics.listen = "127.0.0.1:9090";
  EXPECT_THAT(UnappliedSettings(config),
              ElementsAre(HasSubstr("credentials:"), HasSubstr("aws.retry.mode:"),
                          HasSubstr("logging.level:"), HasSubstr("metrics.listen:")));
}

}  // namespace
}  // namespace awsgw::config
