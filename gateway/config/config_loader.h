// Loads the gateway's YAML configuration file into a GatewayConfig.
//
// One file, read once at start-up. Everything is checked before the gateway
// listens: unknown keys (with a suggestion when one is close), value types,
// ranges, enum names, URLs, host:port addresses, that referenced files are
// readable, and combinations (static credentials need both halves). Every
// error names the file, the 1-based line and the dotted key, e.g.
//
//   gateway.yaml:12: server.keepalive.time: expected a duration like "30s" or "500ms", got "fast"
//
// and never quotes a secret (credentials.secret_access_key, .session_token).
//
// Example:
//   absl::StatusOr<GatewayConfig> config = LoadGatewayConfig("gateway.yaml", {{"ECS"}});
//   if (!config.ok()) { print config.status().message(); exit(2); }
#ifndef AWSGW_GATEWAY_CONFIG_CONFIG_LOADER_H_
#define AWSGW_GATEWAY_CONFIG_CONFIG_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/config/gateway_config.h"

namespace awsgw::gateway::config {

struct LoadOptions {
  // The AWS service ids `aws.endpoints` may name ("ECS", "AppRunner"): the
  // services this build serves (translators::MethodTable). Any other key is an error.
  std::vector<std::string> service_ids;
};

// Reads and validates the file at `path`; errors start with `path`.
// Returns NOT_FOUND when the file cannot be read, INVALID_ARGUMENT for any
// problem inside it. Relative file paths in it resolve against its folder.
[[nodiscard]] absl::StatusOr<GatewayConfig> LoadGatewayConfig(const std::string& path,
                                                              const LoadOptions& options);

// The same for YAML text already in memory: `source` names it in errors and
// relative file paths resolve against `base_dir`. INVALID_ARGUMENT on error.
[[nodiscard]] absl::StatusOr<GatewayConfig> ParseGatewayConfig(absl::string_view yaml,
                                                               const std::string& source,
                                                               const std::string& base_dir,
                                                               const LoadOptions& options);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_CONFIG_LOADER_H_
