// ImdsProvider: the EC2 instance role, from the instance metadata service,
// IMDSv2 only (no fallback to the token-less v1 protocol):
//
//   PUT /latest/api/token                       X-aws-ec2-metadata-token-ttl-seconds
//   GET /latest/meta-data/iam/security-credentials/         -> role name
//   GET /latest/meta-data/iam/security-credentials/<role>   -> credentials JSON
//
// Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, else the IPv6 address when
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6, else http://169.254.169.254.
// AWS_EC2_METADATA_DISABLED=true turns the provider off. Each request has a
// short timeout (off EC2 nothing answers; the chain must not hang there).
#ifndef AWSGW_AUTH_PROVIDERS_IMDS_PROVIDER_H_
#define AWSGW_AUTH_PROVIDERS_IMDS_PROVIDER_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "auth/providers/credentials_provider.h"
#include "auth/providers/metadata_http.h"

namespace awsgw::auth::providers {

class ImdsProvider : public CredentialsProvider, public std::enable_shared_from_this<ImdsProvider> {
 public:
  // nullopt when disabled; INVALID_ARGUMENT for a bad endpoint setting.
  static absl::StatusOr<std::optional<std::shared_ptr<ImdsProvider>>> FromEnvironment(
      const EnvLookup& env, std::shared_ptr<http::client::HttpClient> http);

  void Fetch(CredentialsCallback done) override;
  std::string Describe() const override { return "instance metadata (IMDSv2)"; }

 private:
  ImdsProvider(SplitUrl base, std::shared_ptr<http::client::HttpClient> http);

  void Get(const std::string& path, const std::string& token, HttpResult done);

  const SplitUrl base_;
  const std::shared_ptr<http::client::HttpClient> http_;
};

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_IMDS_PROVIDER_H_
