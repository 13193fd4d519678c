#include "auth/providers/container_provider.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "auth/providers/credentials_json.h"

namespace awsgw::auth::providers {
namespace {

constexpr absl::string_view kSource = "container credentials endpoint";
constexpr absl::Duration kTimeout = absl::Seconds(5);

std::optional<std::string> NonEmpty(const EnvLookup& env, const char* name) {
  std::optional<std::string> value = env(name);
  return value.has_value() && !value->empty() ? value : std::nullopt;
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::UnavailableError(
        absl::StrCat(kSource, ": cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

}  // namespace

ContainerProvider::ContainerProvider(SplitUrl url, std::optional<std::string> token_file,
                                     std::optional<std::string> token,
                                     std::shared_ptr<http::client::HttpClient> http)
    : url_(std::move(url)),
      token_file_(std::move(token_file)),
      token_(std::move(token)),
      http_(std::move(http)) {}

absl::StatusOr<std::optional<std::unique_ptr<CredentialsProvider>>>
ContainerProvider::FromEnvironment(const EnvLookup& env,
                                   std::shared_ptr<http::client::HttpClient> http) {
  std::optional<std::string> relative = NonEmpty(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  std::optional<std::string> full = NonEmpty(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!relative.has_value() && !full.has_value()) return std::nullopt;
  absl::StatusOr<SplitUrl> url =
      relative.has_value()
          ? ParseSplitUrl(absl::StrCat("http://169.254.170.2",
                                       absl::StartsWith(*relative, "/") ? "" : "/", *relative),
                          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
          : ParseSplitUrl(*full, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!url.ok()) return url.status();
  std::optional<std::string> token = NonEmpty(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (token.has_value() && token->find_first_of("\r\n") != std::string::npos) {
    return absl::InvalidArgumentError("AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break");
  }
  return std::unique_ptr<CredentialsProvider>(new ContainerProvider(
      *std::move(url), NonEmpty(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"), std::move(token),
      std::move(http)));
}

void ContainerProvider::Fetch(CredentialsCallback done) {
  http::HttpRequest request;
  request.method = "GET";
  request.headers.push_back({"Accept", "application/json"});
  std::optional<std::string> token = token_;
  if (token_file_.has_value()) {
    absl::StatusOr<std::string> from_file = ReadTokenFile(*token_file_);
    if (!from_file.ok()) return done(from_file.status());
    token = *std::move(from_file);
  }
  if (token.has_value()) {
    if (token->find_first_of("\r\n") != std::string::npos) {
      return done(absl::UnavailableError(
          absl::StrCat(kSource, ": the authorization token contains a line break")));
    }
    request.headers.push_back({"Authorization", *token});
  }
  SendExpectingSuccess(
      *http_, url_, std::move(request), kTimeout, std::string(kSource),
      [done = std::move(done)](absl::StatusOr<http::HttpResponse> response) mutable {
        if (!response.ok()) return done(response.status());
        done(ParseCredentialsJson(response->body, CredentialsJsonFormat::kMetadata, kSource));
      });
}

}  // namespace awsgw::auth::providers
