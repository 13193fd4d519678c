// GatewayConfig: what the gateway's YAML configuration file says, validated.
//
// Plain data, one struct per section of the file. Every setting is optional:
// an unset field means "the file did not say", so the built-in default (or a
// flag or environment variable, see README "Configuration") applies. The
// defaults therefore live in one place, the options structs the settings are
// mapped onto (aws_client_options_mapping.h, server_listener.h), not here.
//
// Produced by LoadGatewayConfig (config_loader.h); never partially valid.
#ifndef AWSGW_GATEWAY_CONFIG_GATEWAY_CONFIG_H_
#define AWSGW_GATEWAY_CONFIG_GATEWAY_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gateway/aws_client/retry_policy.h"
#include "gateway/config/callers_config.h"
#include "gateway/observability/json_log.h"

namespace awsgw::gateway::config {

// server.tls: serve gRPC over TLS. Paths are absolute (relative ones in the
// file are resolved against the file's folder).
struct TlsConfig {
  std::string cert_file;  // PEM certificate chain of the server
  std::string key_file;   // PEM private key of cert_file
  // PEM CA bundle; when set, clients must present a certificate it verifies
  // (mutual TLS).
  std::string client_ca_file;
  // With client_ca_file: clients may also connect without a certificate
  // (and then authenticate with a bearer token or API key); a certificate
  // they present is still verified.
  bool client_certificate_optional = false;
};

// server.keepalive: HTTP/2 pings between the gateway and its clients.
struct KeepaliveConfig {
  std::optional<absl::Duration> time;     // ping an idle connection this often
  std::optional<absl::Duration> timeout;  // close it when a ping is unanswered this long
  std::optional<bool> permit_without_calls;
  // Clients pinging more often than this are told to go away.
  std::optional<absl::Duration> min_ping_interval;
};

// server.limits: what one gateway takes on before it refuses more, so that
// no client (hostile or broken) can exhaust its descriptors or memory.
struct LimitsConfig {
  std::optional<int64_t> connections;
  std::optional<int64_t> streams_per_connection;
  std::optional<int64_t> in_flight_calls;
  std::optional<int64_t> watch_streams;
  std::optional<int64_t> metadata_bytes;
  std::optional<int64_t> pending_response_bytes_per_connection;
  std::optional<int64_t> pending_response_bytes;
  std::optional<int64_t> memory_bytes;
  std::optional<int64_t> resource_quota_bytes;
  std::optional<int64_t> resets_per_connection;
};

struct ServerConfig {
  std::optional<TlsConfig> tls;  // unset: plaintext
  std::optional<int64_t> max_receive_message_bytes;
  std::optional<int64_t> max_send_message_bytes;
  KeepaliveConfig keepalive;
  std::optional<absl::Duration> shutdown_grace;
  // A connection that has not finished its TLS and HTTP/2 handshakes this
  // long after it was accepted is closed.
  std::optional<absl::Duration> handshake_timeout;
  // A connection without calls this long is sent GOAWAY.
  std::optional<absl::Duration> max_connection_idle;
  // How long connections may wait while the listener accepts none before
  // the gateway declares itself broken and exits.
  std::optional<absl::Duration> listener_stall_timeout;
  LimitsConfig limits;
};

// credentials: the gateway's own AWS identity. Loaded and validated here;
// the credential provider chain decides how they are used. The secret fields
// never appear in error messages.
struct CredentialsConfig {
  // Static credentials: both or neither; session_token only with them.
  std::optional<std::string> access_key_id;
  std::optional<std::string> secret_access_key;
  std::optional<std::string> session_token;
  // A profile of the shared AWS config and credentials files.
  std::optional<std::string> profile;

  bool has_static_keys() const { return access_key_id.has_value(); }
};

using RetryMode = gateway::aws_client::RetrySettings::Mode;

struct RetryConfig {
  std::optional<RetryMode> mode;
  std::optional<int> max_attempts;
};

struct AwsConfig {
  std::optional<bool> use_fips_endpoint;
  std::optional<bool> use_dualstack_endpoint;
  // Base URL for every service (validated, as by the HTTP client).
  std::optional<std::string> endpoint_url;
  // Per-service URLs keyed by the AWS service id ("ECS", "AppRunner"), which
  // the file spells as in AWS_ENDPOINT_URL_<ID>, case-insensitively.
  std::map<std::string, std::string> endpoints;
  RetryConfig retry;
  // Bounds a call whose caller set no deadline.
  std::optional<absl::Duration> call_timeout;
  // The regions callers may name (`x-aws-region`); unset: every region of
  // the known AWS partitions (base::KnownAwsRegions).
  std::optional<std::vector<std::string>> regions;
};

// http: the outbound HTTPS client to AWS.
struct HttpConfig {
  std::optional<int> max_connections_per_endpoint;
  std::optional<int> max_queued_calls_per_endpoint;
  std::optional<absl::Duration> idle_timeout;
  std::optional<absl::Duration> connect_timeout;
  std::optional<absl::Duration> tls_handshake_timeout;
  std::optional<uint64_t> max_response_bytes;
  std::optional<std::string> extra_ca_file;  // absolute, like TlsConfig's
  std::optional<int> threads;
};

// watch: the watch engine's bounds.
struct WatchConfig {
  // Resources watched at once (each costs a poller's share of AWS calls).
  std::optional<int64_t> max_resources;
  // How long a resource AWS said does not exist is answered NOT_FOUND
  // without asking AWS again.
  std::optional<absl::Duration> not_found_cache;
};

struct LoggingConfig {
  std::optional<observability::LogLevel> level;
};

struct MetricsConfig {
  std::optional<std::string> listen;  // host:port
};

struct GatewayConfig {
  std::optional<std::string> listen;  // host:port of the gRPC server
  std::optional<std::string> region;
  ServerConfig server;
  CredentialsConfig credentials;
  AwsConfig aws;
  HttpConfig http;
  WatchConfig watch;
  LoggingConfig logging;
  MetricsConfig metrics;
  // Unset: no `callers` section (an open gateway, allowed on loopback only).
  std::optional<CallersConfig> callers;
};

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_GATEWAY_CONFIG_H_
