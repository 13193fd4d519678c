#include "auth/providers/sts_client.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/providers/metadata_http.h"
#include "auth/providers/sts_xml.h"
#include "base/secret_redaction.h"
#include "http/uri_encoding.h"

namespace awsgw::auth::providers {
namespace {

constexpr absl::Duration kTimeout = absl::Seconds(10);

void AppendParam(std::string& body, absl::string_view key, absl::string_view value) {
  if (!body.empty()) body.push_back('&');
  absl::StrAppend(&body, http::UriEncode(key), "=", http::UriEncode(value));
}

std::string RoleForm(absl::string_view action, const AssumeRoleParams& params) {
  std::string body;
  AppendParam(body, "Action", action);
  AppendParam(body, "Version", "2011-06-15");
  AppendParam(body, "RoleArn", params.role_arn);
  AppendParam(body, "RoleSessionName", params.session_name);
  if (params.duration_seconds.has_value()) {
    AppendParam(body, "DurationSeconds", absl::StrCat(*params.duration_seconds));
  }
  return body;
}

// An STS error as a status: access problems are PERMISSION_DENIED, the rest
// UNAVAILABLE (the cache retries those).
// STS's message may quote what signed the request (a signature error quotes
// the canonical request, session token included) or the web identity token:
// `secrets` are redacted from it, with anything else credential-like.
absl::Status StsFailure(absl::string_view action, int http_status, absl::string_view xml,
                        const std::vector<SecretString>& secrets) {
  StsError error = ParseStsError(xml);
  std::vector<absl::string_view> known;
  for (const SecretString& secret : secrets) known.push_back(secret.view());
  std::string message =
      error.code.empty()
          ? absl::StrCat("STS ", action, " failed: HTTP ", http_status)
          : base::RedactSecrets(
                absl::StrCat("STS ", action, " failed: ", error.code, ": ", error.message), known);
  if (http_status == 403 || error.code == "AccessDenied" || error.code == "InvalidIdentityToken" ||
      error.code == "ExpiredTokenException") {
    return absl::PermissionDeniedError(message);
  }
  return absl::UnavailableError(message);
}

}  // namespace

StsClient::StsClient(std::shared_ptr<http::client::HttpClient> http, StsEndpointResolver endpoint,
                     std::string region)
    : http_(std::move(http)),
      endpoint_(std::move(endpoint)),
      region_(region.empty() ? "us-east-1" : std::move(region)) {}

void StsClient::AssumeRole(const Credentials& source, const AssumeRoleParams& params,
                           CredentialsCallback done) const {
  std::string body = RoleForm("AssumeRole", params);
  if (!params.external_id.empty()) AppendParam(body, "ExternalId", params.external_id);
  Call("AssumeRole", std::move(body), &source,
       {SecretString(source.secret_access_key()), SecretString(source.session_token())},
       std::move(done));
}

void StsClient::AssumeRoleWithWebIdentity(absl::string_view web_identity_token,
                                          const AssumeRoleParams& params,
                                          CredentialsCallback done) const {
  std::string body = RoleForm("AssumeRoleWithWebIdentity", params);
  AppendParam(body, "WebIdentityToken", web_identity_token);
  Call("AssumeRoleWithWebIdentity", std::move(body), nullptr, {SecretString(web_identity_token)},
       std::move(done));
}

void StsClient::Call(absl::string_view action, std::string body, const Credentials* source,
                     std::vector<SecretString> secrets, CredentialsCallback done) const {
  absl::StatusOr<std::string> url = endpoint_(region_);
  if (!url.ok()) return done(url.status());
  absl::StatusOr<SplitUrl> split = ParseSplitUrl(*url, "STS endpoint");
  if (!split.ok()) return done(split.status());

  http::HttpRequest request;
  request.method = "POST";
  http::SetRequestTarget(request, split->target);
  request.headers.push_back({"Host", split->endpoint.HostHeader()});
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  request.headers.push_back({"User-Agent", "aws-grpc-gateway"});
  request.body = std::move(body);
  if (source != nullptr) {
    SigningConfig config;
    config.region = region_;
    config.service = "sts";
    config.signing_time = absl::Now();
    absl::StatusOr<SigningResult> signed_request = signer_.Sign(request, *source, config);
    if (!signed_request.ok()) return done(signed_request.status());
  }
  http::client::CallOptions options;
  options.deadline = absl::Now() + kTimeout;
  // Assuming a role twice only issues a second set of temporary keys.
  options.resend_safe = true;
  http_->Send(split->endpoint, std::move(request), options,
              [action = std::string(action), secrets = std::move(secrets),
               done = std::move(done)](absl::StatusOr<http::HttpResponse> response) mutable {
                if (!response.ok()) {
                  return done(absl::Status(
                      response.status().code(),
                      absl::StrCat("STS ", action, ": ", response.status().message())));
                }
                if (response->status != 200) {
                  return done(StsFailure(action, response->status, response->body, secrets));
                }
                done(ParseStsCredentials(response->body, action));
              });
}

}  // namespace awsgw::auth::providers
