// How the AWS client behaves: default region, endpoints, retries, the
// default timeout, and the injected clock, randomness and token source that
// make retries and signing dates deterministic under test.
#ifndef AWSGW_GATEWAY_AWS_CLIENT_AWS_CLIENT_OPTIONS_H_
#define AWSGW_GATEWAY_AWS_CLIENT_AWS_CLIENT_OPTIONS_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "gateway/aws_client/endpoints.h"
#include "gateway/aws_client/retry_policy.h"
#include "gateway/observability/gateway_metrics.h"

namespace awsgw::gateway::aws_client {

struct AwsClientOptions {
  std::string region;
  EndpointSettings endpoints;
  RetrySettings retry;
  // Bounds a call whose caller set no deadline.
  absl::Duration default_timeout = absl::Seconds(60);
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  std::function<double()> random;     // [0, 1); defaults to a thread-local generator
  std::function<std::string()> uuid;  // idempotency tokens; defaults to base::RandomUuid
  // Where attempts, retries and throttles are counted; may be null. Not owned.
  observability::GatewayMetrics* metrics = nullptr;
};

}  // namespace awsgw::gateway::aws_client

#endif  // AWSGW_GATEWAY_AWS_CLIENT_AWS_CLIENT_OPTIONS_H_
