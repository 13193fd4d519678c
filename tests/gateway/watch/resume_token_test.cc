// Resume tokens round-trip what a stream has seen and refuse other rpcs'.
#include "gateway/watch/resume_token.h"

#include "gtest/gtest.h"

namespace awsgw::gateway::watch {
namespace {

constexpr absl::string_view kMethod = "/awsgw.watch.v1.WatchService/WatchEcsTask";

Event At(int64_t order, uint64_t id) {
  Event e;
  e.order_nanos = order;
  e.id = id;
  return e;
}

TEST(ResumeTokenTest, RoundTrips) {
  SeenState seen;
  seen.sequence = 17;
  seen.has_snapshot = true;
  seen.status = "RUNNING";
  seen.digest = 0x1234567890abcdefull;
  seen.Deliver(At(100, 7));
  seen.Deliver(At(100, 8));
  const std::string token = EncodeResumeToken(kMethod, seen);
  EXPECT_EQ(token.find_first_of("+/"), std::string::npos);  // URL-safe
  auto back = DecodeResumeToken(kMethod, token);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->sequence, 17u);
  EXPECT_TRUE(back->has_snapshot);
  EXPECT_EQ(back->status, "RUNNING");
  EXPECT_EQ(back->digest, seen.digest);
  EXPECT_EQ(back->event_order_nanos, 100);
  EXPECT_EQ(back->event_ids, (std::vector<uint64_t>{7, 8}));
}

TEST(ResumeTokenTest, WithoutSnapshotTheResumedStreamStartsWithOne) {
  SeenState seen;
  seen.sequence = 3;
  auto back = DecodeResumeToken(kMethod, EncodeResumeToken(kMethod, seen));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->has_snapshot);
  EXPECT_EQ(back->event_order_nanos, INT64_MIN);
}

TEST(ResumeTokenTest, RefusesGarbageAndOtherRpcsTokens) {
  EXPECT_EQ(DecodeResumeToken(kMethod, "%%%").status().code(), absl::StatusCode::kInvalidArgument);
  const std::string other =
      EncodeResumeToken("/awsgw.watch.v1.WatchService/WatchEcsService", SeenState());
  auto refused = DecodeResumeToken(kMethod, other);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("WatchEcsService"), std::string::npos);
}

TEST(SeenStateTest, EventsAfterTheHighWaterMarkAreNew) {
  SeenState seen;
  EXPECT_TRUE(seen.IsNew(At(0, 1)));
  seen.Deliver(At(50, 1));
  EXPECT_FALSE(seen.IsNew(At(40, 9)));  // older
  EXPECT_FALSE(seen.IsNew(At(50, 1)));  // the same
  EXPECT_TRUE(seen.IsNew(At(50, 2)));   // same instant, another event
  EXPECT_TRUE(seen.IsNew(At(51, 1)));
  seen.Deliver(At(51, 1));
  EXPECT_FALSE(seen.IsNew(At(50, 2)));  // the mark moved past its instant
}

}  // namespace
}  // namespace awsgw::gateway::watch
