#include "gateway/aws_client/aws_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "boost/asio/steady_timer.hpp"
#include "gateway/aws_client/endpoints.h"

namespace awsgw::gateway::aws_client {

AwsClient::AwsClient(AwsClientOptions options, std::shared_ptr<http::client::HttpClient> http,
                     std::shared_ptr<auth::providers::CredentialsCache> credentials)
    : options_(std::move(options)),
      http_(std::move(http)),
      credentials_(std::move(credentials)),
      work_(boost::asio::make_work_guard(timers_)),
      timer_thread_([this] { timers_.run(); }) {}

AwsClient::~AwsClient() {
  {
    absl::WriterMutexLock lock(&liveness_->mu);
    liveness_->alive = false;
  }
  http_->Shutdown();
  work_.reset();
  timers_.stop();
  timer_thread_.join();
}

std::shared_ptr<AwsCall> AwsClient::Start(const translators::MethodEntry& method,
                                          std::unique_ptr<google::protobuf::Message> request,
                                          AwsCallParams params, AwsCall::Done done) {
  AwsCallContext* context = this;  // the only part of the client a call sees
  auto call = std::make_shared<AwsCall>(context, method, std::move(request), std::move(params),
                                        std::move(done));
  call->Start();
  return call;
}

absl::StatusOr<http::client::Endpoint> AwsClient::EndpointFor(const ServiceInfo& service,
                                                              const std::string& region) {
  const std::string key = absl::StrCat(service.model_name(), "|", region);
  {
    absl::MutexLock lock(&mu_);
    if (auto it = endpoints_.find(key); it != endpoints_.end()) return it->second;
  }
  absl::StatusOr<std::string> url = ResolveEndpoint(service, region, options_.endpoints);
  if (!url.ok()) return url.status();
  absl::StatusOr<http::client::Endpoint> endpoint = http::client::Endpoint::Parse(*url);
  if (!endpoint.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "endpoint of ", service.service_id(), " is unusable: ", endpoint.status().message()));
  }
  absl::MutexLock lock(&mu_);
  endpoints_.emplace(key, *endpoint);
  return *endpoint;
}

CallLimits AwsClient::LimitsFor(const std::string& region, const std::string& signing_name) {
  const std::string key = absl::StrCat(region, "|", signing_name);
  absl::MutexLock lock(&mu_);
  std::unique_ptr<SharedLimits>& limits = limits_[key];
  if (limits == nullptr) {
    limits = std::make_unique<SharedLimits>();
    limits->quota = std::make_unique<RetryQuota>(options_.retry);
    if (options_.retry.mode == RetrySettings::Mode::kAdaptive) {
      limits->limiter = std::make_unique<AdaptiveRateLimiter>();
    }
  }
  return {limits->quota.get(), limits->limiter.get()};
}

void AwsClient::GetCredentials(CredentialsDone done) {
  credentials_->Get([liveness = liveness_, done = std::move(done)](
                        absl::StatusOr<auth::Credentials> credentials) mutable {
    absl::ReaderMutexLock lock(&liveness->mu);
    // A call given an error finishes without touching its context.
    if (!liveness->alive) {
      return done(absl::UnavailableError("the gateway is shutting down: the call was not sent"));
    }
    done(std::move(credentials));
  });
}

absl::StatusOr<auth::SigningResult> AwsClient::Sign(http::HttpRequest& request,
                                                    const auth::Credentials& credentials,
                                                    const auth::SigningConfig& config) const {
  return signer_.Sign(request, credentials, config);
}

std::shared_ptr<http::client::PendingRequest> AwsClient::Send(
    const http::client::Endpoint& endpoint, http::HttpRequest request,
    const http::client::CallOptions& options, http::client::HttpClient::Done done) {
  return http_->Send(endpoint, std::move(request), options, std::move(done));
}

AwsCallContext::CancelTimer AwsClient::RunAfter(absl::Duration delay,
                                                absl::AnyInvocable<void()> then) {
  auto timer = std::make_shared<boost::asio::steady_timer>(
      timers_, std::chrono::nanoseconds(absl::ToInt64Nanoseconds(delay)));
  // The handler keeps the timer alive until it has run (or was cancelled).
  timer->async_wait([timer, then = std::move(then)](const boost::system::error_code& ec) mutable {
    if (!ec) then();
  });
  // A timer is not safe to touch from two threads at once, and Cancel() runs
  // on any thread: the cancel goes to the timer thread, in order with the
  // timer's own handler. If the timer fires first, the call, already
  // cancelled, sends nothing.
  std::weak_ptr<boost::asio::steady_timer> weak = timer;
  return [this, weak] {
    boost::asio::post(timers_, [weak] {
      if (std::shared_ptr<boost::asio::steady_timer> t = weak.lock()) t->cancel();
    });
  };
}

}  // namespace awsgw::gateway::aws_client
