// One outbound connection: resolve -> connect -> [CONNECT tunnel] -> [TLS]
// -> request/response exchanges. Every step runs on strand_ and holds
// shared_from_this(); Close() aborts from any thread.
#include "http/client/connection.h"

#include <sys/socket.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "http/client/response_parser.h"
#include "http/client/tls_context.h"

namespace awsgw::http::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

bool IsLoopbackAddress(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
  }
  return address.is_loopback();
}

}  // namespace

Connection::Connection(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls,
                       ConnectionTarget target, ConnectionSettings settings)
    : strand_(asio::make_strand(io)),
      tls_context_(std::move(tls)),
      target_(std::move(target)),
      settings_(settings),
      resolver_(strand_),
      stage_timer_(strand_) {}

template <typename Fn>
void Connection::WithStream(Fn&& fn) {
  if (tls_ != nullptr) {
    fn(*tls_);
  } else {
    fn(*tcp_);
  }
}

std::string Connection::HostForMessages() const {
  std::string host = target_.endpoint.Authority();
  if (target_.proxy.has_value()) absl::StrAppend(&host, " via proxy ", target_.proxy->Authority());
  return host;
}

// ---- Connect ---------------------------------------------------------------

void Connection::Connect(absl::AnyInvocable<void(absl::Status)> done) {
  asio::post(strand_, [self = shared_from_this(), done = std::move(done)]() mutable {
    self->connect_done_ = std::move(done);
    if (self->closed_) {
      self->FinishConnect(absl::CancelledError("connection closed"));
      return;
    }
    self->StartStage("connect", self->settings_.connect_timeout);
    const bool proxied = self->target_.proxy.has_value();
    const std::string& host = proxied ? self->target_.proxy->host : self->target_.endpoint.host;
    uint16_t port = proxied ? self->target_.proxy->port : self->target_.endpoint.port;
    // Asynchronous: Asio runs getaddrinfo on its own resolver thread, never
    // on a caller's or a client thread.
    self->resolver_.async_resolve(
        host, std::to_string(port), tcp::resolver::numeric_service,
        asio::bind_executor(self->strand_,
                            [self](const error_code& ec, tcp::resolver::results_type results) {
                              self->OnResolved(ec, std::move(results));
                            }));
  });
}

void Connection::StartStage(const char* stage, absl::Duration timeout) {
  stage_name_ = stage;
  stage_timeout_ = timeout;
  uint64_t stage_id = ++stage_;
  stage_timer_.expires_after(absl::ToChronoNanoseconds(timeout));
  stage_timer_.async_wait(
      asio::bind_executor(strand_, [self = shared_from_this(), stage_id](const error_code& ec) {
        if (!ec) self->OnStageTimeout(stage_id);
      }));
}

void Connection::OnStageTimeout(uint64_t stage) {
  // A timer that fired after its stage ended (the handler was already
  // queued when cancel() ran) must not close a healthy connection.
  if (stage != stage_ || closed_) return;
  stage_timed_out_ = true;
  CloseNow();  // the pending operation completes with an error
}

absl::Status Connection::StageError(const std::string& what, const error_code& ec) const {
  if (stage_timed_out_) {
    return absl::UnavailableError(absl::StrCat(stage_name_, " to ", HostForMessages(),
                                               " timed out after ",
                                               absl::FormatDuration(stage_timeout_)));
  }
  if (closed_) return absl::CancelledError("connection closed");
  return absl::UnavailableError(absl::StrCat(what, " failed: ", ec.message()));
}

void Connection::OnResolved(const error_code& ec, tcp::resolver::results_type results) {
  const bool proxied = target_.proxy.has_value();
  const std::string& host = proxied ? target_.proxy->host : target_.endpoint.host;
  if (ec || stage_timed_out_ || closed_) {
    FinishConnect(StageError(absl::StrCat("resolve ", host), ec));
    return;
  }
  // Plain http is for loopback (and the AWS metadata addresses) only: a name
  // like "localhost" must not lead anywhere else, whatever the resolver says.
  const bool loopback_only = !proxied && target_.endpoint.scheme == Scheme::kHttp;
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results) {
    if (!loopback_only || IsLoopbackAddress(entry.endpoint().address()) ||
        IsAwsMetadataAddress(entry.endpoint().address())) {
      endpoints.push_back(entry.endpoint());
    }
  }
  if (endpoints.empty()) {
    FinishConnect(absl::UnavailableError(
        absl::StrCat("resolve ", host, " found no ", loopback_only ? "loopback " : "", "address")));
    return;
  }
  tcp_ = std::make_unique<beast::tcp_stream>(strand_);
  tcp_->async_connect(
      endpoints, asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec,
                                                                          const tcp::endpoint&) {
        self->OnConnected(ec);
      }));
}

