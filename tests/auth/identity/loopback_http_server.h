// A tiny blocking HTTP/1.1 server on 127.0.0.1 for the JWKS URL source
// tests: one thread accepts, reads one request per connection and answers
// with the current status and body, then closes. The test can change the
// answer, count requests, and stop the server to simulate an endpoint that
// is down (connections are then refused).
#ifndef AWSGW_TESTS_AUTH_IDENTITY_LOOPBACK_HTTP_SERVER_H_
#define AWSGW_TESTS_AUTH_IDENTITY_LOOPBACK_HTTP_SERVER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace awsgw::auth::identity::testing {

class LoopbackHttpServer {
 public:
  // Listens on an ephemeral port; aborts if it cannot.
  LoopbackHttpServer();
  ~LoopbackHttpServer();  // Stop()s

  uint16_t port() const { return port_; }
  std::string Url(const std::string& path = "/jwks.json") const;

  void SetResponse(int status, std::string body);
  int requests() const;
  std::string last_request() const;

  // Closes the listening socket and joins the thread. Idempotent.
  void Stop();

 private:
  void Run();

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable absl::Mutex mu_;
  int status_ ABSL_GUARDED_BY(mu_) = 200;
  std::string body_ ABSL_GUARDED_BY(mu_);
  int requests_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_request_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace awsgw::auth::identity::testing

#endif  // AWSGW_TESTS_AUTH_IDENTITY_LOOPBACK_HTTP_SERVER_H_
