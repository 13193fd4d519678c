// CallerLimiter: token buckets on a fake clock, in-flight slots released by
// Admission, all-or-nothing across rules, group-shared buckets, watch
// streams, the memory bound, validation, and a concurrency smoke test.
#include "auth/policy/caller_limits.h"

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::policy {
namespace {

using ::testing::HasSubstr;
using Admission = CallerLimiter::Admission;
using Rejection = CallerLimiter::Rejection;

const absl::Time kT0 = absl::FromUnixSeconds(1700000000);
const std::vector<std::string> kNoGroups;

LimitRule Rate(std::string id, double rate, int burst = 0,
               std::vector<std::string> principals = {"*"},
               std::vector<std::string> actions = {"*"}) {
  LimitRule r;
  r.id = std::move(id);
  r.principals = std::move(principals);
  r.actions = std::move(actions);
  r.rate_per_second = rate;
  r.burst = burst;
  return r;
}

LimitRule InFlight(std::string id, int max, std::vector<std::string> principals = {"*"},
                   std::vector<std::string> actions = {"*"}) {
  LimitRule r;
  r.id = std::move(id);
  r.principals = std::move(principals);
  r.actions = std::move(actions);
  r.max_in_flight = max;
  return r;
}

std::unique_ptr<CallerLimiter> Make(LimitSettings settings) {
  auto limiter = CallerLimiter::Create(std::move(settings));
  EXPECT_TRUE(limiter.ok()) << limiter.status();
  return limiter.ok() ? *std::move(limiter) : nullptr;
}

std::unique_ptr<CallerLimiter> Make(std::vector<LimitRule> rules) {
  LimitSettings settings;
  settings.rules = std::move(rules);
  return Make(std::move(settings));
}

bool Admitted(const CallerLimiter::Result& r) { return std::holds_alternative<Admission>(r); }
const Rejection& Rejected(const CallerLimiter::Result& r) { return std::get<Rejection>(r); }

TEST(CallerLimiterTest, RateLimitWithBurstOnAFakeClock) {
  auto limiter = Make({Rate("per-caller", 2, 3)});
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(Admitted(limiter->Admit("alice", kNoGroups, "ecs:DescribeServices", kT0))) << i;
  }
  const auto rejected = limiter->Admit("alice", kNoGroups, "ecs:DescribeServices", kT0);
  ASSERT_FALSE(Admitted(rejected));
  EXPECT_EQ(Rejected(rejected).rule_id, "per-caller");
  EXPECT_EQ(Rejected(rejected).retry_after, absl::Milliseconds(500));
  EXPECT_THAT(Rejected(rejected).message,
              HasSubstr("rate limit of rule \"per-caller\" exceeded: 2 calls per second"));

  // Continuous refill: 250 ms gives half a token, not enough; 500 ms one.
  const auto half = limiter->Admit("alice", kNoGroups, "x:Y", kT0 + absl::Milliseconds(250));
  ASSERT_FALSE(Admitted(half));
  EXPECT_EQ(Rejected(half).retry_after, absl::Milliseconds(250));
  EXPECT_TRUE(Admitted(limiter->Admit("alice", kNoGroups, "x:Y", kT0 + absl::Milliseconds(500))));
  EXPECT_FALSE(Admitted(limiter->Admit("alice", kNoGroups, "x:Y", kT0 + absl::Milliseconds(500))));

  // Each principal has its own bucket.
  EXPECT_TRUE(Admitted(limiter->Admit("bob", kNoGroups, "x:Y", kT0)));

  // A long pause refills to the burst, not beyond.
  const absl::Time later = kT0 + absl::Hours(1);
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(Admitted(limiter->Admit("alice", kNoGroups, "x:Y", later)));
  EXPECT_FALSE(Admitted(limiter->Admit("alice", kNoGroups, "x:Y", later)));
}

TEST(CallerLimiterTest, DefaultBurstIsTheRateRoundedUpAndAtLeastOne) {
  auto limiter = Make({Rate("fast", 2.5), Rate("slow", 0.5, 0, {"slow"})});
  int admitted = 0;
  while (Admitted(limiter->Admit("alice", kNoGroups, "x:Y", kT0))) ++admitted;
  EXPECT_EQ(admitted, 3);
  // "slow" and "fast" both apply to "slow": one token from slow's bucket of 1.
  EXPECT_TRUE(Admitted(limiter->Admit("slow", kNoGroups, "x:Y", kT0)));
  const auto r = limiter->Admit("slow", kNoGroups, "x:Y", kT0);
  ASSERT_FALSE(Admitted(r));
  EXPECT_EQ(Rejected(r).rule_id, "slow");
  EXPECT_EQ(Rejected(r).retry_after, absl::Seconds(2));
}

TEST(CallerLimiterTest, RulesApplyOnlyToMatchingActionsCaseInsensitively) {
  auto limiter = Make({Rate("describe", 1, 1, {"*"}, {"ECS:describe*"})});
  EXPECT_TRUE(Admitted(limiter->Admit("alice", kNoGroups, "ecs:DescribeServices", kT0)));
  EXPECT_FALSE(Admitted(limiter->Admit("alice", kNoGroups, "ecs:DescribeClusters", kT0)));
  for (int i = 0; i < 10; ++i) {
    const auto r = limiter->Admit("alice", kNoGroups, "ecs:ListClusters", kT0);
    ASSERT_TRUE(Admitted(r));
    EXPECT_EQ(std::get<Admission>(r).held_slots(), 0u);
  }
  EXPECT_EQ(limiter->tracked_callers(), 1u);
}

TEST(CallerLimiterTest, InFlightSlotsAreReleasedWhenTheAdmissionIsDestroyed) {
  auto limiter = Make({InFlight("two-at-once", 2)});
  auto a = limiter->Admit("alice", kNoGroups, "x:Y", kT0);
  auto b = limiter->Admit("alice", kNoGroups, "x:Y", kT0);
  ASSERT_TRUE(Admitted(a) && Admitted(b));
  EXPECT_EQ(std::get<Admission>(a).held_slots(), 1u);
  const auto c = limiter->Admit("alice", kNoGroups, "x:Y", kT0);
  ASSERT_FALSE(Admitted(c));
  EXPECT_EQ(Rejected(c).rule_id, "two-at-once");
  EXPECT_EQ(Rejected(c).retry_after, CallerLimiter::kBusyRetryAfter);
  EXPECT_THAT(Rejected(c).message, HasSubstr("in-flight limit of rule \"two-at-once\" reached: 2"));
  EXPECT_TRUE(Admitted(limiter->Admit("bob", kNoGroups, "x:Y", kT0)));

  {
    Admission moved = std::move(std::get<Admission>(a));  // the slot moves with it
    EXPECT_FALSE(Admitted(limiter->Admit("alice", kNoGroups, "x:Y", kT0)));
  }
  EXPECT_TRUE(Admitted(limiter->Admit("alice", kNoGroups, "x:Y", kT0)));  // released, and again
  a = limiter->Admit("alice", kNoGroups, "x:Y", kT0);
  ASSERT_TRUE(Admitted(a));
  b = limiter->Admit("alice", kNoGroups, "x:Y", kT0);  // assigning releases b's old slot first
  EXPECT_FALSE(Admitted(b));
}

TEST(CallerLimiterTest, ARejectingRuleTakesNothingFromTheOthers) {
  auto limiter =
      Make({Rate("rate", 1, 5), InFlight("slots", 1), Rate("tight", 1, 1, {"*"}, {"ecs:Delete*"})});
  auto held = limiter->Admit("alice", kNoGroups, "ecs:DeleteService", kT0);
  ASSERT_TRUE(Admitted(held));  // rate: 4 left; slots: 1/1; tight: 0 left
  held = Rejection{};           // releases the slot
  // "tight" rejects: neither a "rate" token nor a slot may be taken.
  for (int i = 0; i < 10; ++i) {
    const auto r = limiter->Admit("alice", kNoGroups, "ecs:DeleteService", kT0);
    ASSERT_FALSE(Admitted(r));
    EXPECT_EQ(Rejected(r).rule_id, "tight");
  }
  // So "rate" still has exactly 4 tokens, and the slot is free.
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(Admitted(limiter->Admit("alice", kNoGroups, "ecs:ListClusters", kT0))) << i;
  }
  EXPECT_FALSE(Admitted(limiter->Admit("alice", kNoGroups, "ecs:ListClusters", kT0)));
}

