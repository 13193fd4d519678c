// One AWS operation in flight: its attempts, retries and cancellation.
//
// Lifetime: shared, held by the backend's callbacks (HTTP completion, retry
// timer) and by whoever may cancel it; every async step keeps a reference.
// Threading: Start() on the caller's thread (never blocks), completions on
// HTTP client threads, retry timers on the backend's timer thread, Cancel()
// from anywhere; `done` runs exactly once.
#ifndef AWSGW_GATEWAY_AWS_CALL_H_
#define AWSGW_GATEWAY_AWS_CALL_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/steady_timer.hpp"
#include "gateway/aws_backend.h"
#include "translators/protocol.h"

namespace awsgw::gateway {

class AwsCall : public std::enable_shared_from_this<AwsCall> {
 public:
  AwsCall(AwsBackend* backend, const MethodEntry& method,
          std::unique_ptr<google::protobuf::Message> request, CallParams params,
          AwsBackend::Done done);

  void Start();
  void Cancel();

 private:
  // Waits for the adaptive rate limiter if there is one, then Attempt().
  void PaceThenAttempt();
  // Gets credentials (possibly waiting for a refresh), then SendAttempt().
  void Attempt();
  // Runs `then` after `delay` on the backend's timer thread, unless the call
  // is cancelled first.
  void After(absl::Duration delay, absl::AnyInvocable<void()> then);
  void SendAttempt(absl::StatusOr<auth::Credentials> credentials);
  void OnResponse(absl::StatusOr<http::HttpResponse> response);
  // Retries after the policy's delay if it allows one within the deadline;
  // else finishes with `final_status`.
  void RetryOr(const AttemptOutcome& outcome, grpc::Status final_status);
  void Finish(grpc::Status status, std::unique_ptr<google::protobuf::Message> response = nullptr);

  AwsBackend* const backend_;
  const MethodEntry& method_;
  const translators::Operation op_;
  const translators::Protocol& protocol_;
  std::unique_ptr<google::protobuf::Message> request_;
  const CallParams params_;
  AwsBackend::Done done_;

  // Set by Start(), read-only afterwards.
  translators::EncodedRequest encoded_;
  http_client::Endpoint endpoint_;
  std::string region_;
  absl::Time deadline_;
  std::optional<RetryPolicy> policy_;
  AdaptiveRateLimiter* limiter_ = nullptr;  // adaptive mode only
  std::atomic<int> attempt_{0};
  // When the current attempt was sent (for the AWS round-trip metric).
  std::atomic<int64_t> attempt_sent_ns_{0};

  absl::Mutex mu_;
  std::string aws_request_id_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::shared_ptr<http_client::PendingCall> pending_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<boost::asio::steady_timer> timer_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::gateway

#endif  // AWSGW_GATEWAY_AWS_CALL_H_
