// ContainerProvider: ECS task roles and EKS Pod Identity.
//
//   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI   GET http://169.254.170.2<uri>
//   AWS_CONTAINER_CREDENTIALS_FULL_URI       GET <uri>: https anywhere, plain
//                                            http only to loopback or the
//                                            ECS/EKS link-local addresses
//   AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE   Authorization header, the file
//   AWS_CONTAINER_AUTHORIZATION_TOKEN        re-read on every fetch (EKS
//                                            rotates it); else the variable
//
// The answer is {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}.
#ifndef AWSGW_AUTH_PROVIDERS_CONTAINER_PROVIDER_H_
#define AWSGW_AUTH_PROVIDERS_CONTAINER_PROVIDER_H_

#include <memory>
#include <optional>
#include <string>

#include "auth/providers/credentials_provider.h"
#include "auth/providers/metadata_http.h"

namespace awsgw::auth::providers {

class ContainerProvider : public CredentialsProvider {
 public:
  // nullopt when neither URI variable is set; INVALID_ARGUMENT for a URI the
  // SDKs would refuse.
  static absl::StatusOr<std::optional<std::unique_ptr<CredentialsProvider>>> FromEnvironment(
      const EnvLookup& env, std::shared_ptr<http::client::HttpClient> http);

  void Fetch(CredentialsCallback done) override;
  std::string Describe() const override { return "container credentials endpoint"; }

 private:
  ContainerProvider(SplitUrl url, std::optional<std::string> token_file,
                    std::optional<std::string> token,
                    std::shared_ptr<http::client::HttpClient> http);

  const SplitUrl url_;
  const std::optional<std::string> token_file_;
  const std::optional<std::string> token_;
  const std::shared_ptr<http::client::HttpClient> http_;
};

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_CONTAINER_PROVIDER_H_
