#include "emulator/http_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "emulator/http_session.h"

namespace awsgw::emulator {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct HttpServer::State {
  explicit State(HttpServerOptions o) : options(std::move(o)), acceptor(asio::make_strand(ioc)) {}

  void Accept() {
    acceptor.async_accept(
        asio::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
          if (!ec) {
            std::make_shared<HttpSession>(std::move(socket), handler, options.body_limit,
                                          options.idle_timeout, options.faults, dice)
                ->Start();
          }
          Accept();
        });
  }

  HttpServerOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor;  // on its own strand; closed there by Stop()
  std::shared_ptr<const Handler> handler;
  std::shared_ptr<FaultDice> dice;  // null when no transport faults are set
  std::vector<std::thread> threads;
  uint16_t port = 0;  // kept: the acceptor forgets it once closed
  absl::Mutex stop_mu;
  bool stopped ABSL_GUARDED_BY(stop_mu) = false;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                              Handler handler) {
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options.address, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("not an IP address: ", options.address));
  if (!address.is_loopback()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the emulator listens on loopback addresses only (127.0.0.1, ::1), not ", options.address));
  }
  auto state = std::make_unique<State>(options);
  state->handler = std::make_shared<const Handler>(std::move(handler));
  const FaultOptions& faults = options.faults;
  if (faults.reset_rate > 0 || faults.truncate_rate > 0 || faults.latency > absl::ZeroDuration()) {
    // Its own stream, apart from the Emulator's error and throttle dice.
    state->dice = std::make_shared<FaultDice>(faults.seed ^ 0x9e3779b97f4a7c15ULL);
  }
  const tcp::endpoint endpoint(address, options.port);
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.address, ":", options.port, ": ", ec.message()));
  }
  state->port = state->acceptor.local_endpoint(ec).port();
  state->Accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    state->threads.emplace_back([s = state.get()] { s->ioc.run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

HttpServer::HttpServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return state_->port; }

void HttpServer::Stop() {
  {
    absl::MutexLock lock(&state_->stop_mu);
    if (state_->stopped) return;
    state_->stopped = true;
  }
  // Close the listener on its strand, then stop the loop; sessions still
  // pending are destroyed (closing their sockets) with the io_context.
  asio::post(state_->acceptor.get_executor(), [s = state_.get()] {
    boost::system::error_code ignored;
    s->acceptor.close(ignored);
    s->ioc.stop();
  });
  for (std::thread& t : state_->threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace awsgw::emulator
