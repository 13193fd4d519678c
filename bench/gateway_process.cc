// GatewayProcess: posix_spawn with stderr on a pipe, a reader thread, and
// /proc parsing.
#include "bench/gateway_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

extern char** environ;

namespace awsgw::bench {
namespace {

constexpr size_t kTailLines = 40;

// The "address" of a {"msg":`what`,...} log line, else nullopt.
std::optional<std::string> LoggedAddress(const std::string& line, std::string_view what) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(line, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const boost::json::object& event = value.get_object();
  const boost::json::value* msg = event.if_contains("msg");
  const boost::json::value* address = event.if_contains("address");
  if (msg == nullptr || address == nullptr || !msg->is_string() || !address->is_string() ||
      msg->get_string() != what) {
    return std::nullopt;
  }
  return std::string(address->get_string());
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Threads come and go; one that ended between two readings takes its
// switches with it, which only undercounts.
int64_t CountContextSwitches(const std::string& process_dir) {
  int64_t total = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(process_dir + "/task", ec)) {
    absl::StatusOr<std::string> status = ReadFile(task.path().string() + "/status");
    if (!status.ok()) continue;
    for (absl::string_view line : absl::StrSplit(*status, '\n')) {
      if (!absl::ConsumePrefix(&line, "voluntary_ctxt_switches:") &&
          !absl::ConsumePrefix(&line, "nonvoluntary_ctxt_switches:")) {
        continue;
      }
      int64_t n = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &n)) total += n;
    }
  }
  return total;
}

}  // namespace

absl::StatusOr<ProcessUsage> ReadProcessUsage(pid_t pid) {
  const std::string dir = absl::StrCat("/proc/", pid);
  absl::StatusOr<std::string> stat = ReadFile(dir + "/stat");
  if (!stat.ok()) return stat.status();
  absl::StatusOr<std::string> status = ReadFile(dir + "/status");
  if (!status.ok()) return status.status();

  ProcessUsage usage;
  // The command name (field 2) may hold spaces and parentheses: fields are
  // counted from the last ')'. utime and stime are fields 14 and 15.
  const size_t paren = stat->rfind(')');
  if (paren == std::string::npos) return absl::InternalError("unreadable /proc/<pid>/stat");
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(*stat).substr(paren + 2), ' ', absl::SkipEmpty());
  int64_t utime = 0;
  int64_t stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::InternalError("unreadable /proc/<pid>/stat");
  }
  usage.cpu_ns = (utime + stime) * (int64_t{1000000000} / sysconf(_SC_CLK_TCK));

  for (absl::string_view line : absl::StrSplit(*status, '\n')) {
    if (!absl::ConsumePrefix(&line, "VmRSS:")) continue;
    line = absl::StripAsciiWhitespace(line);
    int64_t kib = 0;
    if (!absl::ConsumeSuffix(&line, " kB") ||
        !absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kib)) {
      return absl::InternalError("unreadable VmRSS in /proc/<pid>/status");
    }
    usage.rss_bytes = kib * 1024;
    usage.context_switches = CountContextSwitches(dir);
    return usage;
  }
  return absl::InternalError("no VmRSS in /proc/<pid>/status");
}

absl::StatusOr<MemoryUsage> ReadMemoryUsage(pid_t pid) {
  absl::StatusOr<std::string> rollup = ReadFile(absl::StrCat("/proc/", pid, "/smaps_rollup"));
  if (!rollup.ok()) return rollup.status();
  MemoryUsage usage;
  const std::pair<const char*, int64_t*> wanted[] = {{"Rss:", &usage.rss_bytes},
                                                     {"Pss:", &usage.pss_bytes},
                                                     {"Anonymous:", &usage.anonymous_bytes}};
  int found = 0;
  for (absl::string_view line : absl::StrSplit(*rollup, '\n')) {
    for (const auto& [prefix, out] : wanted) {
      if (!absl::ConsumePrefix(&line, prefix)) continue;
      line = absl::StripAsciiWhitespace(line);
      int64_t kib = 0;
      if (!absl::ConsumeSuffix(&line, " kB") ||
          !absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kib)) {
        return absl::InternalError(
            absl::StrCat("unreadable ", prefix, " in /proc/<pid>/smaps_rollup"));
      }
      *out = kib * 1024;
      ++found;
      break;
    }
  }
  if (found != 3)
    return absl::InternalError("no Rss, Pss or Anonymous in /proc/<pid>/smaps_rollup");
  return usage;
}

