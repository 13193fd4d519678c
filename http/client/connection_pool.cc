// Pool bookkeeping: idle list, open-connection cap, waiter queue.
#include "http/client/connection_pool.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace awsgw::http::client {

ConnectionPool::ConnectionPool(std::string name, PoolLimits limits, Factory factory, Clock clock,
                               std::shared_ptr<ClientCounters> counters)
    : name_(std::move(name)),
      limits_(limits),
      factory_(std::move(factory)),
      clock_(std::move(clock)),
      counters_(std::move(counters)) {}

ConnectionPool::~ConnectionPool() {
  absl::MutexLock lock(&mu_);
  for (IdleConnection& idle : idle_) idle.connection->Close();
}

std::shared_ptr<Connection> ConnectionPool::NewConnectionLocked() {
  ++open_;
  counters_->connections_opened.fetch_add(1, std::memory_order_relaxed);
  return factory_();
}

void ConnectionPool::CloseLocked(std::shared_ptr<Connection> connection) {
  connection->Close();
  --open_;
  counters_->connections_closed.fetch_add(1, std::memory_order_relaxed);
}

bool ConnectionPool::IdleUsableLocked(const IdleConnection& idle, absl::Time now) const {
  return now - idle.since < limits_.idle_timeout && idle.connection->LooksAlive();
}

void ConnectionPool::Deliver(std::vector<Delivery> deliveries) {
  for (auto& [on_lease, lease] : deliveries) on_lease(std::move(lease));
}

absl::StatusOr<std::optional<Lease>> ConnectionPool::Acquire(uint64_t waiter,
                                                             LeaseCallback on_lease) {
  absl::MutexLock lock(&mu_);
  if (shutdown_.has_value()) return *shutdown_;
  const absl::Time now = clock_();
  while (!idle_.empty()) {
    IdleConnection idle = std::move(idle_.back());
    idle_.pop_back();
    if (IdleUsableLocked(idle, now)) {
      counters_->connections_reused.fetch_add(1, std::memory_order_relaxed);
      return std::optional<Lease>(Lease{std::move(idle.connection), true});
    }
    CloseLocked(std::move(idle.connection));
  }
  if (open_ < limits_.max_connections) {
    return std::optional<Lease>(Lease{NewConnectionLocked(), false});
  }
  if (static_cast<int>(waiters_.size()) >= limits_.max_queued) {
    return absl::ResourceExhaustedError(
        absl::StrCat("too many calls to ", name_, ": ", open_, " connections busy and ",
                     waiters_.size(), " calls queued (max_queued_calls_per_endpoint)"));
  }
  waiters_.push_back({waiter, std::move(on_lease)});
  return std::optional<Lease>();
}

bool ConnectionPool::CancelWait(uint64_t waiter) {
  LeaseCallback dropped;  // destroyed after the lock is released
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(waiters_.begin(), waiters_.end(),
                         [waiter](const Waiter& w) { return w.id == waiter; });
  if (it == waiters_.end()) return false;
  dropped = std::move(it->on_lease);
  waiters_.erase(it);
  return true;
}

void ConnectionPool::Release(std::shared_ptr<Connection> connection, bool reusable) {
  std::vector<Delivery> deliveries;
  {
    absl::MutexLock lock(&mu_);
    if (reusable && !shutdown_.has_value()) {
      if (!waiters_.empty()) {
        counters_->connections_reused.fetch_add(1, std::memory_order_relaxed);
        deliveries.emplace_back(std::move(waiters_.front().on_lease),
                                Lease{std::move(connection), true});
        waiters_.pop_front();
      } else {
        idle_.push_back({std::move(connection), clock_()});
      }
    } else {
      CloseLocked(std::move(connection));
      if (!waiters_.empty() && !shutdown_.has_value() && open_ < limits_.max_connections) {
        deliveries.emplace_back(std::move(waiters_.front().on_lease),
                                Lease{NewConnectionLocked(), false});
        waiters_.pop_front();
      }
    }
  }
  Deliver(std::move(deliveries));
}

Lease ConnectionPool::ReplaceStale(std::shared_ptr<Connection> dead) {
  absl::MutexLock lock(&mu_);
  counters_->stale_retries.fetch_add(1, std::memory_order_relaxed);
  CloseLocked(std::move(dead));
  return Lease{NewConnectionLocked(), false};
}

void ConnectionPool::CloseIdle() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_();
  std::vector<IdleConnection> keep;
  for (IdleConnection& idle : idle_) {
    if (IdleUsableLocked(idle, now)) {
      keep.push_back(std::move(idle));
    } else {
      CloseLocked(std::move(idle.connection));
    }
  }
  idle_ = std::move(keep);
}

void ConnectionPool::Shutdown(absl::Status status) {
  std::vector<Delivery> deliveries;
  {
    absl::MutexLock lock(&mu_);
    shutdown_ = status;
    for (IdleConnection& idle : idle_) CloseLocked(std::move(idle.connection));
    idle_.clear();
    for (Waiter& waiter : waiters_) deliveries.emplace_back(std::move(waiter.on_lease), status);
    waiters_.clear();
  }
  Deliver(std::move(deliveries));
}

ConnectionPool::Gauges ConnectionPool::GetGauges() const {
  absl::MutexLock lock(&mu_);
  Gauges gauges;
  gauges.idle = static_cast<int64_t>(idle_.size());
  gauges.active = open_ - gauges.idle;
  gauges.queued = static_cast<int64_t>(waiters_.size());
  return gauges;
}

}  // namespace awsgw::http::client
