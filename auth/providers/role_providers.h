// Credentials for an IAM role, from STS:
//
//   AssumeRoleProvider         a profile's role_arn: the source credentials
//                              (source_profile, credential_source) sign
//                              AssumeRole
//   WebIdentityProvider        AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or
//                              a profile's web_identity_token_file: the token
//                              file (re-read on every fetch, Kubernetes
//                              rotates it) goes to AssumeRoleWithWebIdentity
//
// A session name that is not configured is "aws-grpc-gateway-<unix ms>".
#ifndef AWSGW_AUTH_PROVIDERS_ROLE_PROVIDERS_H_
#define AWSGW_AUTH_PROVIDERS_ROLE_PROVIDERS_H_

#include <memory>
#include <optional>
#include <string>

#include "auth/providers/credentials_provider.h"
#include "auth/providers/sts_client.h"

namespace awsgw::auth::providers {

class AssumeRoleProvider : public CredentialsProvider {
 public:
  AssumeRoleProvider(std::shared_ptr<CredentialsProvider> source, AssumeRoleParams params,
                     std::shared_ptr<const StsClient> sts, std::string description);

  void Fetch(CredentialsCallback done) override;
  std::string Describe() const override { return description_; }

 private:
  const std::shared_ptr<CredentialsProvider> source_;
  const AssumeRoleParams params_;
  const std::shared_ptr<const StsClient> sts_;
  const std::string description_;
};

class WebIdentityProvider : public CredentialsProvider {
 public:
  WebIdentityProvider(std::string token_file, AssumeRoleParams params,
                      std::shared_ptr<const StsClient> sts, std::string description);

  // From AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME:
  // nullopt when the token file variable is unset; INVALID_ARGUMENT when the
  // role is missing.
  static absl::StatusOr<std::optional<std::unique_ptr<CredentialsProvider>>> FromEnvironment(
      const EnvLookup& env, std::shared_ptr<const StsClient> sts);

  void Fetch(CredentialsCallback done) override;
  std::string Describe() const override { return description_; }

 private:
  const std::string token_file_;
  const AssumeRoleParams params_;
  const std::shared_ptr<const StsClient> sts_;
  const std::string description_;
};

// "aws-grpc-gateway-<unix milliseconds>".
std::string DefaultRoleSessionName();

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_ROLE_PROVIDERS_H_
