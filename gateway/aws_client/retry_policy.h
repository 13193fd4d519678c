// When and how long to wait before retrying an AWS call: the AWS SDKs'
// "standard" retry mode, with its retry quota shared by every caller.
//
//   * up to max_attempts (default 3) attempts;
//   * retried: throttling errors, transient errors (5xx, request timeouts),
//     and transport failures; never a client error;
//   * a call that is neither idempotent nor carries an idempotency token is
//     not retried once its request may have reached AWS;
//   * exponential backoff with full jitter: random(0, 1) * 2^attempt seconds,
//     capped at max_backoff (20 s), or the server's Retry-After if longer;
//   * a retry quota (token bucket of 500): each retry takes 5 tokens (10 after
//     a timeout), a success gives back what its retries took (or 1); when the
//     bucket is empty, calls fail fast instead of multiplying load on an AWS
//     service that is already failing. One quota per (AWS identity, region,
//     service), shared by every caller of the gateway.
#ifndef AWSGW_GATEWAY_AWS_CLIENT_RETRY_POLICY_H_
#define AWSGW_GATEWAY_AWS_CLIENT_RETRY_POLICY_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace awsgw::gateway::aws_client {

struct RetrySettings {
  // kAdaptive adds the client-side rate limiter of adaptive_rate_limiter.h
  // to everything above.
  enum class Mode { kStandard, kAdaptive };
  Mode mode = Mode::kStandard;
  int max_attempts = 3;
  absl::Duration max_backoff = absl::Seconds(20);
  int quota_capacity = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  int no_retry_increment = 1;
};

// What one attempt ended with.
struct AttemptOutcome {
  enum class Kind {
    kSuccess,
    kAwsError,          // AWS answered with an error
    kTransportFailure,  // no (complete) answer: connect, TLS, reset, truncation
    kTimeout,           // the attempt's own timeout (not the caller's deadline)
  };
  Kind kind = Kind::kSuccess;
  std::string aws_code;  // for kAwsError
  int http_status = 0;   // for kAwsError
  // For transport failures: whether the request may have reached AWS.
  bool may_have_been_sent = true;
  std::optional<absl::Duration> retry_after;
};

// The shared retry quota. Thread-safe.
class RetryQuota {
 public:
  explicit RetryQuota(const RetrySettings& settings)
      : settings_(settings), tokens_(settings.quota_capacity) {}

  // Takes the cost of one retry; false (and nothing taken) when the quota is
  // too low.
  bool Acquire(bool after_timeout, int* taken);
  // A call succeeded: gives back what its retries took, or the small
  // no-retry increment, up to the capacity.
  void Release(int taken);
  int available() const;

 private:
  const RetrySettings settings_;
  mutable absl::Mutex mu_;
  int tokens_ ABSL_GUARDED_BY(mu_);
};

// Whether AWS's error is worth retrying (throttling or transient).
bool IsRetryableAwsError(const std::string& code, int http_status);

// One call's retry state.
class RetryPolicy {
 public:
  // `safe_to_resend`: the operation is idempotent or carries an idempotency
  // token. `random` returns a value in [0, 1); injectable for tests.
  RetryPolicy(const RetrySettings& settings, RetryQuota* quota, bool safe_to_resend,
              std::function<double()> random);

  // After attempt `attempt` (1-based) ended with `outcome`: the delay before
  // the next attempt, or nullopt to stop and report the outcome.
  std::optional<absl::Duration> NextDelay(int attempt, const AttemptOutcome& outcome);

  // Call once when the call succeeded, to refill the quota.
  void OnSuccess();

  // Why the last NextDelay stopped, for logs and metrics ("max attempts",
  // "quota exhausted", "not retryable", "unsafe to resend").
  const std::string& stop_reason() const { return stop_reason_; }

 private:
  const RetrySettings& settings_;
  RetryQuota* quota_;
  const bool safe_to_resend_;
  std::function<double()> random_;
  int taken_ = 0;
  std::string stop_reason_;
};

}  // namespace awsgw::gateway::aws_client

#endif  // AWSGW_GATEWAY_AWS_CLIENT_RETRY_POLICY_H_
