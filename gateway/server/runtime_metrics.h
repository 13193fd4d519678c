// Metrics read from the components that keep their own counts: the outbound
// HTTP pool, the credentials cache, and the guards of the gateway's limits.
#ifndef AWSGW_GATEWAY_SERVER_RUNTIME_METRICS_H_
#define AWSGW_GATEWAY_SERVER_RUNTIME_METRICS_H_

#include <memory>

#include "auth/providers/credentials_cache.h"
#include "gateway/observability/metrics_registry.h"
#include "gateway/server/connection_registry.h"
#include "gateway/server/intake_guard.h"
#include "gateway/server/memory_monitor.h"
#include "http/client/http_client.h"

namespace awsgw::gateway::server {

// Registers awsgw_http_* and awsgw_credential_* metrics; the registry keeps
// references to both components, which must outlive its renders.
void RegisterRuntimeMetrics(observability::Registry& registry,
                            const std::shared_ptr<http::client::HttpClient>& http,
                            const std::shared_ptr<auth::providers::CredentialsCache>& credentials);

// Registers the gauges and counters of the gateway's limits: connections
// (open, accepted, and the listener's health), calls and streams in
// progress, resident memory. The registry keeps references to `intake` and
// `memory`, which must outlive its renders.
void RegisterLimitMetrics(observability::Registry& registry,
                          const std::shared_ptr<ConnectionRegistry>& connections,
                          const IntakeGuard& intake, const MemoryMonitor& memory);

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_RUNTIME_METRICS_H_
