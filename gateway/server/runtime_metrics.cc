#include "gateway/server/runtime_metrics.h"

#include "gateway/server/accept_guard.h"

namespace awsgw::gateway::server {

void RegisterRuntimeMetrics(observability::Registry& registry,
                            const std::shared_ptr<http::client::HttpClient>& http,
                            const std::shared_ptr<auth::providers::CredentialsCache>& credentials) {
  auto stat = [http](auto field) {
    return [http, field] { return static_cast<double>(http->Stats().*field); };
  };
  using Stats = http::client::HttpClientStats;
  registry.AddCallback("awsgw_http_connections_active", "Outbound connections in use.", "gauge",
                       stat(&Stats::active_connections));
  registry.AddCallback("awsgw_http_connections_idle", "Outbound connections idle in the pool.",
                       "gauge", stat(&Stats::idle_connections));
  registry.AddCallback("awsgw_http_calls_queued", "Calls waiting for an outbound connection.",
                       "gauge", stat(&Stats::queued_calls));
  registry.AddCallback("awsgw_http_connections_opened_total", "Outbound connections opened.",
                       "counter", stat(&Stats::connections_opened));
  registry.AddCallback("awsgw_http_connections_reused_total",
                       "Calls served on a pooled keep-alive connection.", "counter",
                       stat(&Stats::connections_reused));
  registry.AddCallback("awsgw_http_stale_retries_total",
                       "Calls re-sent after a pooled connection turned out dead.", "counter",
                       stat(&Stats::stale_retries));
  registry.AddCallback("awsgw_credential_fetches_total",
                       "Credential provider fetches (first fetch and refreshes).", "counter",
                       [credentials] { return static_cast<double>(credentials->Stats().fetches); });
  registry.AddCallback(
      "awsgw_credential_fetch_failures_total", "Credential provider fetches that failed.",
      "counter", [credentials] { return static_cast<double>(credentials->Stats().failures); });
}

void RegisterLimitMetrics(observability::Registry& registry,
                          const std::shared_ptr<ConnectionRegistry>& connections,
                          const IntakeGuard& intake, const MemoryMonitor& memory) {
  registry.AddCallback("awsgw_connections", "Client connections open (as of the last sweep).",
                       "gauge", [connections] { return static_cast<double>(connections->open()); });
  registry.AddCallback("awsgw_connections_accepted_total", "Client connections accepted.",
                       "counter",
                       [connections] { return static_cast<double>(connections->accepted()); });
  registry.AddCallback(
      "awsgw_connections_limit", "Client connections the gateway keeps open at most.", "gauge",
      [connections] { return static_cast<double>(connections->max_connections()); });
  AcceptGuard& guard = AcceptGuard::Instance();
  registry.AddCallback("awsgw_listener_hidden_errors_total",
                       "accept() failures kept from gRPC (which would stop its listener).",
                       "counter", [&guard] { return static_cast<double>(guard.hidden_errors()); });
  registry.AddCallback("awsgw_in_flight_calls", "Unary calls in progress.", "gauge", [&intake] {
    return static_cast<double>(intake.in_flight(IntakeGuard::Kind::kCall));
  });
  registry.AddCallback("awsgw_watch_streams", "Watch streams open.", "gauge", [&intake] {
    return static_cast<double>(intake.in_flight(IntakeGuard::Kind::kWatch));
  });
  registry.AddCallback("awsgw_resident_memory_bytes", "Resident memory of the process.", "gauge",
                       [&memory] { return static_cast<double>(memory.resident_bytes()); });
  registry.AddCallback("awsgw_memory_trims_total",
                       "Times freed memory was handed back to the system after a burst.", "counter",
                       [&memory] { return static_cast<double>(memory.trims()); });
}

}  // namespace awsgw::gateway::server