absl::StatusOr<SpawnedChild> SpawnWithOutputPipe(std::vector<std::string> args, char** envp,
                                                 int captured) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (captured == STDERR_FILENO) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], captured);
  SpawnedChild child;
  const int spawned = posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(),
                                  envp != nullptr ? envp : environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return absl::InternalError(
        absl::StrCat("cannot start ", args[0], ": ", std::strerror(spawned)));
  }
  child.output_fd = pipe_fds[0];
  return child;
}

absl::StatusOr<std::unique_ptr<GatewayProcess>> GatewayProcess::Start(const Options& options) {
  std::map<std::string, std::string> env = {
      {"AWS_CONFIG_FILE", "/nonexistent/aws-config"},
      {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials"},
  };
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::pair<std::string, std::string> kv = absl::StrSplit(*entry, absl::MaxSplits('=', 1));
    if (!options.inherit_aws_environment && absl::StartsWith(kv.first, "AWS_")) continue;
    env[kv.first] = kv.second;
  }
  for (const auto& [name, value] : options.env) env[name] = value;
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(absl::StrCat(name, "=", value));
  std::vector<char*> envp;
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  std::vector<std::string> args = {options.binary, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), options.args.begin(), options.args.end());
  absl::StatusOr<SpawnedChild> child =
      SpawnWithOutputPipe(std::move(args), envp.data(), STDERR_FILENO);
  if (!child.ok()) return child.status();

  std::unique_ptr<GatewayProcess> process(new GatewayProcess(child->pid, child->output_fd));
  std::optional<std::string> address = process->WaitForServing(options.start_timeout);
  if (!address.has_value()) {
    // The destructor stops it.
    return absl::UnavailableError(
        absl::StrCat("the gateway did not start serving:\n", process->LogTail()));
  }
  process->address_ = *std::move(address);
  absl::MutexLock lock(&process->mu_);
  process->metrics_address_ = process->logged_metrics_address_;
  return process;
}

GatewayProcess::GatewayProcess(pid_t pid, int stderr_fd) : pid_(pid), stderr_fd_(stderr_fd) {
  reader_ = std::thread([this] { ReadLog(); });
}

GatewayProcess::~GatewayProcess() {
  StopChild(pid_);
  reader_.join();
  close(stderr_fd_);
}

void StopChild(pid_t pid, absl::Duration grace) {
  kill(pid, SIGTERM);
  const absl::Time give_up = absl::Now() + grace;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (absl::Now() > give_up) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
}

void GatewayProcess::ReadLog() {
  std::string pending;
  char chunk[4096];
  while (true) {
    const ssize_t n = read(stderr_fd_, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(chunk, static_cast<size_t>(n));
    size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      std::optional<std::string> address = LoggedAddress(line, "serving");
      // Logged before "serving", when --metrics_listen is given.
      std::optional<std::string> metrics = LoggedAddress(line, "serving metrics");
      absl::MutexLock lock(&mu_);
      if (address.has_value() && !serving_address_.has_value()) serving_address_ = address;
      if (metrics.has_value() && logged_metrics_address_.empty())
        logged_metrics_address_ = *metrics;
      tail_.push_back(std::move(line));
      if (tail_.size() > kTailLines) tail_.pop_front();
    }
  }
  absl::MutexLock lock(&mu_);
  if (!pending.empty()) tail_.push_back(std::move(pending));
  log_ended_ = true;
}

std::optional<std::string> GatewayProcess::WaitForServing(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return serving_address_.has_value() || log_ended_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  return serving_address_;
}

std::string GatewayProcess::LogTail() const {
  absl::MutexLock lock(&mu_);
  return absl::StrJoin(tail_, "\n");
}

}  // namespace awsgw::bench
