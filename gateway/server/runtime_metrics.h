// Metrics read from the components that keep their own counts: the outbound
// HTTP pool and the credentials cache.
#ifndef AWSGW_GATEWAY_SERVER_RUNTIME_METRICS_H_
#define AWSGW_GATEWAY_SERVER_RUNTIME_METRICS_H_

#include <memory>

#include "auth/providers/credentials_cache.h"
#include "gateway/observability/metrics_registry.h"
#include "http/client/http_client.h"

namespace awsgw::gateway::server {

// Registers awsgw_http_* and awsgw_credential_* metrics; the registry keeps
// references to both components, which must outlive its renders.
void RegisterRuntimeMetrics(observability::Registry& registry,
                            const std::shared_ptr<http::client::HttpClient>& http,
                            const std::shared_ptr<auth::providers::CredentialsCache>& credentials);

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_RUNTIME_METRICS_H_
