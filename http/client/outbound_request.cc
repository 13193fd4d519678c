// The per-call state machine: queue -> [connect] -> exchange -> done, with
// one retry on a fresh connection when a reused one was dead.
#include "http/client/outbound_request.h"

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "http/client/transport_status.h"

namespace awsgw::http::client {

namespace asio = boost::asio;

OutboundRequest::OutboundRequest(asio::io_context& io, Params params)
    : strand_(asio::make_strand(io)), deadline_timer_(strand_), params_(std::move(params)) {}

OutboundRequest::~OutboundRequest() {
  // Only when the client's io_context dropped our handlers unrun (shutdown
  // timed out): keep the promise that `done` runs exactly once.
  if (!finished_ && params_.done) {
    finished_ = true;
    if (params_.on_finished) params_.on_finished();
    params_.done(WithRequestSent(absl::UnavailableError("HTTP client shut down"), sent_));
  }
}

absl::string_view OutboundRequest::PhaseName() const {
  switch (phase_) {
    case Phase::kQueued:
      return "waiting for a connection to";
    case Phase::kConnecting:
      return "connecting to";
    case Phase::kExchanging:
      return "waiting for the response from";
  }
  return "calling";
}

void OutboundRequest::Start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->finished_) return;
    const absl::Time now = self->params_.clock();
    if (now >= self->params_.deadline) {
      self->Finish(absl::DeadlineExceededError(
          absl::StrCat("deadline exceeded before the call to ", self->params_.host, " started")));
      return;
    }
    if (self->params_.deadline != absl::InfiniteFuture()) {
      // Capped so that the conversion cannot overflow.
      absl::Duration left = std::min(self->params_.deadline - now, absl::Hours(24 * 365));
      self->deadline_timer_.expires_after(absl::ToChronoNanoseconds(left));
      self->deadline_timer_.async_wait(
          asio::bind_executor(self->strand_, [self](const boost::system::error_code& ec) {
            if (!ec) self->OnDeadline();
          }));
    }
    absl::StatusOr<std::optional<Lease>> lease =
        self->params_.pool->Acquire(self->params_.id, [self](absl::StatusOr<Lease> queued) mutable {
          asio::post(self->strand_, [self, queued = std::move(queued)]() mutable {
            self->OnQueuedLease(std::move(queued));
          });
        });
    if (!lease.ok()) {
      self->Finish(lease.status());
    } else if (lease->has_value()) {
      self->UseLease(std::move(**lease));
    } else {
      self->waiting_ = true;
    }
  });
}

void OutboundRequest::Abort(absl::Status reason) {
  asio::post(strand_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
    self->AbortNow(std::move(reason));
  });
}

void OutboundRequest::OnDeadline() {
  if (finished_) return;
  AbortNow(absl::DeadlineExceededError(
      absl::StrCat("deadline exceeded ", PhaseName(), " ", params_.host)));
}

void OutboundRequest::AbortNow(absl::Status reason) {
  if (finished_) return;
  // Mid-exchange the write may have completed: count the request as sent.
  if (phase_ == Phase::kExchanging) sent_ = true;
  if (waiting_) {
    // False: the lease is already posted to us; OnQueuedLease gives it back.
    params_.pool->CancelWait(params_.id);
    waiting_ = false;
  }
  if (connection_ != nullptr) {
    connection_->Close();
    ReleaseConnection(false);
  }
  Finish(std::move(reason));
}

void OutboundRequest::OnQueuedLease(absl::StatusOr<Lease> lease) {
  waiting_ = false;
  if (finished_) {
    // Aborted while the lease was on its way: an idle connection goes back
    // untouched; a new, unconnected one frees its slot.
    if (lease.ok()) params_.pool->Release(std::move(lease->connection), lease->reused);
    return;
  }
  if (!lease.ok()) {
    Finish(lease.status());
    return;
  }
  UseLease(*std::move(lease));
}

void OutboundRequest::UseLease(Lease lease) {
  connection_ = std::move(lease.connection);
  reused_ = lease.reused;
  const uint64_t attempt = ++attempt_;
  if (reused_) {
    SendRequest();
    return;
  }
  phase_ = Phase::kConnecting;
  connection_->Connect([self = shared_from_this(), attempt](absl::Status status) mutable {
    asio::post(self->strand_, [self, attempt, status = std::move(status)]() mutable {
      self->OnConnected(attempt, std::move(status));
    });
  });
}

void OutboundRequest::OnConnected(uint64_t attempt, absl::Status status) {
  if (finished_ || attempt != attempt_) return;  // aborted; lease already given back
  if (!status.ok()) {
    ReleaseConnection(false);
    Finish(std::move(status));
    return;
  }
  SendRequest();
}

void OutboundRequest::SendRequest() {
  phase_ = Phase::kExchanging;
  const uint64_t attempt = attempt_;
  connection_->Exchange(
      params_.request, params_.max_response_bytes,
      [self = shared_from_this(), attempt](Connection::ExchangeResult result) mutable {
        asio::post(self->strand_, [self, attempt, result = std::move(result)]() mutable {
          self->OnExchanged(attempt, std::move(result));
        });
      });
}

void OutboundRequest::OnExchanged(uint64_t attempt, Connection::ExchangeResult result) {
  if (finished_ || attempt != attempt_) return;
  // Sticky: once any attempt's whole request left, the server may have it.
  if (result.request_written) sent_ = true;
  if (result.response.ok()) {
    ReleaseConnection(result.reusable);
    Finish(std::move(result.response));
    return;
  }
  // A reused keep-alive connection that fails before any response byte was
  // most likely closed by the server while idle (the race every HTTP/1.1
  // client has): send once more on a fresh connection. Only then: a fresh
  // connection's failure, or one after response bytes, is the caller's
  // (the retry layer decides, knowing idempotency). And only when a second
  // copy cannot act twice: the request did not fully leave (the write
  // failed), or the caller says resending it is safe. A server that read
  // the whole request and then dropped the connection (crashed, reset,
  // restarted) may have acted on it.
  if (reused_ && !retried_ && !result.response_started &&
      (!result.request_written || params_.resend_safe) &&
      result.response.status().code() == absl::StatusCode::kUnavailable) {
    retried_ = true;
    UseLease(params_.pool->ReplaceStale(std::move(connection_)));
    return;
  }
  ReleaseConnection(false);
  Finish(std::move(result.response).status());
}

void OutboundRequest::ReleaseConnection(bool reusable) {
  if (connection_ == nullptr) return;
  params_.pool->Release(std::move(connection_), reusable);
  connection_.reset();
}

void OutboundRequest::Finish(absl::StatusOr<http::HttpResponse> result) {
  if (finished_) return;
  finished_ = true;
  deadline_timer_.cancel();
  params_.request.reset();
  DoneCallback done = std::move(params_.done);
  params_.done = nullptr;
  if (params_.on_finished) {
    absl::AnyInvocable<void()> on_finished = std::move(params_.on_finished);
    params_.on_finished = nullptr;
    on_finished();
  }
  if (!result.ok()) result = WithRequestSent(result.status(), sent_);
  done(std::move(result));
}

}  // namespace awsgw::http::client
