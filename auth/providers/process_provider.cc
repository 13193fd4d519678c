#include "auth/providers/process_provider.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/providers/credentials_json.h"
#include "base/secret_redaction.h"

extern char** environ;

namespace awsgw::auth::providers {
namespace {

constexpr size_t kMaxOutputBytes = size_t{64} * 1024;
constexpr size_t kMaxStderrBytes = 4096;
constexpr size_t kMaxQuotedStderrBytes = 200;

// "; its standard error ends: \"...\"" with the last non-empty line of
// `errors`, or "" when there is none. A helper may print what it fetched
// (keys, tokens) when it fails, so the line is redacted, cut short, and its
// control bytes replaced, never passed through raw.
std::string StderrSummary(absl::string_view errors) {
  absl::string_view line = absl::StripTrailingAsciiWhitespace(errors);
  if (line.empty()) return "";
  if (size_t newline = line.rfind('\n'); newline != absl::string_view::npos) {
    line.remove_prefix(newline + 1);
  }
  std::string quoted = base::RedactSecrets(line);
  if (quoted.size() > kMaxQuotedStderrBytes) {
    quoted.resize(kMaxQuotedStderrBytes);
    quoted.append("...");
  }
  for (char& c : quoted) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return absl::StrCat("; its standard error ends: \"", quoted, "\"");
}

// Closes a file descriptor when it goes out of scope.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

}  // namespace

ProcessProvider::ProcessProvider(std::string command, std::string profile, absl::Duration timeout)
    : command_(std::move(command)), profile_(std::move(profile)), timeout_(timeout) {}

std::string ProcessProvider::Describe() const {
  return absl::StrCat("profile '", profile_, "' (credential_process)");
}

void ProcessProvider::Fetch(CredentialsCallback done) { done(Run()); }

absl::StatusOr<Credentials> ProcessProvider::Run() const {
  const std::string source = absl::StrCat("credential_process of profile '", profile_, "'");
  // Filled by the loop below: what the process wrote to standard error,
  // quoted (redacted, one line) only when it failed.
  std::string errors;
  auto fail = [&source, &errors](absl::string_view why) {
    return absl::UnavailableError(absl::StrCat(source, ": ", why, StderrSummary(errors)));
  };
  int out_fds[2];
  int err_fds[2];
  if (pipe2(out_fds, O_CLOEXEC) != 0) {
    return fail(absl::StrCat("pipe failed: ", std::strerror(errno)));
  }
  FdCloser out_read(out_fds[0]);
  if (pipe2(err_fds, O_CLOEXEC) != 0) {
    close(out_fds[1]);
    return fail(absl::StrCat("pipe failed: ", std::strerror(errno)));
  }
  FdCloser err_read(err_fds[0]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const char* argv[] = {"/bin/sh", "-c", command_.c_str(), nullptr};
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_fds[1]);
  close(err_fds[1]);
  if (spawned != 0) return fail(absl::StrCat("cannot start /bin/sh: ", std::strerror(spawned)));

  std::string output;
  bool timed_out = false;
  bool too_long = false;
  bool out_open = true;
  bool err_open = true;
  const absl::Time deadline = absl::Now() + timeout_;
  // Both pipes are read as they fill, to their ends: a helper that writes
  // much to standard error must not block on a full pipe (and then we on
  // it) until the timeout.
  int wait_status = 0;
  bool reaped = false;
  while (out_open || err_open) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      timed_out = true;
      break;
    }
    // With its answer complete, standard error is read only while the
    // process lives (a background child it left may hold the pipe open).
    if (!out_open && waitpid(pid, &wait_status, WNOHANG) == pid) {
      reaped = true;
      break;
    }
    pollfd fds[2] = {{out_open ? out_fds[0] : -1, POLLIN, 0},
                     {err_open ? err_fds[0] : -1, POLLIN, 0}};
    const absl::Duration wait = out_open ? left : std::min(left, absl::Milliseconds(50));
    int ready = poll(fds, 2, static_cast<int>(absl::ToInt64Milliseconds(wait)) + 1);
    if (ready <= 0) continue;  // EINTR or no data yet: re-check the deadline
    char buffer[4096];
    if (err_open && fds[1].revents != 0) {
      ssize_t n = read(err_fds[0], buffer, sizeof buffer);
      if (n > 0) {
        errors.append(buffer, static_cast<size_t>(n));
        // Only the end is ever quoted: keep a bounded tail.
        if (errors.size() > kMaxStderrBytes) errors.erase(0, errors.size() - kMaxStderrBytes);
      } else if (n == 0 || errno != EINTR) {
        err_open = false;
      }
    }
    if (!out_open || fds[0].revents == 0) continue;
    ssize_t n = read(out_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      out_open = false;  // EOF (or an error: the exit status tells)
      continue;
    }
    if (output.size() + static_cast<size_t>(n) > kMaxOutputBytes) {
      too_long = true;
      break;
    }
    output.append(buffer, static_cast<size_t>(n));
  }
  if (timed_out || too_long) kill(pid, SIGKILL);
  while (!reaped && waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return fail(absl::StrCat("did not finish within ", absl::FormatDuration(timeout_)));
  }
  if (too_long) return fail(absl::StrCat("wrote more than ", kMaxOutputBytes, " bytes"));
  if (WIFSIGNALED(wait_status)) {
    return fail(absl::StrCat("killed by signal ", WTERMSIG(wait_status)));
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    return fail(absl::StrCat("exited with status ", WEXITSTATUS(wait_status)));
  }
  return ParseCredentialsJson(output, CredentialsJsonFormat::kProcess, source);
}

}  // namespace awsgw::auth::providers
