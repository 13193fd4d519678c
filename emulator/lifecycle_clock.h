// LifecycleClock: the time lifecycles run on. Follows the embedder's clock
// (plus any time skipped with Advance()), or, when stepped, stands still
// until Advance() moves it, so tests and demos step through states exactly.
//
// Thread-safe.
#ifndef AWSGW_EMULATOR_LIFECYCLE_CLOCK_H_
#define AWSGW_EMULATOR_LIFECYCLE_CLOCK_H_

#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace awsgw::emulator {

class LifecycleClock {
 public:
  LifecycleClock(std::function<absl::Time()> clock, bool stepped)
      : clock_(std::move(clock)), stepped_(stepped), base_(clock_()) {}

  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return (stepped_ ? base_ : clock_()) + offset_;
  }

  // Moves lifecycle time forward by `by` (negative values are ignored).
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mu_);
    if (by > absl::ZeroDuration()) offset_ += by;
  }

  bool stepped() const { return stepped_; }

 private:
  std::function<absl::Time()> clock_;
  const bool stepped_;
  const absl::Time base_;
  mutable absl::Mutex mu_;
  absl::Duration offset_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_LIFECYCLE_CLOCK_H_
