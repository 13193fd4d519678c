// Connection and call counters of the HTTP client, for metrics.
//
// Why two types: ClientCounters is the live, lock-free set the pools bump;
// HttpClientStats is the plain snapshot HttpClient::Stats() returns, with the
// gauges (active, idle, queued) summed over every pool at that moment.
#ifndef AWSGW_HTTP_CLIENT_CLIENT_STATS_H_
#define AWSGW_HTTP_CLIENT_CLIENT_STATS_H_

#include <atomic>
#include <cstdint>

namespace awsgw::http::client {

struct HttpClientStats {
  // Monotonic counters since the client was created.
  uint64_t connections_opened = 0;  // connection attempts started
  uint64_t connections_reused = 0;  // calls given an idle pooled connection
  uint64_t connections_closed = 0;  // closed for any reason (failed attempts too)
  uint64_t stale_retries = 0;       // calls re-sent after a reused connection died
  // Gauges at the time of the snapshot.
  int64_t active_connections = 0;  // leased to a call (connecting or exchanging)
  int64_t idle_connections = 0;    // open, in a pool, waiting for a call
  int64_t queued_calls = 0;        // waiting for a connection slot
};

// The live counters, shared by the client and its pools.
struct ClientCounters {
  std::atomic<uint64_t> connections_opened{0};
  std::atomic<uint64_t> connections_reused{0};
  std::atomic<uint64_t> connections_closed{0};
  std::atomic<uint64_t> stale_retries{0};
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_CLIENT_STATS_H_
