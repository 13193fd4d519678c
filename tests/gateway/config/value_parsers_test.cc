#include "gateway/config/value_parsers.h"

#include "gtest/gtest.h"

namespace awsgw::gateway::config {
namespace {

TEST(ValueParsersTest, Durations) {
  EXPECT_EQ(ParseDuration("250ms"), absl::Milliseconds(250));
  EXPECT_EQ(ParseDuration("10s"), absl::Seconds(10));
  EXPECT_EQ(ParseDuration("5m"), absl::Minutes(5));
  EXPECT_EQ(ParseDuration("1h"), absl::Hours(1));
  EXPECT_EQ(ParseDuration("1m30s"), absl::Seconds(90));
  EXPECT_EQ(ParseDuration("1.5s"), absl::Milliseconds(1500));
  EXPECT_EQ(ParseDuration("0s"), absl::ZeroDuration());
  for (absl::string_view bad : {"", "30", "0", "fast", "-1s", "+1s", "inf", "1 s", "1d", "s"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(ValueParsersTest, Integers) {
  EXPECT_EQ(ParseInteger("42"), 42);
  EXPECT_EQ(ParseInteger("-1"), -1);
  for (absl::string_view bad : {"", " 1", "1 ", "0x10", "1_000", "1e3", "4MB"}) {
    EXPECT_FALSE(ParseInteger(bad).has_value()) << bad;
  }
}

TEST(ValueParsersTest, HostPort) {
  for (absl::string_view good : {"127.0.0.1:50051", "0.0.0.0:0", "localhost:8080", "[::1]:443",
                                 "[::]:1", "gw-1.internal:9"}) {
    EXPECT_TRUE(IsHostPort(good)) << good;
  }
  for (absl::string_view bad : {"", "localhost", ":80", "host:", "host:65536", "::1:80", "host:8o",
                                "ho st:80", "[]:80", "host:123456"}) {
    EXPECT_FALSE(IsHostPort(bad)) << bad;
  }
}

TEST(ValueParsersTest, BooleansAreOnlyTrueAndFalse) {
  EXPECT_EQ(ParseBool("true"), true);
  EXPECT_EQ(ParseBool("False"), false);
  for (absl::string_view bad : {"yes", "no", "on", "off", "1", "0", "y", ""}) {
    EXPECT_FALSE(ParseBool(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace awsgw::gateway::config
