// Maps the configuration file's AWS-side settings onto the options the AWS
// client already takes (aws_client::AwsClientOptions with its
// EndpointSettings and RetrySettings, HttpClientOptions, the credential
// chain's static keys).
// The one place that knows which key feeds which option.
//
// Precedence handled here: the file over the environment over the defaults
// (the defaults are whatever the options structs hold). Command-line flags
// are applied by main, on top of the result.
#ifndef AWSGW_GATEWAY_CONFIG_AWS_CLIENT_OPTIONS_MAPPING_H_
#define AWSGW_GATEWAY_CONFIG_AWS_CLIENT_OPTIONS_MAPPING_H_

#include <functional>
#include <optional>
#include <string>

#include "auth/providers/default_chain.h"
#include "gateway/aws_client/aws_client.h"
#include "gateway/config/gateway_config.h"
#include "http/client/client_options.h"

namespace awsgw::gateway::config {

using Getenv = std::function<std::optional<std::string>(const std::string&)>;

// aws_client::AwsClientOptions for `config`, reading AWS_REGION, AWS_DEFAULT_REGION and the
// AWS_ENDPOINT_URL* variables through `getenv` where the file is silent.
// Endpoint order: aws.endpoints.<id>, aws.endpoint_url,
// AWS_ENDPOINT_URL_<ID>, AWS_ENDPOINT_URL, the regional endpoint.
gateway::aws_client::AwsClientOptions ToAwsClientOptions(const GatewayConfig& config,
                                                         const Getenv& getenv);

// The outbound HTTP client's options for `config` (the `http` section).
http::client::HttpClientOptions ToHttpClientOptions(const GatewayConfig& config);

// The `credentials` section as the credential chain takes it: static keys
// when the file has them, and the profile to use ("" when unset).
std::optional<auth::providers::StaticKeys> StaticKeysOf(const CredentialsConfig& credentials);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_AWS_CLIENT_OPTIONS_MAPPING_H_