void Connection::OnConnected(const error_code& ec) {
  if (ec || stage_timed_out_ || closed_) {
    const std::string host =
        target_.proxy.has_value() ? target_.proxy->Authority() : target_.endpoint.Authority();
    FinishConnect(StageError(absl::StrCat("connect to ", host), ec));
    return;
  }
  error_code ignored;
  tcp_->socket().set_option(tcp::no_delay(true), ignored);
  fd_ = tcp_->socket().native_handle();
  if (target_.proxy.has_value()) {
    StartTunnel();
  } else if (target_.endpoint.scheme == Scheme::kHttps) {
    StartHandshake();
  } else {
    FinishConnect(absl::OkStatus());
  }
}

void Connection::StartTunnel() {
  const std::string authority = target_.endpoint.Authority();
  tunnel_request_ =
      std::make_unique<bhttp::request<bhttp::empty_body>>(bhttp::verb::connect, authority, 11);
  tunnel_request_->set(bhttp::field::host, authority);
  if (!target_.proxy->authorization.empty()) {
    tunnel_request_->set(bhttp::field::proxy_authorization, target_.proxy->authorization);
  }
  bhttp::async_write(
      *tcp_, *tunnel_request_,
      asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, size_t) {
        self->OnTunnelWritten(ec);
      }));
}

void Connection::OnTunnelWritten(const error_code& ec) {
  if (ec || stage_timed_out_ || closed_) {
    FinishConnect(
        StageError(absl::StrCat("CONNECT request to proxy ", target_.proxy->Authority()), ec));
    return;
  }
  tunnel_parser_.emplace();
  // A 2xx answer to CONNECT has no body, whatever its headers say.
  tunnel_parser_->skip(true);
  bhttp::async_read(
      *tcp_, buffer_, *tunnel_parser_,
      asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, size_t) {
        self->OnTunnelResponse(ec);
      }));
}

void Connection::OnTunnelResponse(const error_code& ec) {
  const std::string proxy = target_.proxy->Authority();
  if (ec || stage_timed_out_ || closed_) {
    FinishConnect(StageError(absl::StrCat("CONNECT response from proxy ", proxy), ec));
    return;
  }
  unsigned status = tunnel_parser_->get().result_int();
  tunnel_parser_.reset();
  tunnel_request_.reset();
  if (status < 200 || status > 299) {
    FinishConnect(absl::UnavailableError(absl::StrCat("proxy ", proxy, " refused CONNECT to ",
                                                      target_.endpoint.Authority(), " with status ",
                                                      status)));
    return;
  }
  if (buffer_.size() != 0) {
    FinishConnect(absl::UnavailableError(
        absl::StrCat("proxy ", proxy, " sent unexpected bytes after its CONNECT response")));
    return;
  }
  if (target_.endpoint.scheme == Scheme::kHttps) {
    StartHandshake();
  } else {
    FinishConnect(absl::OkStatus());
  }
}

void Connection::StartHandshake() {
  StartStage("TLS handshake", settings_.tls_handshake_timeout);
  tls_ = std::make_unique<TlsStream>(std::move(*tcp_), *tls_context_);
  tcp_.reset();
  if (absl::Status prepared = PrepareTlsSession(tls_->native_handle(), target_.endpoint.host);
      !prepared.ok()) {
    FinishConnect(std::move(prepared));
    return;
  }
  tls_->async_handshake(
      asio::ssl::stream_base::client,
      asio::bind_executor(
          strand_, [self = shared_from_this()](const error_code& ec) { self->OnHandshake(ec); }));
}

void Connection::OnHandshake(const error_code& ec) {
  if (ec || stage_timed_out_ || closed_) {
    FinishConnect(stage_timed_out_ || closed_
                      ? StageError("", ec)
                      : absl::UnavailableError(absl::StrCat(
                            "TLS handshake with ", HostForMessages(),
                            " failed: ", DescribeTlsFailure(tls_->native_handle(), ec))));
    return;
  }
  FinishConnect(absl::OkStatus());
}

void Connection::FinishConnect(absl::Status status) {
  ++stage_;  // disarms the stage timer's handler even if it is queued
  stage_timer_.cancel();
  if (!status.ok()) CloseNow();
  absl::AnyInvocable<void(absl::Status)> done = std::move(connect_done_);
  connect_done_ = nullptr;
  if (done) done(std::move(status));
}

// ---- Exchange --------------------------------------------------------------

