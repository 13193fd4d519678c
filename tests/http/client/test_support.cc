// Test servers process, TLS material, and the Completion / fixture helpers.
#include "tests/http/client/test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace awsgw::http::client::testing {
namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "http_client test set-up failed: %s\n", message.c_str());
  std::abort();
}

}  // namespace

TestServers& TestServers::Get() {
  static TestServers servers;  // stopped by its destructor at exit
  return servers;
}

TestServers::TestServers() {
  char dir_template[] = "/tmp/awsgw-http-client-test-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) Die("mkdtemp");
  cert_dir_ = dir_template;
  std::string generate =
      absl::StrCat("bash '", AWSGW_HTTP_CLIENT_TEST_DIR, "/gen_test_certs.sh' '", cert_dir_, "'");
  if (std::system(generate.c_str()) != 0) Die("gen_test_certs.sh failed (is openssl installed?)");

  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) Die("pipe2");
  const std::string script = absl::StrCat(AWSGW_HTTP_CLIENT_TEST_DIR, "/test_servers.py");
  pid_ = fork();
  if (pid_ < 0) Die("fork");
  if (pid_ == 0) {
    // Child: async-signal-safe calls only until exec.
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execl(AWSGW_PYTHON, AWSGW_PYTHON, script.c_str(), "--certs", cert_dir_.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  stdin_fd_ = to_child[1];

  std::string line;
  pollfd pfd{from_child[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos) {
    if (poll(&pfd, 1, 20000) <= 0) Die("test_servers.py did not report its ports");
    char buffer[512];
    ssize_t n = read(from_child[0], buffer, sizeof(buffer));
    if (n <= 0) Die("test_servers.py exited before reporting its ports");
    line.append(buffer, static_cast<size_t>(n));
  }
  close(from_child[0]);
  boost::system::error_code ec;
  boost::json::value ports = boost::json::parse(line, ec);
  if (ec || !ports.is_object()) Die("bad port line: " + line);
  auto port = [&](const char* name) {
    const boost::json::value* value = ports.as_object().if_contains(name);
    if (value == nullptr || !value->is_int64()) Die(absl::StrCat("no port for ", name));
    return static_cast<int>(value->as_int64());
  };
  http_port_ = port("http");
  https_port_ = port("https");
  https_wrong_host_port_ = port("https_wrong_host");
  silent_port_ = port("silent");
  proxy_port_ = port("proxy");
}

TestServers::~TestServers() {
  if (stdin_fd_ >= 0) close(stdin_fd_);  // the servers exit on EOF
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(cert_dir_, ignored);
}

// ---- Completion --------------------------------------------------------------

HttpClient::Done Completion::Callback() {
  return [state = state_](absl::StatusOr<http::HttpResponse> result) {
    absl::MutexLock lock(&state->mu);
    ++state->count;
    state->thread = std::this_thread::get_id();
    state->result = std::move(result);
  };
}

absl::StatusOr<http::HttpResponse> Completion::Wait(absl::Duration timeout) {
  absl::MutexLock lock(&state_->mu);
  State* state = state_.get();
  auto done = [state]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state->mu) { return state->count > 0; };
  if (!state_->mu.AwaitWithTimeout(absl::Condition(&done), timeout)) {
    ADD_FAILURE() << "done did not run within " << timeout;
    return absl::InternalError("done did not run");
  }
  return state_->result;
}

bool Completion::Done() const { return count() > 0; }

int Completion::count() const {
  absl::MutexLock lock(&state_->mu);
  return state_->count;
}

std::thread::id Completion::thread() const {
  absl::MutexLock lock(&state_->mu);
  return state_->thread;
}

// ---- Fixture -----------------------------------------------------------------

HttpClientOptions HttpClientTest::DefaultOptions() const {
  HttpClientOptions options;
  options.threads = 2;
  options.extra_ca_file = TestServers::Get().ca_file();
  options.connect_timeout = absl::Seconds(3);
  options.tls_handshake_timeout = absl::Seconds(3);
  options.proxy = ProxyConfig();
  return options;
}

void HttpClientTest::StartClient(HttpClientOptions options) {
  absl::StatusOr<std::unique_ptr<HttpClient>> client = HttpClient::Create(std::move(options));
  ASSERT_TRUE(client.ok()) << client.status();
  client_ = *std::move(client);
}

void HttpClientTest::TearDown() {
  client_.reset();  // Shutdown: every pending call completes
  for (size_t i = 0; i < completions_.size(); ++i) {
    EXPECT_EQ(completions_[i]->count(), 1) << "completion #" << i << " ran that many times";
    EXPECT_NE(completions_[i]->thread(), std::this_thread::get_id())
        << "completion #" << i << " ran on the caller's thread";
  }
}

Endpoint HttpClientTest::HttpEndpoint() const {
  return Endpoint{Scheme::kHttp, "127.0.0.1", static_cast<uint16_t>(TestServers::Get().http_port()),
                  ""};
}

Endpoint HttpClientTest::HttpsEndpoint() const {
  return Endpoint{Scheme::kHttps, "localhost",
                  static_cast<uint16_t>(TestServers::Get().https_port()), ""};
}

std::shared_ptr<Completion> HttpClientTest::NewCompletion() {
  completions_.push_back(std::make_shared<Completion>());
  return completions_.back();
}

std::shared_ptr<PendingRequest> HttpClientTest::Start(const Endpoint& endpoint,
                                                      http::HttpRequest request,
                                                      const std::shared_ptr<Completion>& completion,
                                                      const CallOptions& options) {
  return client_->Send(endpoint, std::move(request), options, completion->Callback());
}

absl::StatusOr<http::HttpResponse> HttpClientTest::Call(const Endpoint& endpoint,
                                                        http::HttpRequest request,
                                                        const CallOptions& options) {
  std::shared_ptr<Completion> completion = NewCompletion();
  Start(endpoint, std::move(request), completion, options);
  return completion->Wait();
}

// ---- Helpers -----------------------------------------------------------------

bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() >= give_up) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

http::HttpRequest Get(const std::string& target) {
  http::HttpRequest request;
  request.method = "GET";
  http::SetRequestTarget(request, target);
  return request;
}

http::HttpRequest Post(const std::string& target, std::string body) {
  http::HttpRequest request = Get(target);
  request.method = "POST";
  request.body = std::move(body);
  return request;
}

int ConnectionId(const http::HttpResponse& response) {
  const http::HttpHeader* header = http::FindHeader(response.headers, "X-Connection-Id");
  int id = 0;
  if (header == nullptr || !absl::SimpleAtoi(header->value, &id)) return 0;
  return id;
}

Echo ParseEcho(const http::HttpResponse& response) {
  Echo echo;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(response.body, ec);
  if (ec || !doc.is_object()) {
    ADD_FAILURE() << "not an echo: " << response.body;
    return echo;
  }
  const boost::json::object& object = doc.as_object();
  echo.method = std::string(object.at("method").as_string());
  echo.target = std::string(object.at("target").as_string());
  echo.body = std::string(object.at("body").as_string());
  if (const boost::json::value* sni = object.if_contains("sni"); sni && sni->is_string()) {
    echo.sni = std::string(sni->as_string());
  }
  for (const boost::json::value& pair : object.at("headers").as_array()) {
    echo.headers.push_back({std::string(pair.as_array().at(0).as_string()),
                            std::string(pair.as_array().at(1).as_string())});
  }
  return echo;
}

}  // namespace awsgw::http::client::testing
