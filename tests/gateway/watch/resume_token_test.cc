// Resume tokens round-trip what a stream has seen and refuse other rpcs'.
#include "gateway/watch/resume_token.h"

#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "awsgw/watch/v1/watch_options.pb.h"
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

// A token is client input: any bytes decode to a state or to
// INVALID_ARGUMENT with a short message, never more.
void ExpectDecodesOrRefuses(absl::string_view token) {
  auto decoded = DecodeResumeToken(kMethod, token);
  if (decoded.ok()) {
    EXPECT_LE(decoded->event_ids.size(), 1024u);
    EXPECT_LE(decoded->sequence, uint64_t{1} << 62);
    return;
  }
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LE(decoded.status().message().size(), 300u);
  for (char c : decoded.status().message()) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << token;
}

TEST(ResumeTokenTest, MutatedAndRandomTokensDecodeOrAreRefused) {
  SeenState seen;
  seen.sequence = 41;
  seen.has_snapshot = true;
  seen.status = "PENDING";
  seen.digest = 99;
  seen.Deliver(At(5, 1));
  const std::string token = EncodeResumeToken(kMethod, seen);
  for (size_t cut = 0; cut < token.size(); ++cut) ExpectDecodesOrRefuses(token.substr(0, cut));
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &bytes));
  std::mt19937_64 random(7);  // fixed: a failure reproduces
  for (int i = 0; i < 20000; ++i) {
    std::string mutated = bytes;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < flips; ++f) mutated[random() % mutated.size()] ^= 1 << (random() % 8);
    std::string encoded;
    absl::WebSafeBase64Escape(mutated, &encoded);
    ExpectDecodesOrRefuses(encoded);
    std::string noise(random() % 64, '\0');
    for (char& c : noise) c = static_cast<char>(random());
    ExpectDecodesOrRefuses(noise);
  }
}

TEST(ResumeTokenTest, RefusesOversizedTokensAndSequencesThatCouldWrap) {
  EXPECT_FALSE(DecodeResumeToken(kMethod, std::string(20000, 'A')).ok());
  awsgw::watch::v1::ResumeState proto;
  proto.set_method(std::string(kMethod));
  proto.set_sequence(~uint64_t{0});
  std::string token;
  absl::WebSafeBase64Escape(proto.SerializeAsString(), &token);
  EXPECT_FALSE(DecodeResumeToken(kMethod, token).ok());
  proto.set_sequence(1);
  for (int i = 0; i < 2000; ++i) proto.add_event_ids(i);
  absl::WebSafeBase64Escape(proto.SerializeAsString(), &token);
  EXPECT_FALSE(DecodeResumeToken(kMethod, token).ok());
  proto.clear_event_ids();
  proto.set_method("/x\n\x01" + std::string(500, 'y'));  // not echoed
  absl::WebSafeBase64Escape(proto.SerializeAsString(), &token);
  auto refused = DecodeResumeToken(kMethod, token);
  EXPECT_EQ(refused.status().message(), "options.resume_token is not a resume token");
}

// A token with a status but no digest (forged: EncodeResumeToken writes the
// status only with a snapshot) decodes to a state without a snapshot, and
// that state encodes and decodes back to itself.
TEST(ResumeTokenTest, AStatusWithoutASnapshotIsDropped) {
  awsgw::watch::v1::ResumeState proto;
  proto.set_method(std::string(kMethod));
  proto.set_sequence(4);
  proto.set_status("RUNNING");
  std::string token;
  absl::WebSafeBase64Escape(proto.SerializeAsString(), &token);
  auto decoded = DecodeResumeToken(kMethod, token);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_FALSE(decoded->has_snapshot);
  EXPECT_EQ(decoded->status, "");
  auto again = DecodeResumeToken(kMethod, EncodeResumeToken(kMethod, *decoded));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->sequence, 4u);
  EXPECT_EQ(again->status, decoded->status);
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

TEST(SeenStateTest, SkipAllMarksEveryEventOfTheNewestInstant) {
  SeenState seen;
  seen.SkipAll({At(40, 5), At(50, 3), At(50, 1), At(50, 2)});
  for (uint64_t id : {1, 2, 3}) EXPECT_FALSE(seen.IsNew(At(50, id))) << id;
  EXPECT_FALSE(seen.IsNew(At(40, 5)));
  EXPECT_TRUE(seen.IsNew(At(50, 4)));
  seen.SkipAll({});
  EXPECT_FALSE(seen.IsNew(At(50, 2)));
}

}  // namespace
}  // namespace awsgw::gateway::watch
