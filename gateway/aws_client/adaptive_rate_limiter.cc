#include "gateway/aws_client/adaptive_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace awsgw::gateway::aws_client {
namespace {

// The SDKs' constants.
constexpr double kMinFillRate = 0.5;  // requests per second
constexpr double kMinCapacity = 1;
constexpr double kBeta = 0.7;           // rate kept after a throttle
constexpr double kScaleConstant = 0.4;  // CUBIC growth
constexpr double kSmoothing = 0.8;      // weight of the newest rate sample

double Seconds(absl::Time t) { return absl::ToDoubleSeconds(t - absl::UnixEpoch()); }

}  // namespace

absl::Duration AdaptiveRateLimiter::Reserve(absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (!enabled_) return absl::ZeroDuration();
  Refill(Seconds(now));
  capacity_ -= 1;
  if (capacity_ >= 0) return absl::ZeroDuration();
  return absl::Seconds(-capacity_ / fill_rate_);
}

void AdaptiveRateLimiter::OnResponse(bool throttled, absl::Time when) {
  absl::MutexLock lock(&mu_);
  const double now = Seconds(when);
  UpdateMeasuredRate(now);
  double rate;
  if (throttled) {
    const double sending = enabled_ ? std::min(measured_rate_, fill_rate_) : measured_rate_;
    last_max_rate_ = sending;
    last_throttle_ = now;
    rate = sending * kBeta;
    enabled_ = true;
  } else {
    const double t = now - last_throttle_ - TimeWindow();
    rate = kScaleConstant * t * t * t + last_max_rate_;
  }
  SetFillRate(std::min(rate, 2 * measured_rate_), now);
}

double AdaptiveRateLimiter::fill_rate() const {
  absl::MutexLock lock(&mu_);
  return fill_rate_;
}

bool AdaptiveRateLimiter::enabled() const {
  absl::MutexLock lock(&mu_);
  return enabled_;
}

void AdaptiveRateLimiter::Refill(double now) {
  if (last_refill_ >= 0) {
    capacity_ = std::min(max_capacity_, capacity_ + (now - last_refill_) * fill_rate_);
  }
  last_refill_ = now;
}

void AdaptiveRateLimiter::UpdateMeasuredRate(double now) {
  const double bucket = std::floor(now * 2) / 2;
  requests_in_bucket_ += 1;
  if (rate_bucket_ < 0) {
    rate_bucket_ = bucket;
  } else if (bucket > rate_bucket_) {
    const double current = requests_in_bucket_ / (bucket - rate_bucket_);
    measured_rate_ = current * kSmoothing + measured_rate_ * (1 - kSmoothing);
    requests_in_bucket_ = 0;
    rate_bucket_ = bucket;
  }
}

void AdaptiveRateLimiter::SetFillRate(double rate, double now) {
  Refill(now);
  fill_rate_ = std::max(rate, kMinFillRate);
  max_capacity_ = std::max(rate, kMinCapacity);
  capacity_ = std::min(capacity_, max_capacity_);
}

double AdaptiveRateLimiter::TimeWindow() const {
  return std::cbrt(last_max_rate_ * (1 - kBeta) / kScaleConstant);
}

}  // namespace awsgw::gateway::aws_client
