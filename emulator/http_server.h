// HttpServer: the emulator's HTTP/1.1 listener (Boost.Beast, asynchronous).
//
// Loopback only: the emulator accepts any request signed with its published
// test keys, so it must never be reachable from another machine; a
// non-loopback address is refused. Port 0 picks a free port (see port()).
// Connections are kept alive; a request body over `body_limit` is answered
// 413 and the connection closed; an idle connection is closed after
// `idle_timeout`.
//
// Faults (`faults`: reset_rate, truncate_rate, latency; the other rates are
// the Emulator's) are applied per request, drawn from a generator seeded
// with faults.seed; requests for /_emulator/ controls are never faulted.
//
// Threading: the handler is called on the server's threads, concurrently
// for different connections. Stop() (also run by the destructor) closes the
// listener and all connections and joins the threads; it must not be called
// from a handler.
#ifndef AWSGW_EMULATOR_HTTP_SERVER_H_
#define AWSGW_EMULATOR_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "emulator/fault_injection.h"
#include "http/http_message.h"

namespace awsgw::emulator {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  size_t body_limit = 8 * 1024 * 1024;
  absl::Duration idle_timeout = absl::Seconds(60);
  int threads = 2;
  FaultOptions faults;
};

class HttpServer {
 public:
  using Handler = std::function<http::HttpResponse(const http::HttpRequest&)>;

  // Binds and starts serving. INVALID_ARGUMENT for an address that is not a
  // loopback IP; UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                           Handler handler);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the chosen one when started with port 0).
  uint16_t port() const;

  // Stops accepting, closes connections, joins the threads. Idempotent.
  void Stop();

 private:
  struct State;
  explicit HttpServer(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_HTTP_SERVER_H_
