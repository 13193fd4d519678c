#include "auth/identity/jwks_url_source.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "http/http_message.h"

namespace awsgw::auth::identity {
namespace {

// Extra wait for the client's own deadline to fire before giving up on it.
constexpr absl::Duration kCallbackGrace = absl::Seconds(5);

// Where one fetch's result lands. Shared with the HTTP callback, so the
// callback never touches the source (which may be gone by then).
struct FetchWaiter {
  absl::Mutex mu;
  bool done ABSL_GUARDED_BY(mu) = false;
  absl::StatusOr<http::HttpResponse> response ABSL_GUARDED_BY(mu) =
      absl::UnknownError("no response");
};

}  // namespace

absl::StatusOr<std::unique_ptr<UrlKeySource>> UrlKeySource::Create(
    UrlKeySourceOptions options, std::shared_ptr<http::client::HttpClient> http) {
  auto fail = [&options](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("JWKS URL ", options.url, ": ", why));
  };
  if (http == nullptr) return fail("no HTTP client");
  if (options.refresh_interval <= absl::ZeroDuration() ||
      options.min_refresh_interval < absl::ZeroDuration() ||
      options.fetch_timeout <= absl::ZeroDuration() ||
      options.min_backoff <= absl::ZeroDuration() || options.max_backoff < options.min_backoff) {
    return fail("intervals must be positive");
  }
  const absl::string_view url = options.url;
  const bool https = absl::StartsWith(url, "https://");
  if (!https && !absl::StartsWith(url, "http://")) return fail("not an https:// URL");
  if (absl::StrContains(url, '#')) return fail("a fragment is not allowed");
  const size_t authority_start = url.find("://") + 3;
  const size_t authority_end = url.find_first_of("/?", authority_start);
  absl::StatusOr<http::client::Endpoint> endpoint =
      http::client::Endpoint::Parse(url.substr(0, authority_end));
  if (!endpoint.ok()) return fail(endpoint.status().message());
  if (!https && (!options.allow_plaintext || !http::client::IsLoopbackHost(endpoint->host))) {
    return fail("plain http is only allowed to loopback, with allow_plaintext");
  }
  absl::string_view target =
      authority_end == absl::string_view::npos ? "" : url.substr(authority_end);
  std::string request_target = absl::StrCat(absl::StartsWith(target, "/") ? "" : "/", target);
  return std::unique_ptr<UrlKeySource>(new UrlKeySource(
      std::move(options), std::move(http), *std::move(endpoint), std::move(request_target)));
}

UrlKeySource::UrlKeySource(UrlKeySourceOptions options,
                           std::shared_ptr<http::client::HttpClient> http,
                           http::client::Endpoint endpoint, std::string target)
    : options_(std::move(options)),
      http_(std::move(http)),
      endpoint_(std::move(endpoint)),
      target_(std::move(target)),
      loop_(
          RefreshLoopOptions{.interval = options_.refresh_interval,
                             .min_interval = options_.min_refresh_interval,
                             .min_backoff = options_.min_backoff,
                             .max_backoff = options_.max_backoff},
          [this] { return Fetch(); },
          [this](const absl::Status& status) {
            if (options_.on_fetch) options_.on_fetch(status);
          }) {}

UrlKeySource::~UrlKeySource() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (pending_ != nullptr) pending_->Cancel();  // its callback ends the loop's wait
  }
  loop_.Stop();
}

absl::Status UrlKeySource::Start(absl::Duration timeout) {
  loop_.Start(/*fetch_now=*/true);
  return loop_.AwaitFirstResult(timeout);
}

std::shared_ptr<const JsonWebKeySet> UrlKeySource::Current() const {
  absl::MutexLock lock(&mu_);
  return keys_;
}

void UrlKeySource::RequestRefresh() { loop_.RequestRefresh(); }

absl::Status UrlKeySource::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

RefreshLoopStats UrlKeySource::Stats() const { return loop_.Stats(); }

absl::Status UrlKeySource::Fetch() {
  absl::Status status = FetchOnce();
  absl::MutexLock lock(&mu_);
  last_error_ = status;
  return status;
}

absl::Status UrlKeySource::FetchOnce() {
  const std::string source = absl::StrCat("JWKS ", options_.url);
  http::HttpRequest request;
  request.method = "GET";
  http::SetRequestTarget(request, target_);
  request.headers.push_back({"Host", endpoint_.HostHeader()});
  request.headers.push_back({"Accept", "application/json"});
  request.headers.push_back({"User-Agent", "aws-grpc-gateway"});
  http::client::CallOptions call;
  call.deadline = absl::Now() + options_.fetch_timeout;
  call.max_response_bytes = options_.max_body_bytes;
  call.resend_safe = true;  // a GET

  auto waiter = std::make_shared<FetchWaiter>();
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::CancelledError(absl::StrCat(source, ": shutting down"));
    pending_ = http_->Send(endpoint_, std::move(request), call,
                           [waiter](absl::StatusOr<http::HttpResponse> response) {
                             absl::MutexLock lock(&waiter->mu);
                             waiter->response = std::move(response);
                             waiter->done = true;
                           });
  }
  absl::StatusOr<http::HttpResponse> response = absl::UnknownError("no response");
  {
    absl::MutexLock lock(&waiter->mu);
    if (!waiter->mu.AwaitWithTimeout(absl::Condition(&waiter->done),
                                     options_.fetch_timeout + kCallbackGrace)) {
      response = absl::DeadlineExceededError("no answer in time");
    } else {
      response = std::move(waiter->response);
    }
  }
  {
    absl::MutexLock lock(&mu_);
    pending_.reset();
  }
  if (!response.ok()) {
    return absl::UnavailableError(absl::StrCat(source, ": ", response.status().message()));
  }
  if (response->status != 200) {
    return absl::UnavailableError(absl::StrCat(source, ": HTTP ", response->status));
  }
  if (response->body.size() > options_.max_body_bytes) {
    return absl::UnavailableError(
        absl::StrCat(source, ": body over ", options_.max_body_bytes, " bytes"));
  }
  absl::StatusOr<JsonWebKeySet> keys = JsonWebKeySet::Parse(response->body);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", keys.status().message()));
  }
  absl::MutexLock lock(&mu_);
  keys_ = std::make_shared<const JsonWebKeySet>(*std::move(keys));
  return absl::OkStatus();
}

}  // namespace awsgw::auth::identity
