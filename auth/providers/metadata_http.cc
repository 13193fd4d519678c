#include "auth/providers/metadata_http.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace awsgw::auth::providers {

absl::StatusOr<SplitUrl> ParseSplitUrl(absl::string_view url, absl::string_view what) {
  const size_t scheme_end = url.find("://");
  const size_t authority_start = scheme_end == absl::string_view::npos ? 0 : scheme_end + 3;
  const size_t authority_end = url.find_first_of("/?", authority_start);
  absl::StatusOr<http::client::Endpoint> endpoint =
      http::client::Endpoint::Parse(url.substr(0, authority_end));
  if (!endpoint.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", endpoint.status().message()));
  }
  absl::string_view target =
      authority_end == absl::string_view::npos ? "" : url.substr(authority_end);
  return SplitUrl{*std::move(endpoint),
                  absl::StrCat(absl::StartsWith(target, "/") ? "" : "/", target)};
}

void SendExpectingSuccess(http::client::HttpClient& client, const SplitUrl& url,
                          http::HttpRequest request, absl::Duration timeout, std::string source,
                          HttpResult done) {
  http::SetRequestTarget(request, url.target);
  http::SetHeader(request.headers, "Host", url.endpoint.HostHeader());
  http::client::CallOptions options;
  options.deadline = absl::Now() + timeout;
  // Metadata endpoints only read (the IMDSv2 token PUT included): a second
  // copy does no harm.
  options.resend_safe = true;
  client.Send(url.endpoint, std::move(request), options,
              [source = std::move(source),
               done = std::move(done)](absl::StatusOr<http::HttpResponse> response) mutable {
                if (!response.ok()) {
                  done(absl::Status(response.status().code(),
                                    absl::StrCat(source, ": ", response.status().message())));
                  return;
                }
                if (response->status >= 200 && response->status < 300) {
                  done(std::move(response));
                  return;
                }
                std::string message = absl::StrCat(source, ": HTTP ", response->status);
                switch (response->status) {
                  case 404:
                    done(absl::NotFoundError(message));
                    return;
                  case 401:
                  case 403:
                    done(absl::PermissionDeniedError(message));
                    return;
                  default:
                    done(absl::UnavailableError(message));
                }
              });
}

}  // namespace awsgw::auth::providers
