// Where each AWS service is reached: the regional endpoint, its FIPS and
// dual-stack variants, and the AWS SDK override conventions.
//
// Precedence (the AWS SDKs' own): a configured per-service URL, then
// AWS_ENDPOINT_URL_<SERVICE_ID> (service id upper-cased, spaces as '_', e.g.
// AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL_SERVERLESSAPPLICATIONREPOSITORY),
// then AWS_ENDPOINT_URL, then https://<prefix>[-fips].<region>.<dns suffix>
// with the partition's suffix (amazonaws.com, amazonaws.com.cn, ...) or its
// dual-stack suffix (api.aws, ...).
#ifndef AWSGW_GATEWAY_AWS_CLIENT_ENDPOINTS_H_
#define AWSGW_GATEWAY_AWS_CLIENT_ENDPOINTS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "awsgw/options.pb.h"

namespace awsgw::gateway::aws_client {

struct EndpointSettings {
  bool use_fips = false;
  bool use_dual_stack = false;
  // Explicit URLs by service id or model name ("ECS" or "ecs"), from config.
  absl::flat_hash_map<std::string, std::string> overrides;
  // Reads an environment variable; injectable for tests.
  std::function<std::optional<std::string>(const std::string&)> getenv;
};

// The environment variable that overrides `service_id`'s endpoint.
std::string EndpointEnvVar(absl::string_view service_id);

// The endpoint URL for `service` in `region`. INVALID_ARGUMENT when the
// region is not a plausible AWS region name (letters, digits, '-'), so a
// caller-supplied region can never steer requests to another host.
absl::StatusOr<std::string> ResolveEndpoint(const ServiceInfo& service, absl::string_view region,
                                            const EndpointSettings& settings);

}  // namespace awsgw::gateway::aws_client

#endif  // AWSGW_GATEWAY_AWS_CLIENT_ENDPOINTS_H_
