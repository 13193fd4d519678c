// Shared pieces of the HTTP client tests: the loopback test servers (a Python
// process started once per test process, with TLS material made by the
// openssl CLI), a recorder for `done` callbacks, and a fixture that checks
// every `done` ran exactly once, on a client thread.
#ifndef AWSGW_TESTS_HTTP_CLIENT_TEST_SUPPORT_H_
#define AWSGW_TESTS_HTTP_CLIENT_TEST_SUPPORT_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "http/client/http_client.h"
#include "http/http_message.h"

namespace awsgw::http::client::testing {

// The servers of tests/http/client/test_servers.py, started on first use and
// stopped when the test process exits.
class TestServers {
 public:
  static TestServers& Get();
  ~TestServers();

  int http_port() const { return http_port_; }
  int https_port() const { return https_port_; }
  int https_wrong_host_port() const { return https_wrong_host_port_; }
  int silent_port() const { return silent_port_; }
  int proxy_port() const { return proxy_port_; }
  // PEM files made by gen_test_certs.sh.
  std::string ca_file() const { return cert_dir_ + "/ca.pem"; }
  std::string other_ca_file() const { return cert_dir_ + "/other_ca.pem"; }

 private:
  TestServers();

  std::string cert_dir_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int http_port_ = 0, https_port_ = 0, https_wrong_host_port_ = 0, silent_port_ = 0,
      proxy_port_ = 0;
};

// Collects the outcome of one call.
class Completion {
 public:
  HttpClient::Done Callback();
  // Waits up to `timeout` for `done`; a timeout is a test failure (and
  // returns an INTERNAL status).
  absl::StatusOr<http::HttpResponse> Wait(absl::Duration timeout = absl::Seconds(10));
  bool Done() const;
  int count() const;
  std::thread::id thread() const;

 private:
  struct State {
    mutable absl::Mutex mu;
    int count ABSL_GUARDED_BY(mu) = 0;
    std::thread::id thread ABSL_GUARDED_BY(mu);
    absl::StatusOr<http::HttpResponse> result ABSL_GUARDED_BY(mu) = absl::UnknownError("not done");
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// A client per test (made by StartClient) plus helpers. TearDown destroys the
// client and checks every Completion made by NewCompletion ran exactly once,
// not on the test's thread.
class HttpClientTest : public ::testing::Test {
 protected:
  // No proxy from the environment; the test CA as extra bundle; short
  // timeouts so failures are quick.
  HttpClientOptions DefaultOptions() const;
  void StartClient(HttpClientOptions options);
  void StartClient() { StartClient(DefaultOptions()); }
  void TearDown() override;

  Endpoint HttpEndpoint() const;   // http://127.0.0.1:<http>
  Endpoint HttpsEndpoint() const;  // https://localhost:<https>

  std::shared_ptr<Completion> NewCompletion();
  // Sends and waits.
  absl::StatusOr<http::HttpResponse> Call(const Endpoint& endpoint, http::HttpRequest request,
                                          const CallOptions& options = {});
  std::shared_ptr<PendingRequest> Start(const Endpoint& endpoint, http::HttpRequest request,
                                        const std::shared_ptr<Completion>& completion,
                                        const CallOptions& options = {});

  std::unique_ptr<HttpClient> client_;
  std::vector<std::shared_ptr<Completion>> completions_;
};

// Polls `condition` every 5 ms for up to `timeout`; returns its last value.
bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout = absl::Seconds(5));

http::HttpRequest Get(const std::string& target);
http::HttpRequest Post(const std::string& target, std::string body);

// The X-Connection-Id of a test-server response (0 when absent).
int ConnectionId(const http::HttpResponse& response);

// Parsed /echo body.
struct Echo {
  std::string method;
  std::string target;
  http::HttpHeaders headers;
  std::string body;
  std::optional<std::string> sni;  // TLS server name indication, if sent
};
Echo ParseEcho(const http::HttpResponse& response);

}  // namespace awsgw::http::client::testing

#endif  // AWSGW_TESTS_HTTP_CLIENT_TEST_SUPPORT_H_
