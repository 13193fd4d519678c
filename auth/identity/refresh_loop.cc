#include "auth/identity/refresh_loop.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"

namespace awsgw::auth::identity {

RefreshLoop::RefreshLoop(RefreshLoopOptions options, std::function<absl::Status()> fetch,
                         std::function<void(const absl::Status&)> on_result)
    : options_(options), fetch_(std::move(fetch)), on_result_(std::move(on_result)) {}

RefreshLoop::~RefreshLoop() { Stop(); }

void RefreshLoop::Start(bool fetch_now) {
  {
    absl::MutexLock lock(&mu_);
    next_fetch_ = fetch_now ? absl::Now() : absl::Now() + options_.interval;
  }
  thread_ = std::thread([this] { Run(); });
}

void RefreshLoop::RequestRefresh() {
  absl::MutexLock lock(&mu_);
  refresh_requested_ = true;
  wake_.Signal();
}

absl::Status RefreshLoop::AwaitFirstResult(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  if (!mu_.AwaitWithTimeout(absl::Condition(&have_first_result_), timeout)) {
    return absl::DeadlineExceededError("the first key fetch did not finish in time");
  }
  return first_result_;
}

void RefreshLoop::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    wake_.Signal();
  }
  if (thread_.joinable()) thread_.join();
}

RefreshLoopStats RefreshLoop::Stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void RefreshLoop::Run() {
  mu_.Lock();
  while (true) {
    while (!stopping_) {
      absl::Time due = next_fetch_;
      if (refresh_requested_) due = std::min(due, last_start_ + options_.min_interval);
      if (absl::Now() >= due) break;
      wake_.WaitWithDeadline(&mu_, due);
    }
    if (stopping_) break;
    // Cleared before fetching: a request that arrives during this fetch may
    // be about keys this fetch will not see, so it earns one more.
    refresh_requested_ = false;
    last_start_ = absl::Now();
    ++stats_.attempts;
    mu_.Unlock();

    const absl::Status status = fetch_();
    if (on_result_) on_result_(status);

    mu_.Lock();
    if (status.ok()) {
      consecutive_failures_ = 0;
      next_fetch_ = absl::Now() + options_.interval;
    } else {
      ++stats_.failures;
      ++consecutive_failures_;
      absl::Duration backoff = options_.min_backoff;
      for (int i = 1; i < consecutive_failures_ && backoff < options_.max_backoff; ++i) {
        backoff *= 2;
      }
      next_fetch_ = absl::Now() + std::min(backoff, options_.max_backoff);
    }
    if (!have_first_result_) {
      have_first_result_ = true;
      first_result_ = status;
    }
  }
  mu_.Unlock();
}

}  // namespace awsgw::auth::identity
