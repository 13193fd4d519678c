// HttpClient: sends http::HttpRequest messages to AWS endpoints over pooled
// HTTPS (or loopback http) connections, asynchronously, and hands back an
// http::HttpResponse. The last stage of a unary call: translators build the
// request, the signer signs it, HttpClient sends it.
//
// What it does and does not do:
//   * sends the request as given (wire-form path, query and headers, in
//     order); adds only Host when missing and Content-Length for a body;
//   * verifies TLS certificates and host names against the system store plus
//     an optional extra CA bundle, with SNI; plain http only to loopback;
//   * keeps connections alive per (scheme, host, port), capped, with a
//     bounded queue of waiting calls; closes idle ones after a timeout;
//   * retries exactly once, on a fresh connection, a request whose reused
//     keep-alive connection failed before any response byte, and only if
//     the request never fully left or CallOptions::resend_safe says a second
//     copy cannot act twice; nothing else is retried here (the retry layer
//     owns retry policy);
//   * tunnels through an HTTP CONNECT proxy per ProxyConfig.
// Any HTTP status is a successful call: a 503 is an OK StatusOr holding a
// response with status 503.
//
// Threading: Send(), Stats() and PendingRequest::Cancel() are thread-safe and
// never block, so they may be called from gRPC callback threads. `done`
// always runs exactly once, on one of the client's threads; it should not
// block either (it holds up other calls' completions).
//
// Example:
//   auto client = HttpClient::Create(HttpClientOptions{});
//   auto endpoint = Endpoint::Parse("https://ecs.us-east-1.amazonaws.com");
//   request.headers.push_back({"Host", endpoint->HostHeader()});
//   signer.Sign(request);  // signs Host; the client adds none then
//   CallOptions options{.deadline = absl::Now() + absl::Seconds(30)};
//   std::shared_ptr<PendingRequest> call = (*client)->Send(
//       *endpoint, std::move(request), options,
//       [](absl::StatusOr<http::HttpResponse> response) { ... });
//   call->Cancel();  // if the gRPC caller goes away
#ifndef AWSGW_HTTP_CLIENT_HTTP_CLIENT_H_
#define AWSGW_HTTP_CLIENT_HTTP_CLIENT_H_

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "http/client/client_options.h"
#include "http/client/client_stats.h"
#include "http/client/endpoint.h"
#include "http/client/transport_status.h"
#include "http/http_message.h"

namespace awsgw::http::client {

// The caller's handle on a call in flight.
class PendingRequest {
 public:
  virtual ~PendingRequest() = default;
  // Ends the call with CANCELLED unless it already ended: `done` runs with
  // CANCELLED (or with the result that won the race). Idempotent, thread-safe,
  // non-blocking; a no-op after the call ended.
  virtual void Cancel() = 0;
};

class ClientState;
class IdleSweeper;

class HttpClient {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<http::HttpResponse>)>;

  // Starts `options.threads` threads. Returns INVALID_ARGUMENT for
  // out-of-range options or an unreadable extra CA bundle, INTERNAL when
  // OpenSSL cannot set up.
  static absl::StatusOr<std::unique_ptr<HttpClient>> Create(HttpClientOptions options);

  // Calls Shutdown(). Must not run on one of the client's threads (not from a
  // `done` callback).
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` to `endpoint` (path prefixed with endpoint.base_path,
  // query appended). `done` runs exactly once, on a client thread, never
  // inside Send() (except after Shutdown(): then inline, with UNAVAILABLE,
  // since no client thread is left). Failures, each carrying the kRequestSentPayload flag (see
  // transport_status.h: RequestMayHaveBeenSent):
  //   INVALID_ARGUMENT   bad endpoint (plain http to a non-loopback host, no
  //                      host, ...), unsendable request (see ToWireRequest),
  //                      malformed proxy setting. Nothing is sent.
  //   UNAVAILABLE        DNS, connect, proxy, TLS (verification included),
  //                      connection reset or closed, malformed response, a
  //                      connect/handshake timeout, the client shutting down.
  //                      The message names the stage and host, never a
  //                      header value.
  //   DEADLINE_EXCEEDED  options.deadline passed (in the queue included).
  //   CANCELLED          PendingRequest::Cancel().
  //   RESOURCE_EXHAUSTED queue of calls waiting for a connection is full, or
  //                      the response exceeds a size limit (named).
  // The returned handle may be dropped; the call goes on.
  std::shared_ptr<PendingRequest> Send(const Endpoint& endpoint, http::HttpRequest request,
                                       const CallOptions& options, Done done);

  // Counters and gauges at this moment.
  HttpClientStats Stats() const;

  // Stops accepting calls (later Send()s fail with UNAVAILABLE), ends calls
  // in flight with UNAVAILABLE (their `done` runs), closes connections and
  // joins the threads. Blocks: call it from the owner's thread, never from
  // a `done` callback. Idempotent.
  void Shutdown();

 private:
  HttpClient(HttpClientOptions options, std::shared_ptr<boost::asio::ssl::context> tls);

  // Declared first, destroyed last: every Asio object below (and every call
  // or connection its pending handlers keep alive) dies before it.
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::shared_ptr<ClientState> state_;
  std::shared_ptr<IdleSweeper> sweeper_;

  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_HTTP_CLIENT_H_
