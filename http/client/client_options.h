// Settings of the HTTP client (HttpClientOptions, fixed at construction) and
// of one call (CallOptions).
//
// Why separate: client options size shared resources (threads, pools, TLS
// trust) once; call options carry what differs per gRPC call, chiefly the
// deadline the gRPC caller set.
#ifndef AWSGW_HTTP_CLIENT_CLIENT_OPTIONS_H_
#define AWSGW_HTTP_CLIENT_CLIENT_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "http/client/proxy_config.h"

namespace awsgw::http::client {

// The wall clock the client reads for deadlines and idle expiry. Tests inject
// their own; timers still run on the steady clock.
using Clock = std::function<absl::Time()>;

struct HttpClientOptions {
  // Threads running the client's io_context; `done` callbacks run on them.
  int threads = 2;

  // PEM file of extra trusted CAs, added to the system store (never replacing
  // it). Empty: system store only. Verification cannot be disabled.
  std::string extra_ca_file;

  // TCP connect (DNS resolution included) and TLS handshake limits, per
  // connection attempt. Hitting one fails the call with UNAVAILABLE (the
  // caller's deadline is not spent, so the retry layer may try again).
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration tls_handshake_timeout = absl::Seconds(10);

  // Open connections per (scheme, host, port), idle ones included. Calls
  // beyond it wait, at most max_queued_calls_per_endpoint of them; one more
  // fails with RESOURCE_EXHAUSTED.
  int max_connections_per_endpoint = 32;
  int max_queued_calls_per_endpoint = 4096;

  // An idle pooled connection older than this is closed. AWS front ends
  // drop idle connections after about a minute; staying below that avoids
  // most stale-connection races.
  absl::Duration idle_timeout = absl::Seconds(45);

  // Largest response body accepted (CallOptions may lower or raise it per
  // call). Larger: RESOURCE_EXHAUSTED naming the limit.
  uint64_t max_response_bytes = 32 * 1024 * 1024;
  // Largest response header block accepted.
  uint32_t max_response_header_bytes = 64 * 1024;

  // Which calls go through a CONNECT proxy. Defaults to the environment as
  // it is when the options are created.
  ProxyConfig proxy = ProxyConfig::FromEnvironment();

  Clock clock = [] { return absl::Now(); };
};

struct CallOptions {
  // The whole call (queueing, DNS, connect, TLS, request and response) must
  // finish by then, else DEADLINE_EXCEEDED.
  absl::Time deadline = absl::InfiniteFuture();

  // Overrides HttpClientOptions::max_response_bytes for this call.
  std::optional<uint64_t> max_response_bytes;

  // Whether the request may be sent a second time after the server may have
  // received it: true for idempotent requests (an AWS operation marked
  // idempotent or read-only, or carrying an idempotency token; a metadata
  // GET). False (the default) confines the one stale-connection resend to
  // requests that never fully left: a server that got the whole request
  // and then dropped the connection may have acted on it, and a second copy
  // would act twice.
  bool resend_safe = false;
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_CLIENT_OPTIONS_H_
