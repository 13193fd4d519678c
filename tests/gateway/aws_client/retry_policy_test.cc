#include "gateway/aws_client/retry_policy.h"

#include "gtest/gtest.h"

namespace awsgw::gateway::aws_client {
namespace {

using Kind = AttemptOutcome::Kind;

AttemptOutcome Throttled() { return {Kind::kAwsError, "ThrottlingException", 400, true, {}}; }

TEST(RetryPolicyTest, RetriesThrottlingWithFullJitterUpToMaxAttempts) {
  RetrySettings settings;
  RetryQuota quota(settings);
  RetryPolicy policy(settings, &quota, /*safe_to_resend=*/false, [] { return 0.5; });
  EXPECT_EQ(policy.NextDelay(1, Throttled()), absl::Milliseconds(500));
  EXPECT_EQ(policy.NextDelay(2, Throttled()), absl::Seconds(1));
  EXPECT_EQ(policy.NextDelay(3, Throttled()), std::nullopt);
  EXPECT_EQ(policy.stop_reason(), "max attempts");
  EXPECT_EQ(quota.available(), 490);
  policy.OnSuccess();
  EXPECT_EQ(quota.available(), 500);
}

TEST(RetryPolicyTest, BackoffIsCappedAndHonoursRetryAfter) {
  RetrySettings settings;
  settings.max_attempts = 20;
  RetryQuota quota(settings);
  RetryPolicy policy(settings, &quota, true, [] { return 0.99; });
  EXPECT_EQ(policy.NextDelay(10, Throttled()), absl::Seconds(20));
  AttemptOutcome with_hint = Throttled();
  with_hint.retry_after = absl::Seconds(3);
  RetryPolicy small(settings, &quota, true, [] { return 0.0; });
  EXPECT_EQ(small.NextDelay(1, with_hint), absl::Seconds(3));
}

TEST(RetryPolicyTest, ClientErrorsAreNotRetried) {
  RetrySettings settings;
  RetryQuota quota(settings);
  RetryPolicy policy(settings, &quota, true, [] { return 0.1; });
  EXPECT_EQ(policy.NextDelay(1, {Kind::kAwsError, "ValidationException", 400, true, {}}),
            std::nullopt);
  EXPECT_EQ(policy.stop_reason(), "not retryable");
  EXPECT_NE(policy.NextDelay(1, {Kind::kAwsError, "SomethingNew", 503, true, {}}), std::nullopt);
}

TEST(RetryPolicyTest, UnsafeCallsAreNotResentOnceTheyMayHaveArrived) {
  RetrySettings settings;
  RetryQuota quota(settings);
  RetryPolicy unsafe(settings, &quota, /*safe_to_resend=*/false, [] { return 0.1; });
  EXPECT_EQ(unsafe.NextDelay(1, {Kind::kTransportFailure, "", 0, /*sent=*/true, {}}), std::nullopt);
  EXPECT_EQ(unsafe.stop_reason(), "unsafe to resend");
  EXPECT_EQ(unsafe.NextDelay(1, {Kind::kTimeout, "", 0, true, {}}), std::nullopt);
  // Never sent (connection refused): safe to try again.
  EXPECT_NE(unsafe.NextDelay(1, {Kind::kTransportFailure, "", 0, /*sent=*/false, {}}),
            std::nullopt);
  RetryPolicy safe(settings, &quota, /*safe_to_resend=*/true, [] { return 0.1; });
  EXPECT_NE(safe.NextDelay(1, {Kind::kTimeout, "", 0, true, {}}), std::nullopt);
}

TEST(RetryPolicyTest, AnEmptyQuotaFailsFastAndSuccessRefillsIt) {
  RetrySettings settings;
  settings.quota_capacity = 12;
  settings.max_attempts = 10;
  RetryQuota quota(settings);
  RetryPolicy a(settings, &quota, true, [] { return 0.0; });
  EXPECT_NE(a.NextDelay(1, Throttled()), std::nullopt);  // 12 -> 7
  EXPECT_NE(a.NextDelay(2, Throttled()), std::nullopt);  // 7 -> 2
  EXPECT_EQ(a.NextDelay(3, Throttled()), std::nullopt);
  EXPECT_EQ(a.stop_reason(), "quota exhausted");
  RetryPolicy b(settings, &quota, true, [] { return 0.0; });
  EXPECT_EQ(b.NextDelay(1, Throttled()), std::nullopt);  // shared: b is refused too
  a.OnSuccess();
  EXPECT_EQ(quota.available(), 12);
  b.OnSuccess();  // a success without retries adds the small increment, capped
  EXPECT_EQ(quota.available(), 12);
}

}  // namespace
}  // namespace awsgw::gateway::aws_client
