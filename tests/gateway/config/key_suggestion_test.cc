#include "gateway/config/key_suggestion.h"

#include "gtest/gtest.h"

namespace awsgw::gateway::config {
namespace {

constexpr absl::string_view kKeys[] = {"time", "timeout", "permit_without_calls",
                                       "min_ping_interval"};

TEST(KeySuggestionTest, SuggestsTheNearestCloseKey) {
  EXPECT_EQ(NearestKey("tme", kKeys), "time");
  EXPECT_EQ(NearestKey("timout", kKeys), "timeout");
  EXPECT_EQ(NearestKey("Timeout", kKeys), "timeout");
  EXPECT_EQ(NearestKey("min_ping_intreval", kKeys), "min_ping_interval");
}

TEST(KeySuggestionTest, NothingWhenNoKeyIsClose) {
  EXPECT_EQ(NearestKey("format", kKeys), "");
  // Two edits away, but that is most of a short key.
  EXPECT_EQ(NearestKey("tx", kKeys), "");
  EXPECT_EQ(NearestKey("anything", {}), "");
}

}  // namespace
}  // namespace awsgw::gateway::config
