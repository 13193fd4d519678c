// ClientState: what an HttpClient shares with its calls and its idle sweeper:
// the options, the TLS context, the pools by (scheme, host, port), the
// registry of live calls and the counters.
//
// Why shared: calls and timers hold it through std::shared_ptr / weak_ptr, so
// no Asio handler ever captures a bare pointer to the HttpClient.
#ifndef AWSGW_HTTP_CLIENT_CLIENT_STATE_H_
#define AWSGW_HTTP_CLIENT_CLIENT_STATE_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "http/client/client_options.h"
#include "http/client/client_stats.h"
#include "http/client/connection_pool.h"
#include "http/client/endpoint.h"
#include "http/client/outbound_request.h"

namespace awsgw::http::client {

class ClientState {
 public:
  // `io` must outlive every connection the pools create (the HttpClient
  // owns both and drops the pools before its io_context).
  ClientState(boost::asio::io_context& io, HttpClientOptions options,
              std::shared_ptr<boost::asio::ssl::context> tls);

  const HttpClientOptions& options() const { return options_; }

  // The pool for the endpoint's (scheme, host, port), made on first use.
  // UNAVAILABLE once shutdown began; INVALID_ARGUMENT when the proxy setting
  // that applies is malformed.
  absl::StatusOr<std::shared_ptr<ConnectionPool>> PoolFor(const Endpoint& endpoint);

  uint64_t NextCallId() { return next_call_id_.fetch_add(1, std::memory_order_relaxed); }

  // Records a live call; false once shutdown began (the caller ends it).
  bool Register(uint64_t id, std::weak_ptr<OutboundRequest> call);
  void Unregister(uint64_t id);

  // Marks the state as shutting down and returns what must be stopped.
  struct ShutdownWork {
    std::vector<std::shared_ptr<ConnectionPool>> pools;
    std::vector<std::weak_ptr<OutboundRequest>> calls;
  };
  ShutdownWork BeginShutdown();

  // Waits until every registered call has finished; false on timeout.
  bool AwaitNoCalls(absl::Duration timeout);

  // Forgets the pools (their idle connections close). After the threads stop.
  void DropPools();

  // Closes expired idle connections in every pool.
  void CloseIdle();

  HttpClientStats Stats() const;

 private:
  bool NoCallsLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return live_calls_.empty(); }

  boost::asio::io_context& io_;
  const HttpClientOptions options_;
  const std::shared_ptr<boost::asio::ssl::context> tls_;
  const std::shared_ptr<ClientCounters> counters_ = std::make_shared<ClientCounters>();
  std::atomic<uint64_t> next_call_id_{1};

  mutable absl::Mutex mu_;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  // Keyed by "scheme://host:port". One pool per endpoint the gateway talks
  // to (a handful of AWS services and regions), so never evicted.
  absl::flat_hash_map<std::string, std::shared_ptr<ConnectionPool>> pools_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, std::weak_ptr<OutboundRequest>> live_calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_CLIENT_STATE_H_
