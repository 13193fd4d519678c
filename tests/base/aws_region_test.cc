#include "base/aws_region.h"

#include <algorithm>
#include <string>

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

TEST(AwsRegionTest, KnownRegionsAreSortedPlausibleAndCoverEveryPartition) {
  absl::Span<const absl::string_view> known = KnownAwsRegions();
  ASSERT_TRUE(std::is_sorted(known.begin(), known.end()));
  for (absl::string_view region : known) EXPECT_TRUE(IsPlausibleRegion(region)) << region;
  for (absl::string_view region : {"us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1",
                                   "us-isob-east-1", "eusc-de-east-1", "mx-central-1"}) {
    EXPECT_TRUE(IsKnownAwsRegion(region)) << region;
  }
  // Plausible but made up: the amplification a caller could otherwise buy.
  for (absl::string_view region : {"us-east-9", "zz-fake-1", "us-east-1-"}) {
    EXPECT_FALSE(IsKnownAwsRegion(region)) << region;
  }
}

}  // namespace
}  // namespace awsgw::base
