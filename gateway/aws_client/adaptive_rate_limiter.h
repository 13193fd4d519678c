// The AWS SDKs' "adaptive" retry mode: a client-side rate limiter that slows
// sending after AWS throttles and speeds back up on success (CUBIC, as in
// the SDKs: on a throttle the rate drops to 0.7x of what was being sent;
// afterwards it grows along a cubic curve back to, then past, that rate).
//
// Unlike the SDKs, where every client instance throttles alone, the gateway
// keeps one limiter per (AWS identity, region, service), shared by every
// caller: a thousand callers of ECS slow down together, as AWS sees them.
//
// Nothing blocks: Reserve() takes a send token now and says how long the
// caller must wait before sending (a token bucket allowed to go into debt),
// and the caller schedules that wait on a timer. The limiter does nothing
// until the first throttle, as in the SDKs.
#ifndef AWSGW_GATEWAY_AWS_CLIENT_ADAPTIVE_RATE_LIMITER_H_
#define AWSGW_GATEWAY_AWS_CLIENT_ADAPTIVE_RATE_LIMITER_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace awsgw::gateway::aws_client {

class AdaptiveRateLimiter {
 public:
  // How long to wait before sending one request (zero: send now).
  absl::Duration Reserve(absl::Time now);

  // After AWS answered (throttle: a throttling error code).
  void OnResponse(bool throttled, absl::Time now);

  // Requests per second allowed now, and whether limiting has started.
  double fill_rate() const;
  bool enabled() const;

 private:
  void Refill(double now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void UpdateMeasuredRate(double now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SetFillRate(double rate, double now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  double TimeWindow() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  bool enabled_ ABSL_GUARDED_BY(mu_) = false;
  double fill_rate_ ABSL_GUARDED_BY(mu_) = 0;      // tokens per second
  double max_capacity_ ABSL_GUARDED_BY(mu_) = 0;   // bucket size
  double capacity_ ABSL_GUARDED_BY(mu_) = 0;       // may go negative: reserved debt
  double last_refill_ ABSL_GUARDED_BY(mu_) = -1;   // seconds; -1: never
  double measured_rate_ ABSL_GUARDED_BY(mu_) = 0;  // smoothed sends per second
  double rate_bucket_ ABSL_GUARDED_BY(mu_) = -1;   // half-second bucket of the measurement
  double requests_in_bucket_ ABSL_GUARDED_BY(mu_) = 0;
  double last_max_rate_ ABSL_GUARDED_BY(mu_) = 0;
  double last_throttle_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace awsgw::gateway::aws_client

#endif  // AWSGW_GATEWAY_AWS_CLIENT_ADAPTIVE_RATE_LIMITER_H_
