// EmulatorProcess: posix_spawn with stdout on a pipe, and a reader thread
// that keeps the first line.
#include "bench/emulator_process.h"

#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bench/gateway_process.h"

namespace awsgw::bench {

absl::StatusOr<std::unique_ptr<EmulatorProcess>> EmulatorProcess::Start(const Options& options) {
  std::vector<std::string> args = {options.binary, "--listen",     "127.0.0.1:0",
                                   "--region",     options.region, "--print-credentials"};
  args.insert(args.end(), options.args.begin(), options.args.end());
  absl::StatusOr<SpawnedChild> child = SpawnWithOutputPipe(std::move(args), nullptr, STDOUT_FILENO);
  if (!child.ok()) return child.status();

  std::unique_ptr<EmulatorProcess> process(new EmulatorProcess(child->pid, child->output_fd));
  std::optional<std::string> line = process->WaitForFirstLine(options.start_timeout);
  if (!line.has_value()) {
    // The destructor stops it.
    return absl::UnavailableError(absl::StrCat("the emulator printed no line within ",
                                               absl::FormatDuration(options.start_timeout)));
  }
  boost::system::error_code ec;
  const boost::json::value info = boost::json::parse(*line, ec);
  const boost::json::object* object = ec ? nullptr : info.if_object();
  auto text = [object](const char* name) -> std::string {
    const boost::json::value* value = object == nullptr ? nullptr : object->if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
  };
  const boost::json::value* port = object == nullptr ? nullptr : object->if_contains("port");
  if (port == nullptr || !port->is_int64() || text("access_key_id").empty() ||
      text("secret_access_key").empty()) {
    return absl::UnavailableError(absl::StrCat("unexpected first line of the emulator: ", *line));
  }
  process->url_ = absl::StrCat("http://127.0.0.1:", port->get_int64());
  process->region_ = text("region").empty() ? options.region : text("region");
  process->access_key_id_ = text("access_key_id");
  process->secret_access_key_ = text("secret_access_key");
  return process;
}

EmulatorProcess::EmulatorProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {
  reader_ = std::thread([this] { ReadOutput(); });
}

EmulatorProcess::~EmulatorProcess() {
  StopChild(pid_);
  reader_.join();
  close(stdout_fd_);
}

std::vector<std::pair<std::string, std::string>> EmulatorProcess::GatewayEnv() const {
  return {{"AWS_ACCESS_KEY_ID", access_key_id_},
          {"AWS_SECRET_ACCESS_KEY", secret_access_key_},
          {"AWS_REGION", region_},
          {"AWS_ENDPOINT_URL", url_}};
}

void EmulatorProcess::ReadOutput() {
  std::string pending;
  char chunk[4096];
  while (true) {
    const ssize_t n = read(stdout_fd_, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    absl::MutexLock lock(&mu_);
    if (first_line_.has_value()) continue;  // only drained from here on
    pending.append(chunk, static_cast<size_t>(n));
    if (const size_t newline = pending.find('\n'); newline != std::string::npos) {
      first_line_ = pending.substr(0, newline);
      pending.clear();
    }
  }
  absl::MutexLock lock(&mu_);
  output_ended_ = true;
}

std::optional<std::string> EmulatorProcess::WaitForFirstLine(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return first_line_.has_value() || output_ended_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  return first_line_;
}

}  // namespace awsgw::bench
