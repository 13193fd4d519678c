#include "gateway/server/runtime_metrics.h"

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

}  // namespace awsgw::gateway::server
