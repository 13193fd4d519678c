#include "auth/providers/role_providers.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace awsgw::auth::providers {

std::string DefaultRoleSessionName() {
  return absl::StrCat("aws-grpc-gateway-", absl::ToUnixMillis(absl::Now()));
}

AssumeRoleProvider::AssumeRoleProvider(std::shared_ptr<CredentialsProvider> source,
                                       AssumeRoleParams params,
                                       std::shared_ptr<const StsClient> sts,
                                       std::string description)
    : source_(std::move(source)),
      params_(std::move(params)),
      sts_(std::move(sts)),
      description_(std::move(description)) {}

void AssumeRoleProvider::Fetch(CredentialsCallback done) {
  AssumeRoleParams params = params_;
  if (params.session_name.empty()) params.session_name = DefaultRoleSessionName();
  source_->Fetch([sts = sts_, params = std::move(params), description = description_,
                  done = std::move(done)](absl::StatusOr<Credentials> source) mutable {
    if (!source.ok()) {
      return done(absl::Status(
          source.status().code(),
          absl::StrCat(description, ": source credentials: ", source.status().message())));
    }
    sts->AssumeRole(*source, params, std::move(done));
  });
}

WebIdentityProvider::WebIdentityProvider(std::string token_file, AssumeRoleParams params,
                                         std::shared_ptr<const StsClient> sts,
                                         std::string description)
    : token_file_(std::move(token_file)),
      params_(std::move(params)),
      sts_(std::move(sts)),
      description_(std::move(description)) {}

absl::StatusOr<std::optional<std::unique_ptr<CredentialsProvider>>>
WebIdentityProvider::FromEnvironment(const EnvLookup& env, std::shared_ptr<const StsClient> sts) {
  std::string token_file = env("AWS_WEB_IDENTITY_TOKEN_FILE").value_or("");
  if (token_file.empty()) return std::nullopt;
  AssumeRoleParams params;
  params.role_arn = env("AWS_ROLE_ARN").value_or("");
  if (params.role_arn.empty()) {
    return absl::InvalidArgumentError("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
  }
  params.session_name = env("AWS_ROLE_SESSION_NAME").value_or("");
  return std::make_unique<WebIdentityProvider>(std::move(token_file), std::move(params),
                                               std::move(sts), "web identity (environment)");
}

void WebIdentityProvider::Fetch(CredentialsCallback done) {
  std::ifstream in(token_file_, std::ios::binary);
  if (!in) {
    return done(absl::UnavailableError(
        absl::StrCat(description_, ": cannot read the web identity token file ", token_file_)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty()) {
    return done(absl::UnavailableError(
        absl::StrCat(description_, ": the web identity token file ", token_file_, " is empty")));
  }
  AssumeRoleParams params = params_;
  if (params.session_name.empty()) params.session_name = DefaultRoleSessionName();
  sts_->AssumeRoleWithWebIdentity(token, params, std::move(done));
}

}  // namespace awsgw::auth::providers
