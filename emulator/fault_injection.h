// Fault injection for reliability tests and benchmarks: a share of requests
// answered with the service's internal error or its throttling error
// (Emulator), reset or cut short on the wire, or delayed (HttpServer). Every
// decision is drawn from one seeded generator per layer, so a run with the
// same seed and the same sequence of requests fails the same requests.
#ifndef AWSGW_EMULATOR_FAULT_INJECTION_H_
#define AWSGW_EMULATOR_FAULT_INJECTION_H_

#include <cstdint>
#include <random>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace awsgw::emulator {

// Rates are probabilities per request, 0 (never) to 1 (always).
struct FaultOptions {
  double error_rate = 0;     // the service's modeled internal error, HTTP 500
  double throttle_rate = 0;  // the service's throttling error (400 or 429)
  double reset_rate = 0;     // the connection reset instead of an answer
  double truncate_rate = 0;  // half the answer written, then the connection closed
  absl::Duration latency = absl::ZeroDuration();  // added before every answer
  uint64_t seed = 1;
};

// Seeded yes/no draws. Thread-safe.
class FaultDice {
 public:
  explicit FaultDice(uint64_t seed) : engine_(seed) {}

  // True with probability `rate`. Always draws, so the sequence of outcomes
  // depends only on the seed and the number of calls.
  bool Roll(double rate) {
    absl::MutexLock lock(&mu_);
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
    return u < rate;
  }

 private:
  absl::Mutex mu_;
  std::mt19937_64 engine_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_FAULT_INJECTION_H_