TEST(CallerLimiterTest, TheLongestWaitIsReportedWhenSeveralRulesReject) {
  auto limiter = Make({InFlight("slots", 1), Rate("rate", 0.1, 1)});
  auto held = limiter->Admit("alice", kNoGroups, "x:Y", kT0);
  ASSERT_TRUE(Admitted(held));
  const auto r = limiter->Admit("alice", kNoGroups, "x:Y", kT0);
  ASSERT_FALSE(Admitted(r));
  EXPECT_EQ(Rejected(r).rule_id, "rate");
  EXPECT_EQ(Rejected(r).retry_after, absl::Seconds(10));
}

TEST(CallerLimiterTest, SharedByGroupMembersShareOneBucket) {
  LimitRule shared = Rate("team", 1, 2, {"group:team-*"});
  shared.shared_by_group = true;
  LimitRule separate = Rate("each", 1, 2, {"group:solo"});
  auto limiter = Make({shared, separate});
  const std::vector<std::string> team = {"team-a"};
  EXPECT_TRUE(Admitted(limiter->Admit("alice", team, "x:Y", kT0)));
  EXPECT_TRUE(Admitted(limiter->Admit("bob", team, "x:Y", kT0)));
  const auto r = limiter->Admit("carol", team, "x:Y", kT0);
  ASSERT_FALSE(Admitted(r));
  EXPECT_EQ(Rejected(r).rule_id, "team");
  // Another group matching the same pattern has its own bucket.
  EXPECT_TRUE(Admitted(limiter->Admit("dave", {"team-b"}, "x:Y", kT0)));

  // Without shared_by_group each member has a bucket.
  const std::vector<std::string> solo = {"solo"};
  for (const char* who : {"alice", "bob", "carol"}) {
    EXPECT_TRUE(Admitted(limiter->Admit(who, solo, "x:Y", kT0))) << who;
    EXPECT_TRUE(Admitted(limiter->Admit(who, solo, "x:Y", kT0))) << who;
  }
}

