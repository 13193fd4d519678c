// Pools by endpoint, live-call registry and stats of one HttpClient.
#include "http/client/client_state.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "http/client/connection.h"

namespace awsgw::http::client {

ClientState::ClientState(boost::asio::io_context& io, HttpClientOptions options,
                         std::shared_ptr<boost::asio::ssl::context> tls)
    : io_(io), options_(std::move(options)), tls_(std::move(tls)) {}

absl::StatusOr<std::shared_ptr<ConnectionPool>> ClientState::PoolFor(const Endpoint& endpoint) {
  const std::string key = absl::StrCat(SchemeName(endpoint.scheme), "://", endpoint.Authority());
  absl::MutexLock lock(&mu_);
  if (shutting_down_) return absl::UnavailableError("HTTP client is shutting down");
  if (auto it = pools_.find(key); it != pools_.end()) return it->second;

  absl::StatusOr<std::optional<ProxyServer>> proxy = options_.proxy.ProxyFor(endpoint);
  if (!proxy.ok()) return proxy.status();
  ConnectionTarget target{endpoint.WithoutBasePath(), *std::move(proxy)};
  ConnectionSettings settings{options_.connect_timeout, options_.tls_handshake_timeout,
                              options_.max_response_header_bytes};
  PoolLimits limits{options_.max_connections_per_endpoint, options_.max_queued_calls_per_endpoint,
                    options_.idle_timeout};
  auto factory = [&io = io_, tls = tls_, target = std::move(target), settings] {
    return std::make_shared<Connection>(io, tls, target, settings);
  };
  auto pool = std::make_shared<ConnectionPool>(endpoint.Authority(), limits, std::move(factory),
                                               options_.clock, counters_);
  pools_.emplace(key, pool);
  return pool;
}

bool ClientState::Register(uint64_t id, std::weak_ptr<OutboundRequest> call) {
  absl::MutexLock lock(&mu_);
  if (shutting_down_) return false;
  live_calls_.emplace(id, std::move(call));
  return true;
}

void ClientState::Unregister(uint64_t id) {
  absl::MutexLock lock(&mu_);
  live_calls_.erase(id);
}

ClientState::ShutdownWork ClientState::BeginShutdown() {
  absl::MutexLock lock(&mu_);
  shutting_down_ = true;
  ShutdownWork work;
  for (const auto& [key, pool] : pools_) work.pools.push_back(pool);
  for (const auto& [id, call] : live_calls_) work.calls.push_back(call);
  return work;
}

bool ClientState::AwaitNoCalls(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(this, &ClientState::NoCallsLocked), timeout);
}

void ClientState::DropPools() {
  absl::flat_hash_map<std::string, std::shared_ptr<ConnectionPool>> pools;
  {
    absl::MutexLock lock(&mu_);
    pools.swap(pools_);
  }
}

void ClientState::CloseIdle() {
  std::vector<std::shared_ptr<ConnectionPool>> pools;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [key, pool] : pools_) pools.push_back(pool);
  }
  for (const auto& pool : pools) pool->CloseIdle();
}

HttpClientStats ClientState::Stats() const {
  HttpClientStats stats;
  stats.connections_opened = counters_->connections_opened.load(std::memory_order_relaxed);
  stats.connections_reused = counters_->connections_reused.load(std::memory_order_relaxed);
  stats.connections_closed = counters_->connections_closed.load(std::memory_order_relaxed);
  stats.stale_retries = counters_->stale_retries.load(std::memory_order_relaxed);
  absl::MutexLock lock(&mu_);
  for (const auto& [key, pool] : pools_) {
    ConnectionPool::Gauges gauges = pool->GetGauges();
    stats.active_connections += gauges.active;
    stats.idle_connections += gauges.idle;
    stats.queued_calls += gauges.queued;
  }
  return stats;
}

}  // namespace awsgw::http::client
