// What one AwsCall may use of the client that started it, and nothing more:
// settings, endpoints, the shared retry budget, credentials, signing, the
// HTTP send and a timer. AwsClient implements it over its real parts; tests
// implement it with a fake HTTP sender, a fake clock and timers they fire.
//
// Threading: every method may be called from any thread, concurrently.
// Lifetime: the context outlives every call it started.
#ifndef AWSGW_GATEWAY_AWS_CLIENT_AWS_CALL_CONTEXT_H_
#define AWSGW_GATEWAY_AWS_CLIENT_AWS_CALL_CONTEXT_H_

#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/credentials.h"
#include "auth/signing_config.h"
#include "auth/sigv4_signer.h"
#include "awsgw/options.pb.h"
#include "gateway/aws_client/adaptive_rate_limiter.h"
#include "gateway/aws_client/aws_client_options.h"
#include "gateway/aws_client/retry_policy.h"
#include "http/client/endpoint.h"
#include "http/client/http_client.h"
#include "http/http_message.h"

namespace awsgw::gateway::aws_client {

// What every call to one (region, service) shares: the retry quota, and in
// adaptive retry mode the rate limiter (else null). Owned by the context.
struct CallLimits {
  RetryQuota* quota = nullptr;
  AdaptiveRateLimiter* limiter = nullptr;
};

class AwsCallContext {
 public:
  using CredentialsDone = absl::AnyInvocable<void(absl::StatusOr<auth::Credentials>)>;
  // Stops a timer from firing; a no-op once it fired. Any thread.
  using CancelTimer = absl::AnyInvocable<void()>;

  virtual ~AwsCallContext() = default;

  virtual const AwsClientOptions& options() const = 0;

  // The endpoint of `service` in `region`. INVALID_ARGUMENT for an
  // implausible region, FAILED_PRECONDITION for an unusable endpoint URL.
  virtual absl::StatusOr<http::client::Endpoint> EndpointFor(const ServiceInfo& service,
                                                             const std::string& region) = 0;

  // The limits shared by all calls to `signing_name` in `region`.
  virtual CallLimits LimitsFor(const std::string& region, const std::string& signing_name) = 0;

  // The credentials to sign with; `done` runs once, possibly inline or after
  // a refresh on another thread. If the context is gone by then, `done` gets
  // UNAVAILABLE (and the call must then touch nothing of the context).
  virtual void GetCredentials(CredentialsDone done) = 0;

  // Signs `request` in place (SigV4 headers added).
  virtual absl::StatusOr<auth::SigningResult> Sign(http::HttpRequest& request,
                                                   const auth::Credentials& credentials,
                                                   const auth::SigningConfig& config) const = 0;

  // Sends one attempt, with http::client::HttpClient::Send's contract.
  virtual std::shared_ptr<http::client::PendingRequest> Send(
      const http::client::Endpoint& endpoint, http::HttpRequest request,
      const http::client::CallOptions& options, http::client::HttpClient::Done done) = 0;

  // Runs `then` once after `delay`, on a thread of the context's, unless
  // cancelled first. Cancelling may lose a race with a timer already due:
  // `then` must tolerate running after its CancelTimer was called.
  virtual CancelTimer RunAfter(absl::Duration delay, absl::AnyInvocable<void()> then) = 0;
};

}  // namespace awsgw::gateway::aws_client

#endif  // AWSGW_GATEWAY_AWS_CLIENT_AWS_CALL_CONTEXT_H_