TEST(CallerLimiterTest, SharedByGroupUsesPerPrincipalBucketsWhenMatchedByName) {
  LimitRule rule = Rate("mixed", 1, 1, {"alice", "group:team"});
  rule.shared_by_group = true;
  auto limiter = Make({rule});
  const std::vector<std::string> team = {"team"};
  EXPECT_TRUE(Admitted(limiter->Admit("alice", team, "x:Y", kT0)));  // by name: her own bucket
  EXPECT_TRUE(Admitted(limiter->Admit("bob", team, "x:Y", kT0)));    // the team's bucket
  EXPECT_FALSE(Admitted(limiter->Admit("carol", team, "x:Y", kT0)));
  EXPECT_FALSE(Admitted(limiter->Admit("alice", team, "x:Y", kT0)));
}

TEST(CallerLimiterTest, WatchStreamsAreCappedPerPrincipal) {
  LimitSettings settings;
  settings.max_watch_streams_per_principal = 2;
  auto limiter = Make(std::move(settings));
  std::vector<Admission> open;
  for (int i = 0; i < 2; ++i) {
    auto r = limiter->AdmitWatchStream("alice", kT0);
    ASSERT_TRUE(Admitted(r));
    open.push_back(std::get<Admission>(std::move(r)));
  }
  const auto r = limiter->AdmitWatchStream("alice", kT0);
  ASSERT_FALSE(Admitted(r));
  EXPECT_EQ(Rejected(r).rule_id, CallerLimiter::kWatchStreamRuleId);
  EXPECT_THAT(Rejected(r).message, HasSubstr("2 open streams per principal"));
  EXPECT_TRUE(Admitted(limiter->AdmitWatchStream("bob", kT0)));
  open.pop_back();
  EXPECT_TRUE(Admitted(limiter->AdmitWatchStream("alice", kT0)));
  open.clear();
  EXPECT_EQ(limiter->tracked_callers(), 0u) << "closed streams leave nothing behind";

  auto unlimited = Make(LimitSettings{});
  std::vector<CallerLimiter::Result> many;
  for (int i = 0; i < 100; ++i) many.push_back(unlimited->AdmitWatchStream("alice", kT0));
  for (const auto& m : many) EXPECT_TRUE(Admitted(m));
}

TEST(CallerLimiterTest, FullTableEvictsIdleCallersElseFailsClosed) {
  LimitSettings settings;
  settings.rules = {Rate("rate", 1, 2)};
  settings.max_tracked_callers = 2;
  auto limiter = Make(std::move(settings));
  ASSERT_TRUE(Admitted(limiter->Admit("alice", kNoGroups, "x:Y", kT0)));
  ASSERT_TRUE(Admitted(limiter->Admit("bob", kNoGroups, "x:Y", kT0)));
  EXPECT_EQ(limiter->tracked_callers(), 2u);

  // Neither is idle (their buckets are not full): a third caller fails closed.
  const auto r = limiter->Admit("carol", kNoGroups, "x:Y", kT0);
  ASSERT_FALSE(Admitted(r));
  EXPECT_EQ(Rejected(r).rule_id, "rate");
  EXPECT_THAT(Rejected(r).message, HasSubstr("too many callers"));
  EXPECT_EQ(limiter->tracked_callers(), 2u);
  // Known callers keep working.
  EXPECT_TRUE(Admitted(limiter->Admit("alice", kNoGroups, "x:Y", kT0)));

  // A second later bob's bucket is full again (alice's is not): bob is evicted.
  const absl::Time later = kT0 + absl::Seconds(1);
  EXPECT_TRUE(Admitted(limiter->Admit("carol", kNoGroups, "x:Y", later)));
  EXPECT_EQ(limiter->tracked_callers(), 2u);
  EXPECT_FALSE(Admitted(limiter->Admit("dave", kNoGroups, "x:Y", later + absl::Seconds(0))));
}

