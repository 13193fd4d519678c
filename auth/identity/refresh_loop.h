// RefreshLoop: the background thread shared by the refreshing key sources.
// It runs a blocking `fetch` on its own thread:
//   * at once on Start() (when asked), then every `interval` after a success;
//   * after a failure, again after a backoff (min_backoff doubling up to
//     max_backoff), whatever the interval;
//   * on RequestRefresh(), but never sooner than `min_interval` after the
//     previous fetch started: a request inside that window is deferred to
//     its end, not dropped, and any number of requests make one fetch.
//
// Why one thread per source rather than a shared executor: there are one or
// two issuers per gateway, and a blocked fetch (a slow disk, a hanging
// endpoint) then holds up nobody else.
//
// Threading: RequestRefresh() and Stats() are thread-safe and never block.
// `fetch` and `on_result` run on the loop's thread only.
#ifndef AWSGW_AUTH_IDENTITY_REFRESH_LOOP_H_
#define AWSGW_AUTH_IDENTITY_REFRESH_LOOP_H_

#include <cstdint>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace awsgw::auth::identity {

struct RefreshLoopOptions {
  absl::Duration interval = absl::Minutes(5);
  absl::Duration min_interval = absl::Seconds(60);
  absl::Duration min_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Seconds(60);
};

struct RefreshLoopStats {
  int64_t attempts = 0;  // fetches started
  int64_t failures = 0;  // of which failed
};

class RefreshLoop {
 public:
  // `fetch` does one refresh and says whether it worked; `on_result` (may be
  // empty) hears every outcome, e.g. to log it.
  RefreshLoop(RefreshLoopOptions options, std::function<absl::Status()> fetch,
              std::function<void(const absl::Status&)> on_result);
  // Stop()s.
  ~RefreshLoop();
  RefreshLoop(const RefreshLoop&) = delete;
  RefreshLoop& operator=(const RefreshLoop&) = delete;

  // Starts the thread; the first fetch runs at once when `fetch_now`, else
  // after `interval`. Call once.
  void Start(bool fetch_now);

  void RequestRefresh();

  // Waits until the first fetch after Start() has finished or `timeout`
  // passed; returns that fetch's status, or DEADLINE_EXCEEDED.
  absl::Status AwaitFirstResult(absl::Duration timeout) const;

  // Ends the thread, after the fetch in progress if any (the owner makes
  // that fetch return quickly). Idempotent. Must not run on the loop thread.
  void Stop();

  RefreshLoopStats Stats() const;

 private:
  void Run();

  const RefreshLoopOptions options_;
  const std::function<absl::Status()> fetch_;
  const std::function<void(const absl::Status&)> on_result_;

  mutable absl::Mutex mu_;
  absl::CondVar wake_;  // a refresh request, or Stop()
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool refresh_requested_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time next_fetch_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  absl::Time last_start_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int consecutive_failures_ ABSL_GUARDED_BY(mu_) = 0;
  bool have_first_result_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status first_result_ ABSL_GUARDED_BY(mu_);
  RefreshLoopStats stats_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_REFRESH_LOOP_H_
