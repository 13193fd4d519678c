// The gateway's metrics, by name (all prefixed awsgw_):
//
//   calls_total{service,method,code}            gRPC calls finished (watch
//                                               streams: service "watch")
//   call_duration_seconds{service,method}       gateway latency, whole call
//   aws_attempts_total{service,outcome}         AWS requests sent (outcome:
//                                               2xx, 4xx, 5xx, transport)
//   aws_request_duration_seconds{service}       AWS round trip per attempt
//   aws_retries_total{service}                  attempts beyond the first
//   aws_throttles_total{service}                throttling answers
//
// The HTTP pool's and the credential cache's figures are read from them at
// scrape time, by gateway/server/runtime_metrics.h.
//
// Services are the model names ("ecs"), methods the rpc names. No label
// ever holds a request value, so cardinality is bounded by the protos.
#ifndef AWSGW_GATEWAY_OBSERVABILITY_GATEWAY_METRICS_H_
#define AWSGW_GATEWAY_OBSERVABILITY_GATEWAY_METRICS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/observability/metrics_registry.h"

namespace awsgw::gateway::observability {

// "OK", "INVALID_ARGUMENT", ... as in the gRPC status code table.
absl::string_view GrpcCodeName(int code);

class GatewayMetrics {
 public:
  explicit GatewayMetrics(observability::Registry& registry);

  void CallFinished(const std::string& service, const std::string& method, absl::string_view code,
                    absl::Duration latency);
  // A watch stream ended: counted in calls_total{service="watch",method=
  // the rpc}, not timed (a stream's length is no latency).
  void StreamFinished(const std::string& method, absl::string_view code);
  // `http_status` 0: no answer (transport failure).
  void AwsAttempt(const std::string& service, int http_status, absl::Duration round_trip);
  void Retry(const std::string& service);
  void Throttle(const std::string& service);

 private:
  observability::Family<observability::Counter>& calls_;
  observability::Family<observability::Histogram>& call_duration_;
  observability::Family<observability::Counter>& attempts_;
  observability::Family<observability::Histogram>& aws_duration_;
  observability::Family<observability::Counter>& retries_;
  observability::Family<observability::Counter>& throttles_;
};

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_GATEWAY_METRICS_H_
