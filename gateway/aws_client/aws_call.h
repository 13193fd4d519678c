// One AWS operation in flight: its attempts, retries and cancellation.
//
// It reaches the client that started it only through AwsCallContext, so it
// can be tested against a fake HTTP sender, a fake clock and manual timers.
//
// Lifetime: shared, held by its async steps (credentials, HTTP completion,
// retry timer) and by whoever may cancel it; every async step keeps a
// reference. The context outlives the call, and must still be there when
// Cancel() is called.
// Threading: Start() on the caller's thread (never blocks), completions on
// HTTP client threads, retry timers on the context's timer thread, Cancel()
// from anywhere; `done` runs exactly once.
#ifndef AWSGW_GATEWAY_AWS_CLIENT_AWS_CALL_H_
#define AWSGW_GATEWAY_AWS_CLIENT_AWS_CALL_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/aws_client/aws_call_context.h"
#include "gateway/aws_client/retry_policy.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "translators/method_table.h"
#include "translators/protocol.h"

namespace awsgw::gateway::aws_client {

struct AwsCallParams {
  absl::Time deadline = absl::InfiniteFuture();
  // Empty: the client's region.
  std::string region;
};

// What a finished call hands back.
struct AwsCallResult {
  grpc::Status status;
  std::unique_ptr<google::protobuf::Message> response;  // set when status is OK
  std::string aws_request_id;
  int attempts = 0;
};

class AwsCall : public std::enable_shared_from_this<AwsCall> {
 public:
  using Done = absl::AnyInvocable<void(AwsCallResult)>;

  // `context` and `method` must outlive the call.
  AwsCall(AwsCallContext* context, const translators::MethodEntry& method,
          std::unique_ptr<google::protobuf::Message> request, AwsCallParams params, Done done);

  // Validates and encodes the request (finishing at once, before any I/O,
  // when the gateway can tell it is wrong), then sends the first attempt.
  void Start();
  // Ends the call with CANCELLED unless it already ended. Any thread.
  void Cancel();

 private:
  // Waits for the adaptive rate limiter if there is one, then Attempt().
  void PaceThenAttempt();
  // Gets credentials (possibly waiting for a refresh), then SendAttempt().
  void Attempt();
  // Runs `then` after `delay` on the context's timer, unless the call is
  // cancelled first.
  void After(absl::Duration delay, absl::AnyInvocable<void()> then);
  void SendAttempt(absl::StatusOr<auth::Credentials> credentials);
  void OnResponse(absl::StatusOr<http::HttpResponse> response);
  // Retries after the policy's delay if it allows one within the deadline;
  // else finishes with `final_status`.
  void RetryOr(const AttemptOutcome& outcome, grpc::Status final_status);
  void Finish(grpc::Status status, std::unique_ptr<google::protobuf::Message> response = nullptr);

  AwsCallContext* const context_;
  const AwsClientOptions& options_;
  const translators::MethodEntry& method_;
  const translators::Operation& op_;
  const translators::Protocol& protocol_;
  std::unique_ptr<google::protobuf::Message> request_;
  const AwsCallParams params_;
  Done done_;

  // Set by Start(), read-only afterwards.
  translators::EncodedRequest encoded_;
  http::client::Endpoint endpoint_;
  std::string region_;
  absl::Time deadline_;
  std::optional<RetryPolicy> policy_;
  // The credentials the current attempt was signed with: their secrets are
  // redacted from whatever AWS answers. Written before the attempt is sent,
  // read when its answer comes (after, on the HTTP client's thread).
  auth::Credentials signed_with_;
  // The operation is idempotent, read-only or carries an idempotency token:
  // a request AWS may have received can be sent again.
  bool safe_to_resend_ = false;
  AdaptiveRateLimiter* limiter_ = nullptr;  // adaptive mode only
  std::atomic<int> attempt_{0};
  // When the current attempt was sent (for the AWS round-trip metric).
  std::atomic<int64_t> attempt_sent_ns_{0};

  absl::Mutex mu_;
  std::string aws_request_id_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::shared_ptr<http::client::PendingRequest> pending_ ABSL_GUARDED_BY(mu_);
  AwsCallContext::CancelTimer cancel_timer_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::gateway::aws_client

#endif  // AWSGW_GATEWAY_AWS_CLIENT_AWS_CALL_H_
