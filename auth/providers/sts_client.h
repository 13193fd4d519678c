// StsClient: the two STS actions the credential providers use, over the
// query protocol (form-encoded POST, XML answers):
//
//   AssumeRole                  signed with the source credentials
//   AssumeRoleWithWebIdentity   unsigned; the web identity token proves who
//                               the caller is
//
// The endpoint comes from an injected resolver (the gateway's own endpoint
// rules: regional https://sts.<region>.amazonaws.com, AWS_ENDPOINT_URL_STS,
// AWS_ENDPOINT_URL), so STS honours the same overrides as every service.
#ifndef AWSGW_AUTH_PROVIDERS_STS_CLIENT_H_
#define AWSGW_AUTH_PROVIDERS_STS_CLIENT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/providers/credentials_provider.h"
#include "auth/secret_string.h"
#include "auth/sigv4_signer.h"
#include "http/client/http_client.h"

namespace awsgw::auth::providers {

// The STS endpoint URL for a region.
using StsEndpointResolver = std::function<absl::StatusOr<std::string>(absl::string_view region)>;

struct AssumeRoleParams {
  std::string role_arn;
  std::string session_name;
  std::string external_id;              // AssumeRole only; empty: none
  std::optional<int> duration_seconds;  // empty: STS's default (1 hour)
};

class StsClient {
 public:
  // `region` is where STS is called; "" means us-east-1.
  StsClient(std::shared_ptr<http::client::HttpClient> http, StsEndpointResolver endpoint,
            std::string region);

  void AssumeRole(const Credentials& source, const AssumeRoleParams& params,
                  CredentialsCallback done) const;
  void AssumeRoleWithWebIdentity(absl::string_view web_identity_token,
                                 const AssumeRoleParams& params, CredentialsCallback done) const;

  const std::string& region() const { return region_; }

 private:
  // Sends the form `body` for `action`, signed when `source` is set.
  // `secrets`: what STS's error message must never repeat (the signing
  // credentials' secret and token, or the web identity token).
  void Call(absl::string_view action, std::string body, const Credentials* source,
            std::vector<SecretString> secrets, CredentialsCallback done) const;

  std::shared_ptr<http::client::HttpClient> http_;
  StsEndpointResolver endpoint_;
  std::string region_;
  Sigv4Signer signer_;
};

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_STS_CLIENT_H_
