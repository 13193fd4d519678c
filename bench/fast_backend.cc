// FastBackend: one Session per connection, reading requests and writing the
// fixed answer in turn (HTTP/1.1 without pipelining, as the HTTP client
// sends them).
#include "bench/fast_backend.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsgw::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<std::atomic<int64_t>> delay_ns,
          std::shared_ptr<std::atomic<uint64_t>> served)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        delay_ns_(std::move(delay_ns)),
        served_(std::move(served)) {
    response_.result(http::status::ok);
    response_.set(http::field::content_type, "application/x-amz-json-1.1");
    response_.set("x-amzn-RequestId", "b1a7e1d0-0000-4000-8000-000000000001");
    response_.body() = kListClustersBody;
    response_.prepare_payload();
  }

  void Read() {
    parser_.emplace();
    parser_->body_limit(1 << 20);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (!ec) self->OnRead();
                     });
  }

 private:
  void OnRead() {
    const http::request<http::string_body>& request = parser_->get();
    response_.version(request.version());
    response_.keep_alive(request.keep_alive());
    const int64_t delay_ns = delay_ns_->load(std::memory_order_relaxed);
    if (delay_ns <= 0) return Write();
    timer_.expires_after(std::chrono::nanoseconds(delay_ns));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->Write();
    });
  }

  void Write() {
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return;
                        self->served_->fetch_add(1, std::memory_order_relaxed);
                        if (!self->response_.keep_alive()) {
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
                          return;
                        }
                        self->Read();
                      });
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;  // must persist between reads: it may hold the next request
  // Fresh per request (a parser reads one message); the body is read and
  // ignored, since the answer never depends on it.
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;  // built once, reused for every answer
  std::shared_ptr<std::atomic<int64_t>> delay_ns_;
  std::shared_ptr<std::atomic<uint64_t>> served_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FastBackend>> FastBackend::Start(int threads) {
  if (threads < 1) return absl::InvalidArgumentError("FastBackend needs at least one thread");
  std::unique_ptr<FastBackend> backend(new FastBackend());
  beast::error_code ec;
  tcp::acceptor& acceptor = backend->acceptor_.emplace(asio::make_strand(backend->io_));
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), 0);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return absl::InternalError(absl::StrCat("FastBackend cannot listen: ", ec.message()));
  backend->port_ = acceptor.local_endpoint(ec).port();
  if (ec) return absl::InternalError(absl::StrCat("FastBackend has no port: ", ec.message()));
  backend->work_.emplace(backend->io_.get_executor());
  backend->Accept();
  for (int i = 0; i < threads; ++i) {
    backend->threads_.emplace_back([io = &backend->io_] { io->run(); });
  }
  return backend;
}

FastBackend::~FastBackend() {
  work_.reset();
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
}

std::string FastBackend::url() const { return absl::StrCat("http://127.0.0.1:", port_); }

void FastBackend::set_delay(absl::Duration delay) {
  delay_ns_->store(absl::ToInt64Nanoseconds(delay), std::memory_order_relaxed);
}

// `this` outlives every accept handler: the destructor joins the threads that
// run them before any member goes.
void FastBackend::Accept() {
  acceptor_->async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), delay_ns_, served_)->Read();
    }
    Accept();
  });
}

std::vector<std::pair<std::string, std::string>> FastBackend::GatewayEnv() const {
  return {{"AWS_ACCESS_KEY_ID", "AKIDBENCHMARK0000000"},
          {"AWS_SECRET_ACCESS_KEY", "bench/secret/not/checked/by/the/backend"},
          {"AWS_REGION", "us-east-1"},
          {"AWS_ENDPOINT_URL", url()},
          {"AWS_EC2_METADATA_DISABLED", "true"}};
}

}  // namespace awsgw::bench
