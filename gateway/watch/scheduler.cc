#include "gateway/watch/scheduler.h"

#include <chrono>
#include <random>

#include "boost/asio/post.hpp"

namespace awsgw::gateway::watch {

AsioScheduler::AsioScheduler() : work_(boost::asio::make_work_guard(io_)) {
  thread_ = std::thread([this] { io_.run(); });
}

AsioScheduler::~AsioScheduler() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void AsioScheduler::Post(absl::AnyInvocable<void()> fn) {
  // asio handlers must be copyable in Boost 1.81's post; keep the callable
  // behind a shared pointer.
  auto shared = std::make_shared<absl::AnyInvocable<void()>>(std::move(fn));
  boost::asio::post(io_, [shared] { (*shared)(); });
}

Scheduler::TimerId AsioScheduler::RunAfter(absl::Duration delay, absl::AnyInvocable<void()> fn) {
  const TimerId id = next_id_++;
  auto timer = std::make_unique<boost::asio::steady_timer>(io_);
  timer->expires_after(absl::ToChronoNanoseconds(std::max(delay, absl::ZeroDuration())));
  auto shared = std::make_shared<absl::AnyInvocable<void()>>(std::move(fn));
  timer->async_wait([this, id, shared](const boost::system::error_code& error) {
    if (error) return;  // cancelled: the entry is already gone
    timers_.erase(id);
    (*shared)();
  });
  timers_.emplace(id, std::move(timer));
  return id;
}

void AsioScheduler::Cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  it->second->cancel();
  timers_.erase(it);
}

double AsioScheduler::Random() {
  thread_local std::mt19937_64 generator(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace awsgw::gateway::watch
