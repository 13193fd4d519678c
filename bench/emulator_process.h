// EmulatorProcess: the aws-emulator binary run as a child process for the
// watch benchmark, and the environment a gateway needs to use it as AWS.
//
// The emulator is started with `--listen 127.0.0.1:0 --print-credentials`
// and reports its port and generated key pair on its first stdout line (a
// JSON object), as in tests/emulator/emulator_process.py. A reader thread
// keeps draining stdout for the child's whole life; stderr is inherited, so
// the emulator's complaints reach the benchmark's own stderr.
//
// Threading: every method may be called from any thread.
//
// Example:
//   EmulatorProcess::Options options{.binary = path, .args = {"--stepped_clock"}};
//   absl::StatusOr<std::unique_ptr<EmulatorProcess>> emulator = EmulatorProcess::Start(options);
//   gateway_options.env = (*emulator)->GatewayEnv();
//   gateway_options.inherit_aws_environment = false;
#ifndef AWSGW_BENCH_EMULATOR_PROCESS_H_
#define AWSGW_BENCH_EMULATOR_PROCESS_H_

#include <sys/types.h>

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

class EmulatorProcess {
 public:
  struct Options {
    std::string binary;
    // After `--listen 127.0.0.1:0 --print-credentials --region <region>`.
    std::vector<std::string> args;
    std::string region = "us-east-1";
    absl::Duration start_timeout = absl::Seconds(30);
  };

  // Spawns the emulator and waits for its first line. INTERNAL when it
  // cannot be spawned, UNAVAILABLE when it exits or prints nothing usable
  // within the timeout; the child is then killed.
  static absl::StatusOr<std::unique_ptr<EmulatorProcess>> Start(const Options& options);

  // Stops the emulator (SIGTERM, then SIGKILL after 10 s) and reaps it.
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  // "http://127.0.0.1:<port>"
  const std::string& url() const { return url_; }
  const std::string& region() const { return region_; }
  pid_t pid() const { return pid_; }

  // What a gateway in front of this emulator needs, as
  // EmulatorProcess.gateway_env() in the Python tests: its keys, its region
  // and AWS_ENDPOINT_URL (with GatewayProcess::Options::inherit_aws_environment
  // false, nothing else AWS_* reaches the gateway).
  std::vector<std::pair<std::string, std::string>> GatewayEnv() const;

 private:
  EmulatorProcess(pid_t pid, int stdout_fd);
  void ReadOutput();
  // The first line, once printed, or nullopt when the output ended first.
  std::optional<std::string> WaitForFirstLine(absl::Duration timeout);
  void Stop();

  const pid_t pid_;
  const int stdout_fd_;
  std::string url_;
  std::string region_;
  std::string access_key_id_;
  std::string secret_access_key_;
  std::thread reader_;

  mutable absl::Mutex mu_;
  std::optional<std::string> first_line_ ABSL_GUARDED_BY(mu_);
  bool output_ended_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace awsgw::bench

#endif  // AWSGW_BENCH_EMULATOR_PROCESS_H_
