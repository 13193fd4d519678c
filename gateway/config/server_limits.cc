#include "gateway/config/server_limits.h"

namespace awsgw::gateway::config {

ServerLimits ServerLimitsFrom(const ServerConfig& server, std::optional<int64_t> container_memory) {
  ServerLimits limits;
  const LimitsConfig& set = server.limits;
  if (set.connections) limits.connections = *set.connections;
  if (set.streams_per_connection) limits.streams_per_connection = *set.streams_per_connection;
  if (set.in_flight_calls) limits.in_flight_calls = *set.in_flight_calls;
  if (set.watch_streams) limits.watch_streams = *set.watch_streams;
  if (set.metadata_bytes) limits.metadata_bytes = *set.metadata_bytes;
  if (set.pending_response_bytes_per_connection) {
    limits.pending_response_bytes_per_connection = *set.pending_response_bytes_per_connection;
  }
  if (set.pending_response_bytes) limits.pending_response_bytes = *set.pending_response_bytes;
  if (set.resets_per_connection) limits.resets_per_connection = *set.resets_per_connection;
  if (set.memory_bytes) {
    limits.memory_bytes = *set.memory_bytes;
  } else if (container_memory) {
    // Refuse new work before the kernel's OOM killer ends all of it.
    limits.memory_bytes = *container_memory / 10 * 9;
  }
  if (set.resource_quota_bytes) {
    limits.resource_quota_bytes = *set.resource_quota_bytes;
  } else if (limits.memory_bytes) {
    limits.resource_quota_bytes = *limits.memory_bytes / 2;
  }
  if (server.handshake_timeout) limits.handshake_timeout = *server.handshake_timeout;
  limits.max_connection_idle = server.max_connection_idle;
  if (server.listener_stall_timeout) limits.listener_stall_timeout = *server.listener_stall_timeout;
  return limits;
}

}  // namespace awsgw::gateway::config
