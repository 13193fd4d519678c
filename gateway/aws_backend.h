// Everything a call to AWS needs, shared by all calls: credentials, the
// signer, endpoints, the HTTP client, retry quotas and a timer executor.
//
// One AwsBackend per gateway process. Call() runs one AWS operation:
// validate -> idempotency tokens -> encode -> (sign -> send -> decode or
// retry)* -> done. It never blocks the calling thread; `done` runs once, on a
// backend thread.
#ifndef AWSGW_GATEWAY_AWS_BACKEND_H_
#define AWSGW_GATEWAY_AWS_BACKEND_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "auth/credentials.h"
#include "auth/providers/credentials_cache.h"
#include "auth/sigv4_signer.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "gateway/adaptive_rate_limiter.h"
#include "gateway/endpoints.h"
#include "gateway/http_client/http_client.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/retry_policy.h"
#include "gateway/service_catalog.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace awsgw::gateway {

struct BackendOptions {
  std::string region;
  EndpointSettings endpoints;
  RetrySettings retry;
  // Bounds a call whose caller set no deadline.
  absl::Duration default_timeout = absl::Seconds(60);
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  std::function<double()> random;     // [0, 1); defaults to a thread-local generator
  std::function<std::string()> uuid;  // idempotency tokens; defaults to RandomUuid
  // Where attempts, retries and throttles are counted; may be null. Not owned.
  GatewayMetrics* metrics = nullptr;
};

// What a finished call hands back.
struct CallResult {
  grpc::Status status;
  std::unique_ptr<google::protobuf::Message> response;  // set when status is OK
  std::string aws_request_id;
  int attempts = 0;
};

struct CallParams {
  absl::Time deadline = absl::InfiniteFuture();
  // Empty: the backend's region.
  std::string region;
};

class AwsCall;

class AwsBackend {
 public:
  // `http` sends every AWS request; `credentials` signs them. The backend
  // shuts `http` down when it goes.
  AwsBackend(BackendOptions options, std::shared_ptr<http_client::HttpClient> http,
             std::shared_ptr<auth::CredentialsCache> credentials);
  ~AwsBackend();

  using Done = absl::AnyInvocable<void(CallResult)>;

  // Runs `method` with `request` (which the backend keeps until done).
  // Returns a handle whose Cancel() aborts the call (done then reports
  // CANCELLED).
  std::shared_ptr<AwsCall> Call(const MethodEntry& method,
                                std::unique_ptr<google::protobuf::Message> request,
                                CallParams params, Done done);

  // The default region of calls ("" when none is configured).
  const std::string& region() const { return options_.region; }
  GatewayMetrics* metrics() const { return options_.metrics; }

 private:
  friend class AwsCall;
  // The endpoint of `service` in `region`, resolved once per pair.
  absl::StatusOr<http_client::Endpoint> EndpointFor(const ServiceInfo& service,
                                                    const std::string& region);
  // What every caller shares per (identity, region, service): the retry
  // quota, and in adaptive mode the rate limiter (else null). A backend signs
  // with one credentials source, so the identity is the backend's own (not
  // the key id, which changes with every refresh of temporary credentials).
  struct SharedLimits {
    std::unique_ptr<RetryQuota> quota;
    std::unique_ptr<AdaptiveRateLimiter> limiter;
  };
  SharedLimits& LimitsFor(const std::string& region, const std::string& service);

  BackendOptions options_;
  std::shared_ptr<http_client::HttpClient> http_;
  std::shared_ptr<auth::CredentialsCache> credentials_;
  auth::Sigv4Signer signer_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, http_client::Endpoint> endpoints_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::unique_ptr<SharedLimits>> limits_ ABSL_GUARDED_BY(mu_);

  // Retry backoff timers.
  boost::asio::io_context timers_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread timer_thread_;
};

}  // namespace awsgw::gateway

#endif  // AWSGW_GATEWAY_AWS_BACKEND_H_
