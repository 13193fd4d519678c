#include "gateway/aws_backend.h"

#include "absl/strings/str_cat.h"
#include "gateway/aws_call.h"

namespace awsgw::gateway {

AwsBackend::AwsBackend(BackendOptions options, std::shared_ptr<http_client::HttpClient> http,
                       std::shared_ptr<auth::CredentialsCache> credentials)
    : options_(std::move(options)),
      http_(std::move(http)),
      credentials_(std::move(credentials)),
      work_(boost::asio::make_work_guard(timers_)),
      timer_thread_([this] { timers_.run(); }) {}

AwsBackend::~AwsBackend() {
  http_->Shutdown();
  work_.reset();
  timers_.stop();
  timer_thread_.join();
}

std::shared_ptr<AwsCall> AwsBackend::Call(const MethodEntry& method,
                                          std::unique_ptr<google::protobuf::Message> request,
                                          CallParams params, Done done) {
  auto call = std::make_shared<AwsCall>(this, method, std::move(request), std::move(params),
                                        std::move(done));
  call->Start();
  return call;
}

absl::StatusOr<http_client::Endpoint> AwsBackend::EndpointFor(const ServiceInfo& service,
                                                              const std::string& region) {
  const std::string key = absl::StrCat(service.model_name(), "|", region);
  {
    absl::MutexLock lock(&mu_);
    if (auto it = endpoints_.find(key); it != endpoints_.end()) return it->second;
  }
  absl::StatusOr<std::string> url = ResolveEndpoint(service, region, options_.endpoints);
  if (!url.ok()) return url.status();
  absl::StatusOr<http_client::Endpoint> endpoint = http_client::Endpoint::Parse(*url);
  if (!endpoint.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "endpoint of ", service.service_id(), " is unusable: ", endpoint.status().message()));
  }
  absl::MutexLock lock(&mu_);
  endpoints_.emplace(key, *endpoint);
  return *endpoint;
}

AwsBackend::SharedLimits& AwsBackend::LimitsFor(const std::string& region,
                                                const std::string& service) {
  const std::string key = absl::StrCat(region, "|", service);
  absl::MutexLock lock(&mu_);
  std::unique_ptr<SharedLimits>& limits = limits_[key];
  if (limits == nullptr) {
    limits = std::make_unique<SharedLimits>();
    limits->quota = std::make_unique<RetryQuota>(options_.retry);
    if (options_.retry.mode == RetrySettings::Mode::kAdaptive) {
      limits->limiter = std::make_unique<AdaptiveRateLimiter>();
    }
  }
  return *limits;
}

}  // namespace awsgw::gateway
