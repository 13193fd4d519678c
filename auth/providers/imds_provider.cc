#include "auth/providers/imds_provider.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "auth/providers/credentials_json.h"

namespace awsgw::auth::providers {
namespace {

constexpr absl::string_view kSource = "instance metadata (IMDSv2)";
constexpr absl::Duration kTimeout = absl::Seconds(2);
constexpr absl::string_view kCredentialsPath = "/latest/meta-data/iam/security-credentials/";
// Six hours, the SDKs' token lifetime.
constexpr absl::string_view kTokenTtlSeconds = "21600";

}  // namespace

ImdsProvider::ImdsProvider(SplitUrl base, std::shared_ptr<http::client::HttpClient> http)
    : base_(std::move(base)), http_(std::move(http)) {}

absl::StatusOr<std::optional<std::shared_ptr<ImdsProvider>>> ImdsProvider::FromEnvironment(
    const EnvLookup& env, std::shared_ptr<http::client::HttpClient> http) {
  if (absl::EqualsIgnoreCase(env("AWS_EC2_METADATA_DISABLED").value_or(""), "true")) {
    return std::nullopt;
  }
  std::string url = env("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("");
  if (url.empty()) {
    url = absl::EqualsIgnoreCase(env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or(""), "IPv6")
              ? "http://[fd00:ec2::254]"
              : "http://169.254.169.254";
  }
  absl::StatusOr<SplitUrl> base = ParseSplitUrl(url, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (!base.ok()) return base.status();
  return std::shared_ptr<ImdsProvider>(new ImdsProvider(*std::move(base), std::move(http)));
}

void ImdsProvider::Get(const std::string& path, const std::string& token, HttpResult done) {
  http::HttpRequest request;
  request.method = "GET";
  request.headers.push_back({"X-aws-ec2-metadata-token", token});
  SplitUrl url = base_;
  url.target = absl::StrCat(absl::StripSuffix(base_.target, "/"), path);
  SendExpectingSuccess(*http_, url, std::move(request), kTimeout, std::string(kSource),
                       std::move(done));
}

void ImdsProvider::Fetch(CredentialsCallback done) {
  http::HttpRequest token_request;
  token_request.method = "PUT";
  token_request.headers.push_back(
      {"X-aws-ec2-metadata-token-ttl-seconds", std::string(kTokenTtlSeconds)});
  SplitUrl url = base_;
  url.target = absl::StrCat(absl::StripSuffix(base_.target, "/"), "/latest/api/token");
  auto self = shared_from_this();
  SendExpectingSuccess(
      *http_, url, std::move(token_request), kTimeout, absl::StrCat(kSource, " token"),
      [self, done = std::move(done)](absl::StatusOr<http::HttpResponse> token) mutable {
        if (!token.ok()) return done(token.status());
        std::string token_value(absl::StripAsciiWhitespace(token->body));
        if (token_value.empty()) {
          return done(absl::UnavailableError(absl::StrCat(kSource, ": empty session token")));
        }
        self->Get(
            std::string(kCredentialsPath), token_value,
            [self, token_value,
             done = std::move(done)](absl::StatusOr<http::HttpResponse> roles) mutable {
              if (!roles.ok()) {
                if (absl::IsNotFound(roles.status())) {
                  return done(absl::UnavailableError(
                      absl::StrCat(kSource, ": the instance has no IAM role attached")));
                }
                return done(roles.status());
              }
              // One role name per line; an instance profile holds one.
              absl::string_view body = roles->body;
              std::string role(absl::StripAsciiWhitespace(body.substr(0, body.find('\n'))));
              if (role.empty() || role.find_first_of("/?#") != std::string::npos) {
                return done(
                    absl::UnavailableError(absl::StrCat(kSource, ": no usable IAM role name")));
              }
              self->Get(
                  absl::StrCat(kCredentialsPath, role), token_value,
                  [done = std::move(done)](absl::StatusOr<http::HttpResponse> response) mutable {
                    if (!response.ok()) return done(response.status());
                    done(ParseCredentialsJson(response->body, CredentialsJsonFormat::kMetadata,
                                              kSource));
                  });
            });
      });
}

}  // namespace awsgw::auth::providers
