// GatewayProcess: the real gateway binary run as a child process for the
// load benchmark, and what /proc says about it (CPU time, resident memory).
//
// The gateway is started with `--listen 127.0.0.1:0` and reports the address
// it bound in its "serving" log line on stderr, as in
// tests/e2e/gateway_process.py. A reader thread keeps draining stderr for the
// child's whole life, so the gateway never blocks on a full pipe; the last
// lines are kept for error messages.
//
// Threading: every method may be called from any thread.
//
// Example:
//   GatewayProcess::Options options{.binary = path, .args = {"--log_level", "error"}};
//   options.env = {{"AWS_ENDPOINT_URL", backend->url()}};
//   absl::StatusOr<std::unique_ptr<GatewayProcess>> gateway = GatewayProcess::Start(options);
//   channel = grpc::CreateChannel((*gateway)->address(), ...);
#ifndef AWSGW_BENCH_GATEWAY_PROCESS_H_
#define AWSGW_BENCH_GATEWAY_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace awsgw::bench {

// What /proc/<pid> reports at one moment.
struct ProcessUsage {
  int64_t cpu_ns = 0;     // user + system time since the process started
  int64_t rss_bytes = 0;  // VmRSS
  // Voluntary + involuntary, summed over the threads alive now: each is a
  // thread put to sleep or preempted, the main cost of a hand-off.
  int64_t context_switches = 0;
};

// Reads /proc/<pid>/stat, /proc/<pid>/status and /proc/<pid>/task/*/status. NOT_FOUND when the
// process is gone, INTERNAL when a file does not parse.
absl::StatusOr<ProcessUsage> ReadProcessUsage(pid_t pid);

// What /proc/<pid>/smaps_rollup reports at one moment, in bytes. Rss counts
// every resident page, code and shared libraries included; Anonymous only the
// process's own heap, stacks and arenas: what grows with its work.
struct MemoryUsage {
  int64_t rss_bytes = 0;
  int64_t pss_bytes = 0;
  int64_t anonymous_bytes = 0;
};

// NOT_FOUND when the process is gone, INTERNAL when the file does not parse.
absl::StatusOr<MemoryUsage> ReadMemoryUsage(pid_t pid);

// Stops a child of this process: SIGTERM, then SIGKILL after `grace`; reaps it.
void StopChild(pid_t pid, absl::Duration grace = absl::Seconds(10));

// A child started with one of its outputs on a pipe.
struct SpawnedChild {
  pid_t pid = 0;
  int output_fd = -1;  // the pipe's read end; the caller closes it
};

// Starts `args` (args[0] is the binary's path) with `envp` (null-terminated;
// null: this process's environment), the child's `captured` descriptor
// (STDOUT_FILENO or STDERR_FILENO) on a pipe and, when that is stderr, its
// stdout on /dev/null.
absl::StatusOr<SpawnedChild> SpawnWithOutputPipe(std::vector<std::string> args, char** envp,
                                                 int captured);

class GatewayProcess {
 public:
  struct Options {
    std::string binary;
    // After `--listen 127.0.0.1:0`.
    std::vector<std::string> args;
    // Added to (or replacing in) this process's environment. AWS_CONFIG_FILE
    // and AWS_SHARED_CREDENTIALS_FILE point nowhere unless set here, so the
    // machine's own AWS set-up cannot leak into a run.
    std::vector<std::pair<std::string, std::string>> env;
    // False: none of this process's AWS_* variables is passed on, only those
    // in `env` (as the Python tests' gateway_env()).
    bool inherit_aws_environment = true;
    absl::Duration start_timeout = absl::Seconds(30);
  };

  // Spawns the gateway and waits for its "serving" line. INTERNAL when it
  // cannot be spawned, UNAVAILABLE (with its last log lines) when it exits
  // or does not serve within the timeout; the child is then killed.
  static absl::StatusOr<std::unique_ptr<GatewayProcess>> Start(const Options& options);

  // Stops the gateway (SIGTERM, then SIGKILL after 10 s) and reaps it.
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  // "127.0.0.1:<port>", from the serving line.
  const std::string& address() const { return address_; }
  // "127.0.0.1:<port>" of the metrics endpoint, from the "serving metrics"
  // line (args with `--metrics_listen 127.0.0.1:0`); empty without one.
  const std::string& metrics_address() const { return metrics_address_; }
  pid_t pid() const { return pid_; }
  absl::StatusOr<ProcessUsage> Usage() const { return ReadProcessUsage(pid_); }
  absl::StatusOr<MemoryUsage> Memory() const { return ReadMemoryUsage(pid_); }
  // The last lines the gateway wrote on stderr, joined.
  std::string LogTail() const;

 private:
  GatewayProcess(pid_t pid, int stderr_fd);
  void ReadLog();
  // The serving address once logged, or nullopt when the log ended first.
  std::optional<std::string> WaitForServing(absl::Duration timeout);

  const pid_t pid_;
  const int stderr_fd_;
  std::string address_;
  std::string metrics_address_;  // set once serving
  std::thread reader_;

  mutable absl::Mutex mu_;
  std::deque<std::string> tail_ ABSL_GUARDED_BY(mu_);
  std::optional<std::string> serving_address_ ABSL_GUARDED_BY(mu_);
  std::string logged_metrics_address_ ABSL_GUARDED_BY(mu_);
  bool log_ended_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace awsgw::bench

#endif  // AWSGW_BENCH_GATEWAY_PROCESS_H_
