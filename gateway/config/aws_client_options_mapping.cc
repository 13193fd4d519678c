#include "gateway/config/aws_client_options_mapping.h"

#include "absl/strings/match.h"

namespace awsgw::gateway::config {
namespace {

template <typename T, typename U>
void SetIfPresent(const std::optional<T>& value, U* target) {
  if (value) *target = static_cast<U>(*value);
}

}  // namespace

gateway::aws_client::AwsClientOptions ToAwsClientOptions(const GatewayConfig& config,
                                                         const Getenv& getenv) {
  gateway::aws_client::AwsClientOptions options;

  options.region = config.region.value_or("");
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (options.region.empty()) options.region = getenv(name).value_or("");
  }

  const AwsConfig& aws = config.aws;
  SetIfPresent(aws.use_fips_endpoint, &options.endpoints.use_fips);
  SetIfPresent(aws.use_dualstack_endpoint, &options.endpoints.use_dual_stack);
  options.endpoints.overrides.insert(aws.endpoints.begin(), aws.endpoints.end());
  // The resolver consults per-service overrides first, then the
  // AWS_ENDPOINT_URL_<ID> and AWS_ENDPOINT_URL variables. Answering every
  // one of those variables with aws.endpoint_url puts the file's base URL
  // above the environment without the resolver knowing about files.
  options.endpoints.getenv = [getenv, base_url = aws.endpoint_url](const std::string& name) {
    if (base_url && absl::StartsWith(name, "AWS_ENDPOINT_URL")) return base_url;
    return getenv(name);
  };
  SetIfPresent(aws.retry.max_attempts, &options.retry.max_attempts);
  SetIfPresent(aws.retry.mode, &options.retry.mode);
  SetIfPresent(aws.call_timeout, &options.default_timeout);
  return options;
}

http::client::HttpClientOptions ToHttpClientOptions(const GatewayConfig& config) {
  http::client::HttpClientOptions options;
  const HttpConfig& http = config.http;
  SetIfPresent(http.threads, &options.threads);
  SetIfPresent(http.extra_ca_file, &options.extra_ca_file);
  SetIfPresent(http.connect_timeout, &options.connect_timeout);
  SetIfPresent(http.tls_handshake_timeout, &options.tls_handshake_timeout);
  SetIfPresent(http.max_connections_per_endpoint, &options.max_connections_per_endpoint);
  SetIfPresent(http.max_queued_calls_per_endpoint, &options.max_queued_calls_per_endpoint);
  SetIfPresent(http.idle_timeout, &options.idle_timeout);
  SetIfPresent(http.max_response_bytes, &options.max_response_bytes);
  return options;
}

std::optional<auth::providers::StaticKeys> StaticKeysOf(const CredentialsConfig& credentials) {
  if (!credentials.has_static_keys()) return std::nullopt;
  return auth::providers::StaticKeys{credentials.access_key_id.value_or(""),
                                     credentials.secret_access_key.value_or(""),
                                     credentials.session_token.value_or("")};
}

}  // namespace awsgw::gateway::config
