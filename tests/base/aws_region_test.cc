#include "base/aws_region.h"

#include "gtest/gtest.h"

namespace awsgw::base {
namespace {

TEST(AwsRegionTest, PlausibleRegions) {
  EXPECT_TRUE(IsPlausibleRegion("us-east-1"));
  EXPECT_TRUE(IsPlausibleRegion("cn-northwest-1"));
  for (absl::string_view bad : {"", "US-EAST-1", "-us", "us-", "us_east_1", "a.b"}) {
    EXPECT_FALSE(IsPlausibleRegion(bad)) << bad;
  }
  // Long enough to be a host label trick, not a region.
  EXPECT_FALSE(IsPlausibleRegion(std::string(33, 'a')));
}

}  // namespace
}  // namespace awsgw::base
