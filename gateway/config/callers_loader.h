// Reads the `callers` section of the configuration (callers_config.h) and
// the policy file it may name, with the same located errors as the rest of
// the file ("gateway.yaml:40: callers.policy[2].actions[0]: ...").
//
// The policy file holds one key, `statements`, a list in the same form as
// callers.policy:
//
//   statements:
//     - id: payments-read
//       effect: allow
//       principals: [group:payments]
//       actions: ["ecs:Describe*", "ecs:List*"]
//       resources: ["arn:aws:ecs:*:123456789012:service/payments/*"]
//       conditions: {region: [eu-west-1]}
#ifndef AWSGW_GATEWAY_CONFIG_CALLERS_LOADER_H_
#define AWSGW_GATEWAY_CONFIG_CALLERS_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "auth/policy/policy.h"
#include "gateway/config/callers_config.h"
#include "gateway/config/yaml_reader.h"

namespace awsgw::gateway::config {

// Reads `node` (the value of `callers`) into `*out`. Relative paths resolve
// against `base_dir`; the policy file is read and checked too.
[[nodiscard]] absl::Status ReadCallers(const ConfigNode& node, const std::string& base_dir,
                                       CallersConfig* out);

// The statements of the policy file at `path`; INVALID_ARGUMENT naming the
// file, line and key, NOT_FOUND when it cannot be read.
[[nodiscard]] absl::StatusOr<std::vector<auth::policy::Statement>> LoadPolicyFile(
    const std::string& path);

// The same for policy-file text in memory; `source` names it in errors.
[[nodiscard]] absl::StatusOr<std::vector<auth::policy::Statement>> ParsePolicyText(
    const std::string& text, const std::string& source);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_CALLERS_LOADER_H_
