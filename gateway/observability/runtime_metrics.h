// Metrics read from the components that keep their own counts: the outbound
// HTTP pool and the credentials cache.
#ifndef AWSGW_GATEWAY_OBSERVABILITY_RUNTIME_METRICS_H_
#define AWSGW_GATEWAY_OBSERVABILITY_RUNTIME_METRICS_H_

#include <memory>

#include "auth/providers/credentials_cache.h"
#include "gateway/http_client/http_client.h"
#include "gateway/observability/metrics_registry.h"

namespace awsgw::gateway {

// Registers awsgw_http_* and awsgw_credential_* metrics; the registry keeps
// references to both components, which must outlive its renders.
void RegisterRuntimeMetrics(metrics::Registry& registry,
                            const std::shared_ptr<http_client::HttpClient>& http,
                            const std::shared_ptr<auth::CredentialsCache>& credentials);

}  // namespace awsgw::gateway

#endif  // AWSGW_GATEWAY_OBSERVABILITY_RUNTIME_METRICS_H_
