// ServerLimits: how much one gateway takes on before it refuses more, with
// the defaults, from the config's `server` section (`server.limits`,
// `handshake_timeout`, `max_connection_idle`).
//
// Why limits at all: every caller is untrusted input, and without them a
// client can exhaust what the process has (descriptors, memory, threads,
// AWS calls) and take every other caller down with it. Each limit is
// enforced where it is cheapest to refuse (the accept loop, the HTTP/2
// settings, a call's first step), is counted in
// awsgw_limit_refusals_total{limit}, and is logged when it bites.
#ifndef AWSGW_GATEWAY_CONFIG_SERVER_LIMITS_H_
#define AWSGW_GATEWAY_CONFIG_SERVER_LIMITS_H_

#include <cstdint>
#include <optional>

#include "absl/time/time.h"
#include "gateway/config/gateway_config.h"

namespace awsgw::gateway::config {

struct ServerLimits {
  // Open client connections; more are accepted and closed at once. Also
  // capped below the process's descriptor limit (see the accept guard).
  int64_t connections = 10000;
  // HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: calls and watch streams one
  // connection may have open; a client queues the rest.
  int64_t streams_per_connection = 1000;
  // Unary calls in progress at once, all connections together.
  int64_t in_flight_calls = 10000;
  // Watch streams open at once, all connections together.
  int64_t watch_streams = 10000;
  // A call's request metadata (header names and values), in bytes; also
  // advertised as HTTP/2 SETTINGS_MAX_HEADER_LIST_SIZE. Room for a JWT of
  // the default 8 KiB maximum and the usual headers.
  int64_t metadata_bytes = 16 * 1024;
  // Answers one connection has not yet taken from the gateway (a client that
  // does not read); past this, new calls on it are refused, and an answer
  // that would go over is dropped (its call ends with RESOURCE_EXHAUSTED).
  int64_t pending_response_bytes_per_connection = int64_t{64} << 20;
  // The same, all connections together: beyond it an answer is dropped and
  // its call ends with RESOURCE_EXHAUSTED instead.
  int64_t pending_response_bytes = int64_t{1} << 30;
  // Resident memory above which new calls and streams are refused; unset:
  // 90% of the container's memory limit when there is one, else none.
  std::optional<int64_t> memory_bytes;
  // gRPC's resource quota (its transport buffers; under pressure it shrinks
  // them and closes idle connections); unset: half of memory_bytes, if set.
  std::optional<int64_t> resource_quota_bytes;
  // Calls one connection's client may cancel before they finish, per
  // reset_window, before the connection is closed (HTTP/2 rapid reset,
  // CVE-2023-44487). 0: no limit.
  int64_t resets_per_connection = 1000;
  absl::Duration reset_window = absl::Seconds(10);
  // TLS and HTTP/2 handshakes (the client's SETTINGS) must end by then.
  absl::Duration handshake_timeout = absl::Seconds(10);
  std::optional<absl::Duration> max_connection_idle;
  // Connections waiting while the listener accepts none for this long:
  // the gateway turns unhealthy and exits (ListenerWatchdog).
  absl::Duration listener_stall_timeout = absl::Seconds(20);
};

// The limits `server` sets, defaults for the rest. `container_memory`: the
// memory limit of the process's cgroup, if it has one.
ServerLimits ServerLimitsFrom(const ServerConfig& server, std::optional<int64_t> container_memory);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_SERVER_LIMITS_H_
