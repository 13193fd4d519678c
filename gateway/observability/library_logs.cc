#include "gateway/observability/library_logs.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/secret_redaction.h"
#include "gateway/observability/json_log.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"

namespace awsgw::gateway::observability {
namespace {

// Only the file's name: the libraries' own build paths say nothing useful.
absl::string_view BaseName(const char* path) {
  absl::string_view name = path == nullptr ? "" : path;
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

void Write(LogLevel level, absl::string_view library, const char* file, int line,
           absl::string_view message) {
  if (!LogEnabled(level)) return;
  Log(level, {{"msg", std::string(library)},
              {"detail", base::RedactSecrets(message)},
              {"source", absl::StrCat(BaseName(file), ":", line)}});
}

void FromProtobuf(google::protobuf::LogLevel level, const char* file, int line,
                  const std::string& message) {
  const LogLevel ours = level == google::protobuf::LOGLEVEL_INFO      ? LogLevel::kInfo
                        : level == google::protobuf::LOGLEVEL_WARNING ? LogLevel::kWarn
                                                                      : LogLevel::kError;
  Write(ours, "protobuf", file, line, message);
}

void FromGrpc(gpr_log_func_args* args) {
  const LogLevel ours = args->severity == GPR_LOG_SEVERITY_DEBUG  ? LogLevel::kDebug
                        : args->severity == GPR_LOG_SEVERITY_INFO ? LogLevel::kInfo
                                                                  : LogLevel::kError;
  Write(ours, "grpc", args->file, args->line, args->message == nullptr ? "" : args->message);
}

}  // namespace

void RouteLibraryLogsToJsonLog() {
  google::protobuf::SetLogHandler(&FromProtobuf);
  gpr_set_log_function(&FromGrpc);
}

}  // namespace awsgw::gateway::observability
