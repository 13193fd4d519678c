#include "emulator/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <sstream>

#include "absl/strings/match.h"
#include "http/http_message.h"

namespace awsgw::emulator {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

http::HttpRequest ToHttpRequest(const bhttp::request<bhttp::string_body>& in) {
  http::HttpRequest out;
  out.method = std::string(in.method_string());
  http::SetRequestTarget(out, std::string(in.target()));
  for (const auto& field : in) {
    out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  out.body = in.body();
  return out;
}

bhttp::response<bhttp::string_body> ToBeastResponse(const http::HttpResponse& in, unsigned version,
                                                    bool keep_alive) {
  bhttp::response<bhttp::string_body> out(static_cast<bhttp::status>(in.status), version);
  for (const http::HttpHeader& h : in.headers) out.insert(h.name, h.value);
  out.body() = in.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

bhttp::response<bhttp::string_body> PlainError(bhttp::status status, absl::string_view message) {
  bhttp::response<bhttp::string_body> out(status, 11);
  out.set(bhttp::field::content_type, "application/json");
  out.body() = std::string(R"({"message":")") + std::string(message) + "\"}";
  out.keep_alive(false);
  out.prepare_payload();
  return out;
}

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket,
                         std::shared_ptr<const HttpServer::Handler> handler, size_t body_limit,
                         absl::Duration idle_timeout, FaultOptions faults,
                         std::shared_ptr<FaultDice> dice)
    : stream_(std::move(socket)),
      handler_(std::move(handler)),
      body_limit_(body_limit),
      idle_timeout_(idle_timeout),
      faults_(faults),
      dice_(std::move(dice)),
      delay_(stream_.get_executor()) {}

void HttpSession::Start() {
  // The socket came from the acceptor's executor: hop onto this session's
  // strand before the first operation.
  boost::asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
}

void HttpSession::Read() {
  parser_.emplace();
  parser_->body_limit(body_limit_);
  stream_.expires_after(std::chrono::milliseconds(absl::ToInt64Milliseconds(idle_timeout_)));
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
}

void HttpSession::OnRead(beast::error_code ec, size_t) {
  if (ec == bhttp::error::body_limit) {
    return Write(PlainError(bhttp::status::payload_too_large, "Request body too large"));
  }
  if (ec == bhttp::error::end_of_stream || ec) return Close();
  bhttp::request<bhttp::string_body> request = parser_->release();
  const http::HttpResponse answer = (*handler_)(ToHttpRequest(request));
  auto response = ToBeastResponse(answer, request.version(), request.keep_alive());
  if (dice_ == nullptr ||
      absl::StartsWith(absl::string_view(request.target().data(), request.target().size()),
                       "/_emulator/")) {
    return Write(std::move(response));
  }
  // Both dice always rolled: outcomes depend only on the seed and count.
  const bool reset = dice_->Roll(faults_.reset_rate);
  const bool truncate = dice_->Roll(faults_.truncate_rate);
  if (reset) return Reset();
  if (truncate) return WriteTruncated(std::move(response));
  if (faults_.latency <= absl::ZeroDuration()) return Write(std::move(response));
  delay_.expires_after(std::chrono::milliseconds(absl::ToInt64Milliseconds(faults_.latency)));
  delay_.async_wait(
      [self = shared_from_this(), r = std::move(response)](beast::error_code ec) mutable {
        if (ec) return self->Close();
        self->Write(std::move(r));
      });
}

void HttpSession::Reset() {
  beast::error_code ignored;
  // Linger 0: close() sends RST, as a crashed or overloaded server would.
  stream_.socket().set_option(boost::asio::socket_base::linger(true, 0), ignored);
  stream_.socket().close(ignored);
}

void HttpSession::WriteTruncated(bhttp::response<bhttp::string_body> response) {
  // Chunked, cut inside the body: every HTTP client sees the answer end
  // early (a short Content-Length body passes unnoticed by some, such as
  // urllib3 1.x, which does not enforce the length).
  response.chunked(true);
  std::ostringstream wire;
  wire << response;
  truncated_ = wire.str();
  const size_t head = truncated_.find("\r\n\r\n");
  const size_t rest = head == std::string::npos ? truncated_.size() : truncated_.size() - head - 4;
  truncated_.resize(head == std::string::npos ? rest / 2 : head + 4 + rest / 2);
  boost::asio::async_write(
      stream_, boost::asio::buffer(truncated_),
      [self = shared_from_this()](beast::error_code, size_t) { self->Close(); });
}

void HttpSession::Write(bhttp::response<bhttp::string_body> response) {
  const bool close = response.need_eof();
  response_.emplace(std::move(response));
  bhttp::async_write(stream_, *response_,
                     beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this(), close));
}

void HttpSession::OnWrite(bool close, beast::error_code ec, size_t) {
  response_.reset();
  if (ec || close) return Close();
  Read();
}

void HttpSession::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace awsgw::emulator
