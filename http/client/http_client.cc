// HttpClient: threads, Send() validation and dispatch to an OutboundRequest, Stats() and
// an orderly Shutdown().
#include "http/client/http_client.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "http/client/client_state.h"
#include "http/client/idle_sweeper.h"
#include "http/client/outbound_request.h"
#include "http/client/tls_context.h"
#include "http/client/wire_request.h"

namespace awsgw::http::client {
namespace {

namespace asio = boost::asio;

// Calls in flight get this long to wind down at shutdown before the threads
// are stopped regardless (their `done` then runs from ~OutboundRequest).
constexpr absl::Duration kShutdownGrace = absl::Seconds(10);

class CallHandle : public PendingRequest {
 public:
  explicit CallHandle(std::weak_ptr<OutboundRequest> call) : call_(std::move(call)) {}
  void Cancel() override {
    if (std::shared_ptr<OutboundRequest> call = call_.lock()) {
      call->Abort(absl::CancelledError("call cancelled by the caller"));
    }
  }

 private:
  const std::weak_ptr<OutboundRequest> call_;
};

// A call that failed before it began: `done` runs on a client thread, or, if
// the io_context drops the handler unrun (shutdown), when it is destroyed.
class EarlyFailure {
 public:
  EarlyFailure(HttpClient::Done done, absl::Status status)
      : done_(std::move(done)), status_(std::move(status)) {}
  ~EarlyFailure() { Run(); }
  void Run() {
    if (!done_) return;
    HttpClient::Done done = std::move(done_);
    done_ = nullptr;
    done(std::move(status_));
  }

 private:
  HttpClient::Done done_;
  absl::Status status_;
};

absl::Status ValidateOptions(const HttpClientOptions& options) {
  if (options.threads < 1 || options.threads > 256) {
    return absl::InvalidArgumentError("threads must be 1-256");
  }
  if (options.max_connections_per_endpoint < 1) {
    return absl::InvalidArgumentError("max_connections_per_endpoint must be at least 1");
  }
  if (options.max_queued_calls_per_endpoint < 0) {
    return absl::InvalidArgumentError("max_queued_calls_per_endpoint must not be negative");
  }
  if (options.connect_timeout <= absl::ZeroDuration() ||
      options.tls_handshake_timeout <= absl::ZeroDuration() ||
      options.idle_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("timeouts must be positive");
  }
  if (options.max_response_bytes == 0 || options.max_response_header_bytes == 0) {
    return absl::InvalidArgumentError("response size limits must be positive");
  }
  if (!options.clock) return absl::InvalidArgumentError("clock must be set");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpClient>> HttpClient::Create(HttpClientOptions options) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  absl::StatusOr<std::shared_ptr<asio::ssl::context>> tls =
      MakeClientTlsContext(options.extra_ca_file);
  if (!tls.ok()) return tls.status();
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(options), *std::move(tls)));
}

HttpClient::HttpClient(HttpClientOptions options, std::shared_ptr<asio::ssl::context> tls)
    : io_(options.threads), work_(asio::make_work_guard(io_)) {
  const absl::Duration sweep_interval =
      std::clamp(options.idle_timeout / 4, absl::Milliseconds(10), absl::Seconds(1));
  const int threads = options.threads;
  state_ = std::make_shared<ClientState>(io_, std::move(options), std::move(tls));
  sweeper_ = std::make_shared<IdleSweeper>(io_, state_, sweep_interval);
  sweeper_->Start();
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

HttpClient::~HttpClient() { Shutdown(); }

std::shared_ptr<PendingRequest> HttpClient::Send(const Endpoint& endpoint,
                                                 http::HttpRequest request,
                                                 const CallOptions& options, Done done) {
  auto fail = [this, &done](absl::Status status) -> std::shared_ptr<PendingRequest> {
    auto failure =
        std::make_shared<EarlyFailure>(std::move(done), WithRequestSent(std::move(status), false));
    if (io_.stopped()) {
      failure->Run();  // after Shutdown() there is no client thread left
    } else {
      asio::post(io_, [failure] { failure->Run(); });
    }
    return std::make_shared<CallHandle>(std::weak_ptr<OutboundRequest>());
  };
  if (absl::Status valid = endpoint.Validate(); !valid.ok()) return fail(std::move(valid));
  absl::StatusOr<WireRequest> wire = ToWireRequest(endpoint, std::move(request));
  if (!wire.ok()) return fail(wire.status());
  absl::StatusOr<std::shared_ptr<ConnectionPool>> pool = state_->PoolFor(endpoint);
  if (!pool.ok()) return fail(pool.status());

  const HttpClientOptions& client_options = state_->options();
  OutboundRequest::Params params;
  params.id = state_->NextCallId();
  params.pool = *std::move(pool);
  params.request = std::make_shared<const WireRequest>(*std::move(wire));
  params.max_response_bytes =
      options.max_response_bytes.value_or(client_options.max_response_bytes);
  params.deadline = options.deadline;
  params.resend_safe = options.resend_safe;
  params.clock = client_options.clock;
  params.host = endpoint.Authority();
  params.done = std::move(done);
  params.on_finished = [state = state_, id = params.id] { state->Unregister(id); };
  const uint64_t id = params.id;
  auto call = std::make_shared<OutboundRequest>(io_, std::move(params));
  if (state_->Register(id, call)) {
    call->Start();
  } else {
    call->Abort(WithRequestSent(absl::UnavailableError("HTTP client is shutting down"), false));
  }
  return std::make_shared<CallHandle>(call);
}

HttpClientStats HttpClient::Stats() const { return state_->Stats(); }

void HttpClient::Shutdown() {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  for (const std::thread& thread : threads_) {
    if (thread.get_id() == std::this_thread::get_id()) {
      // Joining ourselves would deadlock; this is a caller bug.
      std::fputs("awsgw HttpClient::Shutdown called on a client thread\n", stderr);
      std::abort();
    }
  }
  const absl::Status shutting_down = absl::UnavailableError("HTTP client is shutting down");
  ClientState::ShutdownWork work = state_->BeginShutdown();
  for (const auto& pool : work.pools) pool->Shutdown(shutting_down);
  for (const auto& weak_call : work.calls) {
    if (std::shared_ptr<OutboundRequest> call = weak_call.lock()) call->Abort(shutting_down);
  }
  state_->AwaitNoCalls(kShutdownGrace);
  sweeper_->Stop();
  work_.reset();
  // Handlers still queued (closed sockets completing, a resolver) belong to
  // calls that have finished: no need to run them.
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  state_->DropPools();
}

}  // namespace awsgw::http::client
