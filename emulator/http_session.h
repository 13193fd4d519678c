// HttpSession: one accepted connection of HttpServer, read request -> call
// the handler -> write response, repeated while the client keeps it alive.
// Internal to the emulator.
//
// Lifetime: held by shared_ptr; every async step runs on the connection's
// strand and holds shared_from_this(), so it lives until its last operation
// completes (or the io_context is destroyed).
#ifndef AWSGW_EMULATOR_HTTP_SESSION_H_
#define AWSGW_EMULATOR_HTTP_SESSION_H_

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "emulator/http_server.h"

namespace awsgw::emulator {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket,
              std::shared_ptr<const HttpServer::Handler> handler, size_t body_limit,
              absl::Duration idle_timeout, FaultOptions faults = {},
              std::shared_ptr<FaultDice> dice = nullptr);

  void Start();

 private:
  void Read();
  void OnRead(boost::beast::error_code ec, size_t bytes);
  void Write(boost::beast::http::response<boost::beast::http::string_body> response);
  void OnWrite(bool close, boost::beast::error_code ec, size_t bytes);
  void Close();
  // Faults: the connection reset (RST) with nothing written; the headers and
  // half the body written, then the connection closed.
  void Reset();
  void WriteTruncated(boost::beast::http::response<boost::beast::http::string_body> response);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;  // must persist between reads (pipelined bytes)
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  // The response being written; must live until the write completes.
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> response_;
  std::shared_ptr<const HttpServer::Handler> handler_;
  size_t body_limit_;
  absl::Duration idle_timeout_;
  FaultOptions faults_;
  std::shared_ptr<FaultDice> dice_;  // null: no faults
  boost::asio::steady_timer delay_;  // added latency
  std::string truncated_;            // must live until its write completes
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_HTTP_SESSION_H_
