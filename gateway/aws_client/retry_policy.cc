#include "gateway/aws_client/retry_policy.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "translators/status_mapping.h"

namespace awsgw::gateway::aws_client {

bool RetryQuota::Acquire(bool after_timeout, int* taken) {
  const int cost = after_timeout ? settings_.timeout_retry_cost : settings_.retry_cost;
  absl::MutexLock lock(&mu_);
  if (tokens_ < cost) return false;
  tokens_ -= cost;
  *taken += cost;
  return true;
}

void RetryQuota::Release(int taken) {
  absl::MutexLock lock(&mu_);
  tokens_ = std::min(settings_.quota_capacity,
                     tokens_ + (taken > 0 ? taken : settings_.no_retry_increment));
}

int RetryQuota::available() const {
  absl::MutexLock lock(&mu_);
  return tokens_;
}

bool IsRetryableAwsError(const std::string& code, int http_status) {
  static const auto* transient = new absl::flat_hash_set<std::string>{
      "RequestTimeout",       "RequestTimeoutException", "InternalError",
      "InternalFailure",      "ServiceUnavailable",      "ServiceUnavailableException",
      "IDPCommunicationError"};
  if (translators::IsThrottlingError(code) || transient->contains(code)) return true;
  return http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

RetryPolicy::RetryPolicy(const RetrySettings& settings, RetryQuota* quota, bool safe_to_resend,
                         std::function<double()> random)
    : settings_(settings),
      quota_(quota),
      safe_to_resend_(safe_to_resend),
      random_(std::move(random)) {}

std::optional<absl::Duration> RetryPolicy::NextDelay(int attempt, const AttemptOutcome& outcome) {
  using Kind = AttemptOutcome::Kind;
  if (outcome.kind == Kind::kSuccess) return std::nullopt;
  if (outcome.kind == Kind::kAwsError &&
      !IsRetryableAwsError(outcome.aws_code, outcome.http_status)) {
    stop_reason_ = "not retryable";
    return std::nullopt;
  }
  // An AWS error answer means AWS did not act on the request; a transport
  // failure or timeout may come after AWS acted on it.
  const bool may_have_acted =
      outcome.kind == Kind::kTimeout ||
      (outcome.kind == Kind::kTransportFailure && outcome.may_have_been_sent);
  if (may_have_acted && !safe_to_resend_) {
    stop_reason_ = "unsafe to resend";
    return std::nullopt;
  }
  if (attempt >= settings_.max_attempts) {
    stop_reason_ = "max attempts";
    return std::nullopt;
  }
  if (!quota_->Acquire(outcome.kind == Kind::kTimeout, &taken_)) {
    stop_reason_ = "quota exhausted";
    return std::nullopt;
  }
  const double cap = absl::ToDoubleSeconds(settings_.max_backoff);
  const double backoff = std::min(random_() * std::pow(2.0, attempt - 1), cap);
  absl::Duration delay = absl::Seconds(backoff);
  if (outcome.retry_after.has_value()) {
    delay = std::max(delay, std::min(*outcome.retry_after, settings_.max_backoff));
  }
  return delay;
}

void RetryPolicy::OnSuccess() { quota_->Release(taken_); }

}  // namespace awsgw::gateway::aws_client
