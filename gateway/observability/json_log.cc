#include "gateway/observability/json_log.h"

#include <unistd.h>

#include <atomic>
#include <cmath>

#include "absl/time/clock.h"
#include "base/json_writer.h"

namespace awsgw::gateway::observability {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

template <typename Fields>
void Write(LogLevel level, const Fields& fields) {
  std::string line;
  base::JsonWriter json(&line);
  json.BeginObject();
  json.Key("time");
  json.String(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone()));
  json.Key("level");
  json.String(LogLevelName(level));
  for (const auto& [key, value] : fields) {
    json.Key(key);
    std::visit(
        [&json](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            json.String(v);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            json.Int(v);
          } else {
            json.Double(v);
          }
        },
        value.value());
  }
  json.EndObject();
  line.push_back('\n');
  // Normally one write(2): whole lines, even with many threads logging.
  for (size_t done = 0; done < line.size();) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

std::optional<LogLevel> ParseLogLevel(absl::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  return std::nullopt;
}

absl::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

double LogMilliseconds(absl::Duration duration) {
  return std::round(absl::ToDoubleMicroseconds(duration)) / 1000.0;
}

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }

bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(); }

void Log(LogLevel level, std::initializer_list<LogField> fields) {
  if (LogEnabled(level)) Write(level, fields);
}
void Log(LogLevel level, const std::vector<LogField>& fields) {
  if (LogEnabled(level)) Write(level, fields);
}
void LogLifecycle(std::initializer_list<LogField> fields) { Write(LogLevel::kInfo, fields); }
void LogLifecycle(const std::vector<LogField>& fields) { Write(LogLevel::kInfo, fields); }

}  // namespace awsgw::gateway::observability
