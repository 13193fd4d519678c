// The gateway's log: one JSON object per line on stderr, with a level
// threshold. Values are JSON-escaped whatever they hold. Callers pass only
// what may be logged: never a secret, never a request or response body.
//
// Example:
//   Log(LogLevel::kInfo, {{"msg", "serving"}, {"address", address}});
#ifndef AWSGW_GATEWAY_OBSERVABILITY_JSON_LOG_H_
#define AWSGW_GATEWAY_OBSERVABILITY_JSON_LOG_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace awsgw::gateway::observability {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn", "error"; nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(absl::string_view name);
absl::string_view LogLevelName(LogLevel level);

// Lines below `level` are dropped. Default: info.
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

using LogField = std::pair<absl::string_view, std::string>;

// Writes {"level": ..., fields...} as one line (a single write, so lines from
// different threads never interleave).
void Log(LogLevel level, std::initializer_list<LogField> fields);
void Log(LogLevel level, const std::vector<LogField>& fields);

// A start-up or shutdown event: written at level "info" whatever the
// threshold, because operators (and tools that read the bound address from
// the "serving" line) need these few lines in every configuration.
void LogLifecycle(std::initializer_list<LogField> fields);

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_JSON_LOG_H_
