// The gateway's metrics, by name (all prefixed awsgw_):
//
//   calls_total{service,method,code}            gRPC calls finished
//   call_duration_seconds{service,method}       gateway latency, whole call
//   aws_attempts_total{service,outcome}         AWS requests sent (outcome:
//                                               2xx, 4xx, 5xx, transport)
//   aws_request_duration_seconds{service}       AWS round trip per attempt
//   aws_retries_total{service}                  attempts beyond the first
//   aws_throttles_total{service}                throttling answers
//   http_connections_open, _idle                outbound pool (gauges)
//   http_connections_reused_total, _created_total
//   credential_fetches_total, _failures_total   credential provider calls
//
// Services are the model names ("ecs"), methods the rpc names. No label
// ever holds a request value, so cardinality is bounded by the protos.
#ifndef AWSGW_GATEWAY_OBSERVABILITY_GATEWAY_METRICS_H_
#define AWSGW_GATEWAY_OBSERVABILITY_GATEWAY_METRICS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/observability/metrics_registry.h"

namespace awsgw::gateway {

// "OK", "INVALID_ARGUMENT", ... as in the gRPC status code table.
absl::string_view GrpcCodeName(int code);

class GatewayMetrics {
 public:
  explicit GatewayMetrics(metrics::Registry& registry);

  void CallFinished(const std::string& service, const std::string& method, absl::string_view code,
                    absl::Duration latency);
  // `http_status` 0: no answer (transport failure).
  void AwsAttempt(const std::string& service, int http_status, absl::Duration round_trip);
  void Retry(const std::string& service);
  void Throttle(const std::string& service);

 private:
  metrics::Family<metrics::Counter>& calls_;
  metrics::Family<metrics::Histogram>& call_duration_;
  metrics::Family<metrics::Counter>& attempts_;
  metrics::Family<metrics::Histogram>& aws_duration_;
  metrics::Family<metrics::Counter>& retries_;
  metrics::Family<metrics::Counter>& throttles_;
};

}  // namespace awsgw::gateway

#endif  // AWSGW_GATEWAY_OBSERVABILITY_GATEWAY_METRICS_H_
