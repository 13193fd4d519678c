// Parsers for the scalar forms the configuration file uses: durations
// ("250ms", "10s", "5m", "1h", "1m30s"), integers, host:port addresses and
// booleans. (Region names are checked by base::IsPlausibleRegion, the one
// region check the endpoint resolver applies too.)
//
// Pure functions with no knowledge of YAML or of where a value came from;
// they answer "valid or not" and the reader (yaml_reader.h) words the error
// with the file, line and key.
#ifndef AWSGW_GATEWAY_CONFIG_VALUE_PARSERS_H_
#define AWSGW_GATEWAY_CONFIG_VALUE_PARSERS_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace awsgw::gateway::config {

// A non-negative, finite duration with a unit on every number: "500ms",
// "30s", "5m", "1h", "1m30s", "1.5s" (units ns, us, ms, s, m, h). A bare
// number ("30") is rejected: its unit would be a guess.
std::optional<absl::Duration> ParseDuration(absl::string_view text);

// A decimal integer, optionally signed: "42", "-1". No hex, no separators.
std::optional<int64_t> ParseInteger(absl::string_view text);

// "host:port" with a port of 0..65535 (0: any free port), an IPv6 host in
// brackets ("[::1]:50051"). The host is not resolved.
bool IsHostPort(absl::string_view text);

// "true" or "false" (any case). YAML 1.1's yes/no/on/off are not booleans
// here, so that a value like `no` is never silently read as false.
std::optional<bool> ParseBool(absl::string_view text);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_VALUE_PARSERS_H_
