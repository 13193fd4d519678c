// Small HTTP helpers shared by the providers that fetch credentials over
// HTTP (container endpoint, instance metadata, STS): URL splitting and a
// "send, expect 2xx" call whose errors name the source and never echo a
// body (bodies hold secrets).
#ifndef AWSGW_AUTH_PROVIDERS_METADATA_HTTP_H_
#define AWSGW_AUTH_PROVIDERS_METADATA_HTTP_H_

#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "http/client/endpoint.h"
#include "http/client/http_client.h"
#include "http/http_message.h"

namespace awsgw::auth::providers {

// An absolute URL split into where to connect and what to ask for.
struct SplitUrl {
  http::client::Endpoint endpoint;  // without base path
  std::string target;               // "/path?query", "/" when empty
};

// INVALID_ARGUMENT naming `what` for a URL that does not parse or that would
// send plain http anywhere but loopback or an AWS metadata address.
absl::StatusOr<SplitUrl> ParseSplitUrl(absl::string_view url, absl::string_view what);

using HttpResult = absl::AnyInvocable<void(absl::StatusOr<http::HttpResponse>)>;

// Sends `request` (target and Host set from `url`) and calls `done` with the
// response when its status is 2xx. Anything else is UNAVAILABLE "<source>:
// HTTP <status>" (NOT_FOUND for 404, PERMISSION_DENIED for 401/403), or the
// transport error prefixed with `source`.
void SendExpectingSuccess(http::client::HttpClient& client, const SplitUrl& url,
                          http::HttpRequest request, absl::Duration timeout, std::string source,
                          HttpResult done);

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_METADATA_HTTP_H_
