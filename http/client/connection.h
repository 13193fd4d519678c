// Connection: one outbound HTTP/1.1 connection (plain TCP or TLS, directly or
// through a CONNECT proxy tunnel) and the request/response exchanges on it.
//
// Lifetime and threading: always held by std::shared_ptr; every asynchronous
// step runs on the connection's own strand and holds shared_from_this(), so
// the object lives until its last pending operation completes even after the
// pool and the call have let go. Connect() and Exchange() must not overlap
// (the owning call drives one step at a time); Close() may be called from any
// thread at any time. Connection knows nothing of deadlines or retries: the
// call that leases it aborts it with Close().
#ifndef AWSGW_HTTP_CLIENT_CONNECTION_H_
#define AWSGW_HTTP_CLIENT_CONNECTION_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "http/client/endpoint.h"
#include "http/client/proxy_config.h"
#include "http/client/response_parser.h"
#include "http/client/wire_request.h"
#include "http/http_message.h"

namespace awsgw::http::client {

// Where a connection goes: the endpoint (base_path unused) and the proxy to
// tunnel through, if any.
struct ConnectionTarget {
  Endpoint endpoint;
  std::optional<ProxyServer> proxy;
};

struct ConnectionSettings {
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration tls_handshake_timeout = absl::Seconds(10);
  uint32_t max_header_bytes = 64 * 1024;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Executor = boost::asio::strand<boost::asio::io_context::executor_type>;

  // The outcome of one exchange.
  struct ExchangeResult {
    absl::StatusOr<http::HttpResponse> response;
    // At least one byte of the response arrived before the failure.
    bool response_started = false;
    // The whole request was handed to the socket. Until then the server
    // cannot have a complete request to act on (a body is framed by its
    // Content-Length, headers by their blank line).
    bool request_written = false;
    // The connection may carry another request (keep-alive, fully read).
    bool reusable = false;
  };

  Connection(boost::asio::io_context& io, std::shared_ptr<boost::asio::ssl::context> tls,
             ConnectionTarget target, ConnectionSettings settings);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Resolves (asynchronously), connects, opens the proxy tunnel when there is
  // a proxy and performs the TLS handshake for https. `done` runs once, on
  // the connection's strand, with OK or UNAVAILABLE naming the stage that
  // failed (resolve, connect, proxy, TLS handshake) and the host; a stage
  // over its timeout says "timed out". CANCELLED after Close().
  void Connect(absl::AnyInvocable<void(absl::Status)> done);

  // Writes `request` and reads one response with a body of at most
  // `max_body_bytes`. `done` runs once, on the connection's strand. Failures:
  // UNAVAILABLE (write or read failed, peer closed, malformed response),
  // RESOURCE_EXHAUSTED (body or header limit, naming it), CANCELLED after
  // Close(). Precondition: Connect() succeeded, no exchange in progress.
  void Exchange(std::shared_ptr<const WireRequest> request, uint64_t max_body_bytes,
                absl::AnyInvocable<void(ExchangeResult)> done);

  // Aborts whatever is pending and closes the socket. Any thread; idempotent.
  void Close();

  // Non-blocking probe of an idle connection: false when the peer closed it,
  // reset it or sent bytes nobody asked for. Only for connections with no
  // operation in progress (idle in the pool).
  bool LooksAlive() const;

 private:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // Runs `fn` with the stream requests go over: TLS when set up, else TCP.
  template <typename Fn>
  void WithStream(Fn&& fn);
  void StartStage(const char* stage, absl::Duration timeout);
  void OnStageTimeout(uint64_t stage);
  void OnResolved(const boost::system::error_code& ec,
                  boost::asio::ip::tcp::resolver::results_type results);
  void OnConnected(const boost::system::error_code& ec);
  void StartTunnel();
  void OnTunnelWritten(const boost::system::error_code& ec);
  void OnTunnelResponse(const boost::system::error_code& ec);
  void StartHandshake();
  void OnHandshake(const boost::system::error_code& ec);
  void FinishConnect(absl::Status status);
  void OnWritten(const boost::system::error_code& ec);
  void ResetParser();
  void StartRead();
  void OnRead(const boost::system::error_code& ec);
  void FinishExchange(ExchangeResult result);
  void CloseNow();
  // UNAVAILABLE for a failed connect stage (or the timeout that caused it).
  absl::Status StageError(const std::string& what, const boost::system::error_code& ec) const;
  absl::Status ExchangeError(const char* step, const boost::system::error_code& ec,
                             bool response_started) const;
  // "host:port", the host the messages name.
  std::string HostForMessages() const;

  Executor strand_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  const ConnectionTarget target_;
  const ConnectionSettings settings_;

  // Everything below is touched only on strand_.
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer stage_timer_;
  std::unique_ptr<boost::beast::tcp_stream> tcp_;  // before TLS, or plain http
  std::unique_ptr<TlsStream> tls_;                 // after the TLS handshake starts
  // Must persist between reads: may hold bytes past the current message.
  boost::beast::flat_buffer buffer_;
  const char* stage_name_ = "connect";
  absl::Duration stage_timeout_;
  uint64_t stage_ = 0;
  bool stage_timed_out_ = false;
  bool closed_ = false;
  absl::AnyInvocable<void(absl::Status)> connect_done_;
  // The proxy CONNECT request and its response parser; must persist until
  // the write and the read complete.
  std::unique_ptr<boost::beast::http::request<boost::beast::http::empty_body>> tunnel_request_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::empty_body>> tunnel_parser_;
  // The request being written (kept alive by us until the write completes)
  // and the parser of its response.
  std::shared_ptr<const WireRequest> request_;
  std::optional<ResponseParser> parser_;
  uint64_t max_body_bytes_ = 0;
  bool interim_seen_ = false;  // a 1xx response arrived for this request
  absl::AnyInvocable<void(ExchangeResult)> exchange_done_;

  // The socket's descriptor once connected, for LooksAlive(); -1 otherwise.
  std::atomic<int> fd_{-1};
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_CONNECTION_H_
