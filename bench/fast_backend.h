// FastBackend: a loopback HTTP/1.1 keep-alive server that answers every
// request with the same ECS ListClusters response, for the load benchmark.
//
// Why not tests/e2e/fake_aws.py: the benchmark needs a backend much faster
// than the gateway, so that what it measures is the gateway. This one checks
// no signature and parses nothing beyond the HTTP framing. An optional delay
// before each answer lets the benchmark hold many calls in flight at once.
//
// Threading: it serves on its own threads; set_delay() and requests() are
// thread-safe.
//
// Example:
//   absl::StatusOr<std::unique_ptr<FastBackend>> backend = FastBackend::Start(1);
//   setenv("AWS_ENDPOINT_URL", (*backend)->url().c_str(), 1);
#ifndef AWSGW_BENCH_FAST_BACKEND_H_
#define AWSGW_BENCH_FAST_BACKEND_H_

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace awsgw::bench {

// The body every answer carries (an ECS ListClusters output).
inline constexpr char kListClustersBody[] =
    R"({"clusterArns":["arn:aws:ecs:us-east-1:123456789012:cluster/default"]})";

class FastBackend {
 public:
  // Listens on 127.0.0.1, port chosen by the kernel, and serves on `threads`
  // threads. Returns INTERNAL when it cannot listen, INVALID_ARGUMENT for
  // threads < 1.
  static absl::StatusOr<std::unique_ptr<FastBackend>> Start(int threads);

  // Stops serving, closes every connection and joins the threads.
  ~FastBackend();
  FastBackend(const FastBackend&) = delete;
  FastBackend& operator=(const FastBackend&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>".
  std::string url() const;
  // The environment a gateway needs to call this backend: every service's
  // endpoint here, dummy keys (not checked), us-east-1, no IMDS.
  std::vector<std::pair<std::string, std::string>> GatewayEnv() const;

  // Each answer from now on waits `delay` after its request was read
  // (zero: answer at once). Answers already waiting keep their delay.
  void set_delay(absl::Duration delay);
  // Requests answered so far.
  uint64_t requests() const { return served_->load(std::memory_order_relaxed); }

 private:
  FastBackend() = default;
  void Accept();

  // Declared first, destroyed last: sessions held by pending handlers die
  // with it.
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  // Shared with the sessions: those held by pending handlers are destroyed
  // with io_, after every other member.
  std::shared_ptr<std::atomic<int64_t>> delay_ns_ = std::make_shared<std::atomic<int64_t>>(0);
  std::shared_ptr<std::atomic<uint64_t>> served_ = std::make_shared<std::atomic<uint64_t>>(0);
};

}  // namespace awsgw::bench

#endif  // AWSGW_BENCH_FAST_BACKEND_H_