void Connection::Exchange(std::shared_ptr<const WireRequest> request, uint64_t max_body_bytes,
                          absl::AnyInvocable<void(ExchangeResult)> done) {
  asio::post(strand_, [self = shared_from_this(), request = std::move(request), max_body_bytes,
                       done = std::move(done)]() mutable {
    self->exchange_done_ = std::move(done);
    self->request_ = std::move(request);
    self->max_body_bytes_ = max_body_bytes;
    if (self->closed_ || (self->tcp_ == nullptr && self->tls_ == nullptr)) {
      self->FinishExchange({.response = absl::CancelledError("connection closed")});
      return;
    }
    self->interim_seen_ = false;
    self->ResetParser();
    self->WithStream([&self](auto& stream) {
      bhttp::async_write(stream, *self->request_,
                         asio::bind_executor(self->strand_, [self](const error_code& ec, size_t) {
                           self->OnWritten(ec);
                         }));
    });
  });
}

absl::Status Connection::ExchangeError(const char* step, const error_code& ec,
                                       bool response_started) const {
  const std::string host = HostForMessages();
  if (ec == bhttp::error::body_limit) {
    return absl::ResourceExhaustedError(absl::StrCat("response body from ", host,
                                                     " exceeds the limit of ", max_body_bytes_,
                                                     " bytes (max_response_bytes)"));
  }
  if (ec == bhttp::error::header_limit) {
    return absl::ResourceExhaustedError(
        absl::StrCat("response headers from ", host, " exceed the limit of ",
                     settings_.max_header_bytes, " bytes (max_response_header_bytes)"));
  }
  if (closed_) return absl::CancelledError("connection closed");
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
    return absl::UnavailableError(absl::StrCat(
        host, " closed the connection ", response_started ? "mid-response" : "before responding"));
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::body_limit).category()) {
    return absl::UnavailableError(
        absl::StrCat("invalid HTTP response from ", host, ": ", ec.message()));
  }
  return absl::UnavailableError(absl::StrCat(step, " ", host, " failed: ", ec.message()));
}

void Connection::OnWritten(const error_code& ec) {
  if (ec || closed_) {
    FinishExchange({.response = ExchangeError("write request to", ec, false)});
    return;
  }
  StartRead();
}

void Connection::ResetParser() {
  parser_.emplace();
  PrepareResponseParser(*parser_, request_->method(), max_body_bytes_, settings_.max_header_bytes);
}

void Connection::StartRead() {
  WithStream([this](auto& stream) {
    bhttp::async_read(
        stream, buffer_, *parser_,
        asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, size_t) {
          self->OnRead(ec);
        }));
  });
}

void Connection::OnRead(const error_code& ec) {
  const bool started = interim_seen_ || parser_->got_some() || buffer_.size() > 0;
  if (ec || closed_) {
    FinishExchange({.response = ExchangeError("read response from", ec, started),
                    .response_started = started,
                    .request_written = true});
    return;
  }
  const unsigned status = parser_->get().result_int();
  if (IsInterimStatus(status)) {
    // The final response follows on the same connection.
    interim_seen_ = true;
    ResetParser();
    StartRead();
    return;
  }
  // keep_alive() is false for HTTP/1.0 without keep-alive, for
  // "Connection: close" (from either side) and for a body delimited by the
  // end of the stream. Leftover bytes would be an unsolicited response.
  const bool reusable =
      parser_->keep_alive() && request_->keep_alive() && status != 101 && buffer_.size() == 0;
  WireResponse response = parser_->release();
  FinishExchange({.response = FromWireResponse(std::move(response)),
                  .response_started = true,
                  .request_written = true,
                  .reusable = reusable});
}

void Connection::FinishExchange(ExchangeResult result) {
  parser_.reset();
  request_.reset();
  if (!result.reusable) CloseNow();
  absl::AnyInvocable<void(ExchangeResult)> done = std::move(exchange_done_);
  exchange_done_ = nullptr;
  if (done) done(std::move(result));
}

// ---- Closing ---------------------------------------------------------------

void Connection::Close() {
  asio::post(strand_, [self = shared_from_this()] { self->CloseNow(); });
}

void Connection::CloseNow() {
  if (closed_) return;
  closed_ = true;
  ++stage_;
  fd_ = -1;
  stage_timer_.cancel();
  resolver_.cancel();
  error_code ignored;
  tcp::socket* socket = nullptr;
  if (tls_ != nullptr) socket = &tls_->next_layer().socket();
  if (tcp_ != nullptr) socket = &tcp_->socket();
  if (socket != nullptr && socket->is_open()) {
    socket->shutdown(tcp::socket::shutdown_both, ignored);
    socket->close(ignored);
  }
}

bool Connection::LooksAlive() const {
  int fd = fd_.load();
  if (fd < 0) return false;
  char byte;
  ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  // 0: orderly close. >0: bytes nobody asked for (a TLS close_notify, a
  // stray response); either way the connection cannot carry a request.
  if (n >= 0) return false;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

}  // namespace awsgw::http::client
