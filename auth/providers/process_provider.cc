#include "auth/providers/process_provider.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/providers/credentials_json.h"

extern char** environ;

namespace awsgw::auth::providers {
namespace {

constexpr size_t kMaxOutputBytes = size_t{64} * 1024;

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
  auto fail = [&source](absl::string_view why) {
    return absl::UnavailableError(absl::StrCat(source, ": ", why));
  };
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return fail(absl::StrCat("pipe failed: ", std::strerror(errno)));
  }
  FdCloser read_end(pipe_fds[0]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const char* argv[] = {"/bin/sh", "-c", command_.c_str(), nullptr};
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) return fail(absl::StrCat("cannot start /bin/sh: ", std::strerror(spawned)));

  std::string output;
  bool timed_out = false;
  bool too_long = false;
  const absl::Time deadline = absl::Now() + timeout_;
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      timed_out = true;
      break;
    }
    pollfd poll_fd{pipe_fds[0], POLLIN, 0};
    int ready = poll(&poll_fd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // re-check the deadline
    char buffer[4096];
    ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF (or an error: the exit status tells)
    if (output.size() + static_cast<size_t>(n) > kMaxOutputBytes) {
      too_long = true;
      break;
    }
    output.append(buffer, static_cast<size_t>(n));
  }
  if (timed_out || too_long) kill(pid, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
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
