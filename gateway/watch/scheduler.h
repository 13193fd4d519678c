// Where the watch engine runs: one sequence of callbacks (never two at once)
// plus timers, behind an interface so tests drive the engine with a manual
// clock.
//
// AsioScheduler runs everything on one thread with its own io_context: the
// watch engine's whole state is touched only there, so it needs no locks,
// and no gRPC thread ever blocks on it (they post).
#ifndef AWSGW_GATEWAY_WATCH_SCHEDULER_H_
#define AWSGW_GATEWAY_WATCH_SCHEDULER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/steady_timer.hpp"

namespace awsgw::gateway::watch {

class Scheduler {
 public:
  using TimerId = uint64_t;
  virtual ~Scheduler() = default;
  virtual absl::Time Now() = 0;
  // Runs `fn` on the scheduler's sequence, soon. Thread-safe.
  virtual void Post(absl::AnyInvocable<void()> fn) = 0;
  // Runs `fn` on the sequence after `delay`, unless cancelled first. Call on
  // the sequence.
  virtual TimerId RunAfter(absl::Duration delay, absl::AnyInvocable<void()> fn) = 0;
  // Call on the sequence; a no-op for fired or unknown timers.
  virtual void Cancel(TimerId id) = 0;
  // A number in [0, 1) (backoff jitter).
  virtual double Random() = 0;
};

class AsioScheduler : public Scheduler {
 public:
  // Starts the thread.
  AsioScheduler();
  // Stops the thread; pending callbacks are dropped.
  ~AsioScheduler() override;

  absl::Time Now() override { return absl::Now(); }
  void Post(absl::AnyInvocable<void()> fn) override;
  TimerId RunAfter(absl::Duration delay, absl::AnyInvocable<void()> fn) override;
  void Cancel(TimerId id) override;
  double Random() override;

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  // Touched only on the thread.
  TimerId next_id_ = 1;
  absl::flat_hash_map<TimerId, std::unique_ptr<boost::asio::steady_timer>> timers_;
  std::thread thread_;
};

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_SCHEDULER_H_
