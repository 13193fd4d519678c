#include "gateway/observability/gateway_metrics.h"

namespace awsgw::gateway::observability {
namespace {

// Seconds, from a fast cached answer to a slow control-plane call.
const std::vector<double>& LatencyBounds() {
  static const std::vector<double>* const bounds = new std::vector<double>{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return *bounds;
}

std::string OutcomeOf(int http_status) {
  if (http_status == 0) return "transport";
  return std::string(1, static_cast<char>('0' + http_status / 100)) + "xx";
}

}  // namespace

absl::string_view GrpcCodeName(int code) {
  static constexpr absl::string_view kNames[] = {"OK",
                                                 "CANCELLED",
                                                 "UNKNOWN",
                                                 "INVALID_ARGUMENT",
                                                 "DEADLINE_EXCEEDED",
                                                 "NOT_FOUND",
                                                 "ALREADY_EXISTS",
                                                 "PERMISSION_DENIED",
                                                 "RESOURCE_EXHAUSTED",
                                                 "FAILED_PRECONDITION",
                                                 "ABORTED",
                                                 "OUT_OF_RANGE",
                                                 "UNIMPLEMENTED",
                                                 "INTERNAL",
                                                 "UNAVAILABLE",
                                                 "DATA_LOSS",
                                                 "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(std::size(kNames))) return "UNKNOWN";
  return kNames[code];
}

GatewayMetrics::GatewayMetrics(observability::Registry& registry)
    : calls_(registry.AddCounter("awsgw_calls_total", "gRPC calls finished, by status code.",
                                 {"service", "method", "code"})),
      call_duration_(registry.AddHistogram("awsgw_call_duration_seconds",
                                           "Whole-call latency seen by the gateway.",
                                           {"service", "method"}, LatencyBounds())),
      attempts_(registry.AddCounter("awsgw_aws_attempts_total", "Requests sent to AWS, by outcome.",
                                    {"service", "outcome"})),
      aws_duration_(registry.AddHistogram("awsgw_aws_request_duration_seconds",
                                          "AWS round trip of one attempt.", {"service"},
                                          LatencyBounds())),
      retries_(registry.AddCounter("awsgw_aws_retries_total", "Attempts beyond the first.",
                                   {"service"})),
      throttles_(registry.AddCounter("awsgw_aws_throttles_total", "Throttling answers from AWS.",
                                     {"service"})) {}

void GatewayMetrics::CallFinished(const std::string& service, const std::string& method,
                                  absl::string_view code, absl::Duration latency) {
  calls_.With({service, method, std::string(code)}).Increment();
  call_duration_.With({service, method}).Observe(absl::ToDoubleSeconds(latency));
}

void GatewayMetrics::StreamFinished(const std::string& method, absl::string_view code) {
  calls_.With({"watch", method, std::string(code)}).Increment();
}

void GatewayMetrics::AwsAttempt(const std::string& service, int http_status,
                                absl::Duration round_trip) {
  attempts_.With({service, OutcomeOf(http_status)}).Increment();
  aws_duration_.With({service}).Observe(absl::ToDoubleSeconds(round_trip));
}

void GatewayMetrics::Retry(const std::string& service) { retries_.With({service}).Increment(); }

void GatewayMetrics::Throttle(const std::string& service) {
  throttles_.With({service}).Increment();
}

}  // namespace awsgw::gateway::observability