TEST(CallerLimiterTest, CallersWithCallsInFlightAreNeverEvicted) {
  LimitSettings settings;
  settings.rules = {InFlight("slots", 1)};
  settings.max_tracked_callers = 1;
  auto limiter = Make(std::move(settings));
  auto held = limiter->Admit("alice", kNoGroups, "x:Y", kT0);
  ASSERT_TRUE(Admitted(held));
  EXPECT_FALSE(Admitted(limiter->Admit("bob", kNoGroups, "x:Y", kT0 + absl::Hours(1))));
  held = Rejection{};
  EXPECT_TRUE(Admitted(limiter->Admit("bob", kNoGroups, "x:Y", kT0 + absl::Hours(2))));
}

TEST(CallerLimiterTest, AdmissionsOutliveTheLimiter) {
  auto limiter = Make({InFlight("slots", 1)});
  auto held = limiter->Admit("alice", kNoGroups, "x:Y", kT0);
  ASSERT_TRUE(Admitted(held));
  limiter.reset();  // a reload replaced it; the call finishes later
  held = Rejection{};
}

TEST(CallerLimiterValidationTest, ErrorsNameTheRuleAndTheProblem) {
  const auto error = [](LimitRule rule) {
    LimitSettings settings;
    settings.rules = {Rate("fine", 1), std::move(rule)};
    auto limiter = CallerLimiter::Create(std::move(settings));
    EXPECT_EQ(limiter.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(limiter.status().message());
  };
  EXPECT_THAT(error(Rate("", 1)), HasSubstr("limit rules[1]: has no id"));
  EXPECT_THAT(error(Rate("fine", 1)), HasSubstr("unique"));
  EXPECT_THAT(error(Rate("x", 1, 0, {})), HasSubstr("limit rule \"x\": has no principals"));
  EXPECT_THAT(error(Rate("x", 1, 0, {"*"}, {})), HasSubstr("has no actions"));
  EXPECT_THAT(error(Rate("x", 1, 0, {"*"}, {"Describe*"})), HasSubstr("no service prefix"));
  EXPECT_THAT(error(Rate("x", 1, 0, {"group:"})), HasSubstr("names no group"));
  EXPECT_THAT(error(Rate("x", -1)), HasSubstr("rate_per_second"));
  EXPECT_THAT(error(Rate("x", 1, -2)), HasSubstr("burst must be"));
  EXPECT_THAT(error(Rate("x", 0, 5)), HasSubstr("burst without a rate"));
  EXPECT_THAT(error(InFlight("x", -1)), HasSubstr("max_in_flight"));
  EXPECT_THAT(error(Rate("x", 0)), HasSubstr("sets no limit"));

  LimitSettings zero;
  zero.max_tracked_callers = 0;
  EXPECT_THAT(CallerLimiter::Create(zero).status().message(), HasSubstr("max_tracked_callers"));
}

TEST(CallerLimiterTest, ConcurrentCallersNeverExceedTheLimits) {
  LimitSettings settings;
  settings.rules = {Rate("rate", 1, 1000), InFlight("slots", 3, {"*"}, {"ecs:*"})};
  auto limiter = Make(std::move(settings));
  std::atomic<int> in_flight{0};
  std::atomic<int> max_seen{0};
  std::atomic<int> admitted{0};
  std::atomic<int> shared_admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::vector<std::string> groups = {absl::StrCat("g", t)};
      for (int i = 0; i < 500; ++i) {
        const std::string principal = i % 2 == 0 ? "shared" : absl::StrCat("p", t, "-", i % 7);
        auto r = limiter->Admit(principal, groups, "ecs:DescribeServices", kT0);
        if (!Admitted(r)) continue;
        ++admitted;
        if (principal == "shared") {
          ++shared_admitted;
          const int now = ++in_flight;
          int seen = max_seen.load();
          while (now > seen && !max_seen.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::yield();
          --in_flight;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(max_seen.load(), 3);
  EXPECT_GT(admitted.load(), 0);
  // Every admitted "shared" call took exactly one "rate" token, and a call
  // the slots rule rejected took none: what is left is exact.
  int left = 0;
  while (Admitted(limiter->Admit("shared", {}, "s3:GetObject", kT0))) ++left;
  EXPECT_EQ(left, 1000 - shared_admitted.load());
}

}  // namespace
}  // namespace awsgw::auth::policy
