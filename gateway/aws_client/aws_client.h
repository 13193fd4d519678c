// The gateway's AWS client: everything a call to AWS needs, shared by all
// calls: credentials, the signer, endpoints, the HTTP client, retry quotas
// and a timer thread.
//
// One AwsClient per gateway process. Start() runs one AWS operation (see
// aws_call.h): validate -> idempotency tokens -> encode -> (sign -> send ->
// decode or retry)* -> done. It never blocks the calling thread; `done` runs
// once: inside Start() for a call refused before any I/O, else on a client
// thread. Calls reach the client only through the AwsCallContext it
// implements, so the client must outlive every call it started (a late
// Cancel() included).
#ifndef AWSGW_GATEWAY_AWS_CLIENT_AWS_CLIENT_H_
#define AWSGW_GATEWAY_AWS_CLIENT_AWS_CLIENT_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "auth/providers/credentials_cache.h"
#include "auth/sigv4_signer.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "gateway/aws_client/adaptive_rate_limiter.h"
#include "gateway/aws_client/aws_call.h"
#include "gateway/aws_client/aws_call_context.h"
#include "gateway/aws_client/aws_client_options.h"
#include "gateway/aws_client/retry_policy.h"
#include "google/protobuf/message.h"
#include "http/client/http_client.h"
#include "translators/method_table.h"

namespace awsgw::gateway::aws_client {

class AwsClient : private AwsCallContext {
 public:
  // `http` sends every AWS request; `credentials` signs them. The client
  // shuts `http` down when it goes.
  AwsClient(AwsClientOptions options, std::shared_ptr<http::client::HttpClient> http,
            std::shared_ptr<auth::providers::CredentialsCache> credentials);
  ~AwsClient() override;

  // Runs `method` with `request` (which the call keeps until done).
  // Returns a handle whose Cancel() aborts the call (done then reports
  // CANCELLED).
  std::shared_ptr<AwsCall> Start(const translators::MethodEntry& method,
                                 std::unique_ptr<google::protobuf::Message> request,
                                 AwsCallParams params, AwsCall::Done done);

  // The default region of calls ("" when none is configured).
  const std::string& region() const { return options_.region; }
  observability::GatewayMetrics* metrics() const { return options_.metrics; }

 private:
  // AwsCallContext
  const AwsClientOptions& options() const override { return options_; }
  absl::StatusOr<http::client::Endpoint> EndpointFor(const ServiceInfo& service,
                                                     const std::string& region) override;
  CallLimits LimitsFor(const std::string& region, const std::string& signing_name) override;
  void GetCredentials(CredentialsDone done) override;
  absl::StatusOr<auth::SigningResult> Sign(http::HttpRequest& request,
                                           const auth::Credentials& credentials,
                                           const auth::SigningConfig& config) const override;
  std::shared_ptr<http::client::PendingRequest> Send(const http::client::Endpoint& endpoint,
                                                     http::HttpRequest request,
                                                     const http::client::CallOptions& options,
                                                     http::client::HttpClient::Done done) override;
  CancelTimer RunAfter(absl::Duration delay, absl::AnyInvocable<void()> then) override;

  // Per (region, service). A client signs with one credentials source, so
  // the identity is the client's own (not the key id, which changes with
  // every refresh of temporary credentials).
  struct SharedLimits {
    std::unique_ptr<RetryQuota> quota;
    std::unique_ptr<AdaptiveRateLimiter> limiter;
  };

  // Whether the client is still there, for the one answer that can outlive
  // it: the credentials cache is shared (readiness and metrics hold it too)
  // and may finish a refresh after ~AwsClient. Held (shared) by every
  // callback handed to the cache; ~AwsClient marks it gone under the writer
  // lock, so it also waits for a callback already using the client.
  struct Liveness {
    absl::Mutex mu;
    bool alive ABSL_GUARDED_BY(mu) = true;
  };

  AwsClientOptions options_;
  std::shared_ptr<Liveness> liveness_ = std::make_shared<Liveness>();
  std::shared_ptr<http::client::HttpClient> http_;
  std::shared_ptr<auth::providers::CredentialsCache> credentials_;
  auth::Sigv4Signer signer_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, http::client::Endpoint> endpoints_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::unique_ptr<SharedLimits>> limits_ ABSL_GUARDED_BY(mu_);

  // Retry backoff timers.
  boost::asio::io_context timers_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread timer_thread_;
};

}  // namespace awsgw::gateway::aws_client

#endif  // AWSGW_GATEWAY_AWS_CLIENT_AWS_CLIENT_H_
