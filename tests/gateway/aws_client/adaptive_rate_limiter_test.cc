#include "gateway/aws_client/adaptive_rate_limiter.h"

#include "gtest/gtest.h"

namespace awsgw::gateway::aws_client {
namespace {

absl::Time At(double seconds) { return absl::UnixEpoch() + absl::Seconds(1000 + seconds); }

// Sends at `rate` per second from `start` for `duration` seconds, all
// successful; returns the time after the last one.
double SendSuccessfully(AdaptiveRateLimiter& limiter, double start, double rate, double duration) {
  double t = start;
  for (; t < start + duration; t += 1 / rate) {
    limiter.Reserve(At(t));
    limiter.OnResponse(false, At(t));
  }
  return t;
}

TEST(AdaptiveRateLimiterTest, DoesNothingUntilTheFirstThrottle) {
  AdaptiveRateLimiter limiter;
  SendSuccessfully(limiter, 0, 100, 2);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Reserve(At(2)), absl::ZeroDuration());
}

TEST(AdaptiveRateLimiterTest, ThrottleCutsTheRateToSeventyPercentOfWhatWasSent) {
  AdaptiveRateLimiter limiter;
  double t = SendSuccessfully(limiter, 0, 10, 5);
  limiter.OnResponse(true, At(t));
  ASSERT_TRUE(limiter.enabled());
  EXPECT_NEAR(limiter.fill_rate(), 7.0, 0.5);

  // A burst at one instant: what the bucket holds (one second's worth) goes
  // at once, the rest is spread out, each waiting 1/rate longer.
  int immediate = 0;
  absl::Duration previous = absl::ZeroDuration();
  for (int i = 0; i < 20; ++i) {
    absl::Duration wait = limiter.Reserve(At(t));
    if (wait == absl::ZeroDuration()) ++immediate;
    EXPECT_GE(wait, previous);
    previous = wait;
  }
  EXPECT_EQ(immediate, static_cast<int>(limiter.fill_rate()));
  EXPECT_NEAR(absl::ToDoubleSeconds(previous), (20 - limiter.fill_rate()) / limiter.fill_rate(),
              0.05);
}

TEST(AdaptiveRateLimiterTest, RepeatedThrottlesKeepCuttingToTheFloor) {
  AdaptiveRateLimiter limiter;
  double t = SendSuccessfully(limiter, 0, 20, 3);
  double last = 1e9;
  for (int i = 0; i < 30; ++i) {
    limiter.OnResponse(true, At(t));
    EXPECT_LE(limiter.fill_rate(), last);
    last = limiter.fill_rate();
    t += 0.5;
  }
  EXPECT_NEAR(limiter.fill_rate(), 0.5, 1e-9);  // the SDKs' minimum fill rate
}

TEST(AdaptiveRateLimiterTest, SuccessGrowsTheRateBackAlongTheCubicCurve) {
  AdaptiveRateLimiter limiter;
  double t = SendSuccessfully(limiter, 0, 10, 5);
  limiter.OnResponse(true, At(t));
  const double after_throttle = limiter.fill_rate();
  // Keep sending at the allowed rate; the rate climbs back to (and, capped
  // at twice the measured rate, beyond) where it was.
  double rate = after_throttle;
  for (int step = 0; step < 60; ++step) {
    t = SendSuccessfully(limiter, t, std::max(rate, 1.0), 0.5);
    rate = limiter.fill_rate();
  }
  EXPECT_GT(rate, after_throttle);
  EXPECT_GE(rate, 9.0);
}

}  // namespace
}  // namespace awsgw::gateway::aws_client
