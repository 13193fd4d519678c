// OutboundRequest: one HttpClient::Send from start to `done`: waits for a pooled
// connection, connects it when new, runs the exchange, retries once on a fresh
// connection when a reused one turns out to be dead, and enforces the
// deadline and cancellation.
//
// Lifetime and threading: held by std::shared_ptr; every step runs on the
// call's own strand and holds shared_from_this(). The caller's handle
// (PendingRequest) holds only a weak_ptr. `done` runs exactly once, on the
// strand (a client thread); if the io_context is torn down with the call
// still pending, the destructor runs it with UNAVAILABLE instead.
#ifndef AWSGW_HTTP_CLIENT_OUTBOUND_REQUEST_H_
#define AWSGW_HTTP_CLIENT_OUTBOUND_REQUEST_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <memory>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "http/client/client_options.h"
#include "http/client/connection.h"
#include "http/client/connection_pool.h"
#include "http/client/wire_request.h"
#include "http/http_message.h"

namespace awsgw::http::client {

using DoneCallback = absl::AnyInvocable<void(absl::StatusOr<http::HttpResponse>)>;

class OutboundRequest : public std::enable_shared_from_this<OutboundRequest> {
 public:
  struct Params {
    uint64_t id = 0;
    std::shared_ptr<ConnectionPool> pool;
    std::shared_ptr<const WireRequest> request;
    uint64_t max_response_bytes = 0;
    absl::Time deadline = absl::InfiniteFuture();
    // CallOptions::resend_safe: the stale-connection resend may repeat a
    // request the server may have received.
    bool resend_safe = false;
    Clock clock;
    std::string host;  // "host:port", for messages
    DoneCallback done;
    // Runs once, just before `done`: unregisters the call from its client.
    absl::AnyInvocable<void()> on_finished;
  };

  OutboundRequest(boost::asio::io_context& io, Params params);
  ~OutboundRequest();
  OutboundRequest(const OutboundRequest&) = delete;
  OutboundRequest& operator=(const OutboundRequest&) = delete;

  // Begins the call on its strand. Call once.
  void Start();

  // Ends the call with `reason` (CANCELLED for the caller, UNAVAILABLE at
  // shutdown) unless it already ended. Any thread.
  void Abort(absl::Status reason);

 private:
  enum class Phase { kQueued, kConnecting, kExchanging };

  void OnDeadline();
  void OnQueuedLease(absl::StatusOr<Lease> lease);
  void UseLease(Lease lease);
  void OnConnected(uint64_t attempt, absl::Status status);
  void SendRequest();
  void OnExchanged(uint64_t attempt, Connection::ExchangeResult result);
  void AbortNow(absl::Status reason);
  void ReleaseConnection(bool reusable);
  void Finish(absl::StatusOr<http::HttpResponse> result);
  absl::string_view PhaseName() const;

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer deadline_timer_;
  Params params_;

  // Touched only on strand_.
  Phase phase_ = Phase::kQueued;
  bool waiting_ = false;   // queued in the pool
  bool finished_ = false;  // `done` has run (or is running)
  bool sent_ = false;      // a whole request may have reached the server
  bool retried_ = false;   // the one stale-connection retry is spent
  bool reused_ = false;    // connection_ came idle from the pool
  uint64_t attempt_ = 0;   // completions of older attempts are ignored
  std::shared_ptr<Connection> connection_;
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_OUTBOUND_REQUEST_H_
