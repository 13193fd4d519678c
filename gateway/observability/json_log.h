// The gateway's log: one JSON object per line on stderr, with a level
// threshold. Each line starts with its time (RFC 3339, UTC, microseconds)
// and level; text values are JSON-escaped whatever they hold, numbers are
// JSON numbers. Callers pass only what may be logged: never a secret, never
// a request or response body.
//
// Example:
//   Log(LogLevel::kInfo, {{"msg", "serving"}, {"address", address}, {"port", port}});
//   {"time":"2026-12-07T21:50:50.123456Z","level":"info","msg":"serving",...}
#ifndef AWSGW_GATEWAY_OBSERVABILITY_JSON_LOG_H_
#define AWSGW_GATEWAY_OBSERVABILITY_JSON_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace awsgw::gateway::observability {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn", "error"; nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(absl::string_view name);
absl::string_view LogLevelName(LogLevel level);

// Lines below `level` are dropped. Default: info.
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

// A field's value: text, or a number, which dashboards and log queries can
// then compare and sum ("latency_ms":1.819, not "1.819").
class LogValue {
 public:
  LogValue(std::string text) : value_(std::move(text)) {}          // NOLINT: implicit by design
  LogValue(absl::string_view text) : value_(std::string(text)) {}  // NOLINT
  LogValue(const char* text) : value_(std::string(text)) {}        // NOLINT
  template <typename Int, std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> &&
                                               !std::is_same_v<Int, char>,
                                           int> = 0>
  LogValue(Int number)  // NOLINT
      : value_(Int64OrDouble(number)) {}
  LogValue(double number) : value_(number) {}  // NOLINT

  const std::variant<std::string, int64_t, double>& value() const { return value_; }

 private:
  template <typename Int>
  static std::variant<std::string, int64_t, double> Int64OrDouble(Int number) {
    if constexpr (std::is_unsigned_v<Int> && sizeof(Int) >= sizeof(int64_t)) {
      if (number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return static_cast<double>(number);
      }
    }
    return static_cast<int64_t>(number);
  }

  std::variant<std::string, int64_t, double> value_;
};

using LogField = std::pair<absl::string_view, LogValue>;

// Milliseconds of `duration` to the microsecond, for a log field.
double LogMilliseconds(absl::Duration duration);

// Writes {"time": ..., "level": ..., fields...} as one line (a single write, so lines from
// different threads never interleave).
void Log(LogLevel level, std::initializer_list<LogField> fields);
void Log(LogLevel level, const std::vector<LogField>& fields);

// A start-up or shutdown event: written at level "info" whatever the
// threshold, because operators (and tools that read the bound address from
// the "serving" line) need these few lines in every configuration.
void LogLifecycle(std::initializer_list<LogField> fields);
void LogLifecycle(const std::vector<LogField>& fields);

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_JSON_LOG_H_
