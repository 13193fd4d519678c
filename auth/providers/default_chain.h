// The AWS SDKs' default credential chain, in its order. The first source
// that is configured is the gateway's source; nothing is fetched here (that
// is the CredentialsCache's job), so resolving the chain is quick and needs
// no network:
//
//   1. static keys from the gateway config
//   2. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
//   3. shared files, profile `profile` / AWS_PROFILE / "default":
//      role_arn (+ source_profile | credential_source | web_identity_token_file)
//      -> AssumeRole; aws_access_key_id; credential_process
//   4. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN
//   5. container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI
//   6. instance metadata (IMDSv2), unless AWS_EC2_METADATA_DISABLED=true
//
// A source that is configured but broken (half the environment keys, a
// profile that names a missing source profile, a malformed file, a profile
// that was asked for by name but does not exist) is an error naming the
// setting; the chain does not quietly fall through to the next source.
#ifndef AWSGW_AUTH_PROVIDERS_DEFAULT_CHAIN_H_
#define AWSGW_AUTH_PROVIDERS_DEFAULT_CHAIN_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "auth/providers/credentials_provider.h"
#include "auth/providers/sts_client.h"
#include "http/client/http_client.h"

namespace awsgw::auth::providers {

struct StaticKeys {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string source = "gateway config";  // for logs
};

struct ChainSettings {
  std::optional<StaticKeys> static_keys;  // from the gateway config
  std::string profile;                    // from the gateway config; "" = AWS_PROFILE
  std::string region;                     // the gateway's region; STS is called there
  EnvLookup env = ProcessEnvironment;
  // For the container endpoint, IMDS and STS. Must outlive every fetch.
  std::shared_ptr<http::client::HttpClient> http;
  StsEndpointResolver sts_endpoint;
};

absl::StatusOr<std::shared_ptr<CredentialsProvider>> ResolveDefaultChain(
    const ChainSettings& settings);

// The gateway's region when none is configured: AWS_REGION, then
// AWS_DEFAULT_REGION, then the selected profile's `region`. "" when none.
// An unreadable or malformed config file is an error.
absl::StatusOr<std::string> ResolveDefaultRegion(const std::string& profile, const EnvLookup& env);

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_DEFAULT_CHAIN_H_
