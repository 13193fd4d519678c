// The gateway's own AWS identity: picks the credential source by the AWS
// SDKs' default chain (auth/providers/default_chain.h) and puts a cache in
// front of it. STS, when a role is assumed, is reached through the same
// endpoint rules as every other service (AWS_ENDPOINT_URL_STS, ...).
#ifndef AWSGW_GATEWAY_AWS_CLIENT_CREDENTIALS_SETUP_H_
#define AWSGW_GATEWAY_AWS_CLIENT_CREDENTIALS_SETUP_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "auth/providers/credentials_cache.h"
#include "auth/providers/default_chain.h"
#include "gateway/aws_client/endpoints.h"
#include "http/client/http_client.h"

namespace awsgw::gateway::aws_client {

struct CredentialsSetup {
  std::optional<auth::providers::StaticKeys> static_keys;  // the config file's
  std::string profile;                                     // the config file's; "" = AWS_PROFILE
  std::string region;                                      // the gateway's region
  EndpointSettings endpoints;                              // for STS
  base::EnvLookup env = base::ProcessEnvironment;
};

// INVALID_ARGUMENT when the chain finds a broken source (the message names
// the setting). With no source at all, the cache fails every fetch saying so.
absl::StatusOr<std::shared_ptr<auth::providers::CredentialsCache>> MakeGatewayCredentials(
    const CredentialsSetup& setup, std::shared_ptr<http::client::HttpClient> http);

// The gateway's region: `configured` (flag or config) if set, else the AWS
// SDK order (AWS_REGION, AWS_DEFAULT_REGION, the profile's region).
absl::StatusOr<std::string> ResolveGatewayRegion(const std::string& configured,
                                                 const std::string& profile,
                                                 const base::EnvLookup& env);

}  // namespace awsgw::gateway::aws_client

#endif  // AWSGW_GATEWAY_AWS_CLIENT_CREDENTIALS_SETUP_H_
