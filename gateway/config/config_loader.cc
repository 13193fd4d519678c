#include "gateway/config/config_loader.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/aws_region.h"
#include "base/status_macros.h"
#include "gateway/aws_client/endpoints.h"
#include "gateway/config/callers_loader.h"
#include "gateway/config/key_suggestion.h"
#include "gateway/config/pem_check.h"
#include "gateway/config/read_file.h"
#include "gateway/config/value_parsers.h"
#include "gateway/config/yaml_document.h"
#include "gateway/config/yaml_reader.h"
#include "http/client/endpoint.h"
#include "yaml-cpp/yaml.h"

namespace awsgw::gateway::config {
namespace {

// The schema: the keys each section accepts.
constexpr absl::string_view kTopKeys[] = {"listen", "region", "server",  "credentials", "aws",
                                          "http",   "watch",  "logging", "metrics",     "callers"};
constexpr absl::string_view kServerKeys[] = {"tls",
                                             "max_receive_message_bytes",
                                             "max_send_message_bytes",
                                             "keepalive",
                                             "shutdown_grace",
                                             "handshake_timeout",
                                             "max_connection_idle",
                                             "limits",
                                             "listener_stall_timeout"};
constexpr absl::string_view kLimitsKeys[] = {"connections",
                                             "streams_per_connection",
                                             "in_flight_calls",
                                             "watch_streams",
                                             "metadata_bytes",
                                             "pending_response_bytes_per_connection",
                                             "pending_response_bytes",
                                             "memory_bytes",
                                             "resource_quota_bytes",
                                             "resets_per_connection"};
constexpr absl::string_view kWatchKeys[] = {"max_resources", "not_found_cache"};
constexpr absl::string_view kTlsKeys[] = {"cert_file", "key_file", "client_ca_file",
                                          "client_certificate"};
constexpr absl::string_view kClientCertificateChoices[] = {"required", "optional"};
constexpr absl::string_view kKeepaliveKeys[] = {"time", "timeout", "permit_without_calls",
                                                "min_ping_interval"};
constexpr absl::string_view kCredentialsKeys[] = {"access_key_id", "secret_access_key",
                                                  "session_token", "profile"};
constexpr absl::string_view kAwsKeys[] = {"use_fips_endpoint",
                                          "use_dualstack_endpoint",
                                          "endpoint_url",
                                          "endpoints",
                                          "retry",
                                          "call_timeout",
                                          "regions"};
constexpr absl::string_view kRetryKeys[] = {"mode", "max_attempts"};
constexpr absl::string_view kHttpKeys[] = {"max_connections_per_endpoint",
                                           "max_queued_calls_per_endpoint",
                                           "idle_timeout",
                                           "connect_timeout",
                                           "tls_handshake_timeout",
                                           "max_response_bytes",
                                           "extra_ca_file",
                                           "threads"};
constexpr absl::string_view kLoggingKeys[] = {"level"};
constexpr absl::string_view kMetricsKeys[] = {"listen"};

// Enum spellings, in the order of the enum's values.
constexpr absl::string_view kRetryModes[] = {"standard", "adaptive"};
constexpr absl::string_view kLogLevels[] = {"debug", "info", "warn", "error"};

// gRPC takes message sizes and millisecond channel args as C ints.
constexpr int64_t kMaxGrpcInt = std::numeric_limits<int32_t>::max();

// Reads the optional file-path `key` of `section`, resolved, and the file's
// contents into `*contents`.
absl::Status ReadFilePath(const ConfigNode& section, absl::string_view key,
                          const std::string& base_dir, std::optional<std::string>* out,
                          std::string* contents) {
  std::optional<std::string> path;
  AWSGW_RETURN_IF_ERROR(section.ReadString(key, &path));
  if (!path) return absl::OkStatus();
  *path = ResolvePath(*path, base_dir);
  absl::StatusOr<std::string> data = ReadWholeFile(*path);
  if (!data.ok()) return section.Child(key)->Error(data.status().message());
  *contents = *std::move(data);
  *out = std::move(path);
  return absl::OkStatus();
}

// `check` (pem_check.h) of the file under `key`, worded with its path.
absl::Status PemError(const ConfigNode& section, absl::string_view key, const std::string& path,
                      const absl::Status& check) {
  if (check.ok()) return check;
  return section.Child(key)->Error(absl::StrCat("\"", path, "\" ", check.message()));
}

absl::Status ReadHostPort(const ConfigNode& section, absl::string_view key,
                          std::optional<std::string>* out) {
  std::optional<std::string> value;
  AWSGW_RETURN_IF_ERROR(section.ReadString(key, &value));
  if (value && !IsHostPort(*value)) {
    return section.Child(key)->WrongValue("host:port like \"127.0.0.1:50051\"", *value);
  }
  if (value) *out = std::move(value);
  return absl::OkStatus();
}

// An AWS endpoint URL, held to the HTTP client's own rules (https, or plain
// http to loopback only) so a bad one fails now rather than on first call.
absl::Status CheckEndpointUrl(const ConfigNode& node, const std::string& url) {
  absl::StatusOr<http::client::Endpoint> endpoint = http::client::Endpoint::Parse(url);
  if (endpoint.ok()) return absl::OkStatus();
  return node.Error(
      absl::StrCat("invalid endpoint URL \"", url, "\": ", endpoint.status().message()));
}

template <typename Int>
absl::Status ReadInt(const ConfigNode& section, absl::string_view key, int64_t min, int64_t max,
                     std::optional<Int>* out) {
  std::optional<int64_t> value;
  AWSGW_RETURN_IF_ERROR(section.ReadInteger(key, min, max, &value));
  if (value) *out = static_cast<Int>(*value);
  return absl::OkStatus();
}

template <typename Enum>
absl::Status ReadEnum(const ConfigNode& section, absl::string_view key,
                      absl::Span<const absl::string_view> names, std::optional<Enum>* out) {
  std::optional<size_t> index;
  AWSGW_RETURN_IF_ERROR(section.ReadChoice(key, names, &index));
  if (index) *out = static_cast<Enum>(*index);
  return absl::OkStatus();
}

absl::Status ReadTls(const ConfigNode& node, const std::string& base_dir, ServerConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kTlsKeys));
  std::optional<std::string> cert, key, client_ca;
  std::string cert_pem, key_pem, client_ca_pem;
  AWSGW_RETURN_IF_ERROR(ReadFilePath(node, "cert_file", base_dir, &cert, &cert_pem));
  AWSGW_RETURN_IF_ERROR(ReadFilePath(node, "key_file", base_dir, &key, &key_pem));
  AWSGW_RETURN_IF_ERROR(ReadFilePath(node, "client_ca_file", base_dir, &client_ca, &client_ca_pem));
  if (!cert || !key) {
    return node.Error("cert_file and key_file are both required to serve TLS");
  }
  AWSGW_RETURN_IF_ERROR(PemError(node, "cert_file", *cert, CheckCertificates(cert_pem)));
  AWSGW_RETURN_IF_ERROR(PemError(node, "key_file", *key, CheckPrivateKey(key_pem, cert_pem)));
  if (client_ca) {
    AWSGW_RETURN_IF_ERROR(
        PemError(node, "client_ca_file", *client_ca, CheckCertificates(client_ca_pem)));
  }
  std::optional<size_t> client_certificate;
  AWSGW_RETURN_IF_ERROR(
      node.ReadChoice("client_certificate", kClientCertificateChoices, &client_certificate));
  if (client_certificate && !client_ca) {
    return node.Child("client_certificate")->Error("needs client_ca_file");
  }
  out->tls = TlsConfig{*cert, *key, client_ca.value_or(""), client_certificate.value_or(0) == 1};
  return absl::OkStatus();
}

absl::Status ReadKeepalive(const ConfigNode& node, KeepaliveConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kKeepaliveKeys));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("time", absl::Seconds(1), absl::Hours(24), &out->time));
  AWSGW_RETURN_IF_ERROR(
      node.ReadDuration("timeout", absl::Seconds(1), absl::Hours(1), &out->timeout));
  AWSGW_RETURN_IF_ERROR(node.ReadBool("permit_without_calls", &out->permit_without_calls));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("min_ping_interval", absl::Seconds(1), absl::Hours(24),
                                          &out->min_ping_interval));
  return absl::OkStatus();
}

absl::Status ReadLimits(const ConfigNode& node, LimitsConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kLimitsKeys));
  constexpr int64_t kOneMiB = int64_t{1} << 20;
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "connections", 1, 1 << 20, &out->connections));
  AWSGW_RETURN_IF_ERROR(
      ReadInt(node, "streams_per_connection", 1, kMaxGrpcInt, &out->streams_per_connection));
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "in_flight_calls", 1, 1 << 24, &out->in_flight_calls));
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "watch_streams", 1, 1 << 24, &out->watch_streams));
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "metadata_bytes", 1024, kMaxGrpcInt, &out->metadata_bytes));
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "pending_response_bytes_per_connection", kOneMiB,
                                int64_t{1} << 40, &out->pending_response_bytes_per_connection));
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "pending_response_bytes", kOneMiB, int64_t{1} << 44,
                                &out->pending_response_bytes));
  AWSGW_RETURN_IF_ERROR(
      ReadInt(node, "memory_bytes", 64 * kOneMiB, int64_t{1} << 44, &out->memory_bytes));
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "resource_quota_bytes", 16 * kOneMiB, int64_t{1} << 44,
                                &out->resource_quota_bytes));
  AWSGW_RETURN_IF_ERROR(
      ReadInt(node, "resets_per_connection", 0, 1 << 24, &out->resets_per_connection));
  return absl::OkStatus();
}

absl::Status ReadWatch(const ConfigNode& node, WatchConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kWatchKeys));
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "max_resources", 1, 1 << 24, &out->max_resources));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("not_found_cache", absl::ZeroDuration(), absl::Hours(1),
                                          &out->not_found_cache));
  return absl::OkStatus();
}

absl::Status ReadServer(const ConfigNode& node, const std::string& base_dir, ServerConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kServerKeys));
  if (std::optional<ConfigNode> tls = node.Child("tls")) {
    AWSGW_RETURN_IF_ERROR(ReadTls(*tls, base_dir, out));
  }
  AWSGW_RETURN_IF_ERROR(
      ReadInt(node, "max_receive_message_bytes", 1, kMaxGrpcInt, &out->max_receive_message_bytes));
  AWSGW_RETURN_IF_ERROR(
      ReadInt(node, "max_send_message_bytes", 1, kMaxGrpcInt, &out->max_send_message_bytes));
  if (std::optional<ConfigNode> keepalive = node.Child("keepalive")) {
    AWSGW_RETURN_IF_ERROR(ReadKeepalive(*keepalive, &out->keepalive));
  }
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("shutdown_grace", absl::ZeroDuration(), absl::Hours(1),
                                          &out->shutdown_grace));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("handshake_timeout", absl::Seconds(1), absl::Minutes(10),
                                          &out->handshake_timeout));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("max_connection_idle", absl::Seconds(1),
                                          absl::Hours(24 * 7), &out->max_connection_idle));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("listener_stall_timeout", absl::Seconds(2),
                                          absl::Hours(1), &out->listener_stall_timeout));
  if (std::optional<ConfigNode> limits = node.Child("limits")) {
    AWSGW_RETURN_IF_ERROR(ReadLimits(*limits, &out->limits));
  }
  return absl::OkStatus();
}

absl::Status ReadCredentials(const ConfigNode& node, CredentialsConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kCredentialsKeys, Sensitivity::kSecret));
  AWSGW_RETURN_IF_ERROR(node.ReadString("access_key_id", &out->access_key_id));
  AWSGW_RETURN_IF_ERROR(
      node.ReadString("secret_access_key", &out->secret_access_key, Sensitivity::kSecret));
  AWSGW_RETURN_IF_ERROR(
      node.ReadString("session_token", &out->session_token, Sensitivity::kSecret));
  AWSGW_RETURN_IF_ERROR(node.ReadString("profile", &out->profile));
  if (out->access_key_id.has_value() != out->secret_access_key.has_value()) {
    return node.Error(out->access_key_id ? "access_key_id is set without secret_access_key"
                                         : "secret_access_key is set without access_key_id");
  }
  if (out->session_token && !out->access_key_id) {
    return node.Error("session_token needs access_key_id and secret_access_key");
  }
  // Which identity would win is a guess either way; make the file say.
  if (out->profile && out->access_key_id) {
    return node.Error("set either profile or static keys (access_key_id, ...), not both");
  }
  return absl::OkStatus();
}

// aws.endpoints: keys are service ids as spelled in AWS_ENDPOINT_URL_<ID>
// ("ecs", "apprunner"), in any case.
absl::Status ReadServiceEndpoints(const ConfigNode& node, const LoadOptions& options,
                                  AwsConfig* out) {
  const std::string kEnvPrefix = "AWS_ENDPOINT_URL_";
  std::vector<std::string> spellings;  // lowercase, for messages
  for (const std::string& id : options.service_ids) {
    spellings.push_back(
        absl::AsciiStrToLower(gateway::aws_client::EndpointEnvVar(id).substr(kEnvPrefix.size())));
  }
  std::vector<absl::string_view> known(spellings.begin(), spellings.end());

  absl::StatusOr<std::vector<std::pair<std::string, ConfigNode>>> entries = node.Entries();
  if (!entries.ok()) return entries.status();
  for (const auto& [key, child] : *entries) {
    const auto it = std::find(spellings.begin(), spellings.end(), absl::AsciiStrToLower(key));
    if (it == spellings.end()) {
      const std::string nearest = NearestKey(key, known);
      return child.Error(
          nearest.empty()
              ? absl::StrCat("unknown service; expected one of: ", absl::StrJoin(spellings, ", "))
              : absl::StrCat("unknown service; did you mean \"", nearest, "\"?"));
    }
    absl::StatusOr<std::string> url = child.Scalar("a URL");
    if (!url.ok()) return url.status();
    AWSGW_RETURN_IF_ERROR(CheckEndpointUrl(child, *url));
    out->endpoints[options.service_ids[it - spellings.begin()]] = *url;
  }
  return absl::OkStatus();
}

absl::Status ReadAws(const ConfigNode& node, const LoadOptions& options, AwsConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kAwsKeys));
  AWSGW_RETURN_IF_ERROR(node.ReadBool("use_fips_endpoint", &out->use_fips_endpoint));
  AWSGW_RETURN_IF_ERROR(node.ReadBool("use_dualstack_endpoint", &out->use_dualstack_endpoint));
  AWSGW_RETURN_IF_ERROR(node.ReadString("endpoint_url", &out->endpoint_url));
  if (out->endpoint_url) {
    AWSGW_RETURN_IF_ERROR(CheckEndpointUrl(*node.Child("endpoint_url"), *out->endpoint_url));
  }
  if (std::optional<ConfigNode> endpoints = node.Child("endpoints")) {
    AWSGW_RETURN_IF_ERROR(ReadServiceEndpoints(*endpoints, options, out));
  }
  if (std::optional<ConfigNode> retry = node.Child("retry")) {
    AWSGW_RETURN_IF_ERROR(retry->ExpectMapping(kRetryKeys));
    AWSGW_RETURN_IF_ERROR(ReadEnum(*retry, "mode", kRetryModes, &out->retry.mode));
    AWSGW_RETURN_IF_ERROR(ReadInt(*retry, "max_attempts", 1, 10, &out->retry.max_attempts));
  }
  AWSGW_RETURN_IF_ERROR(
      node.ReadDuration("call_timeout", absl::Seconds(1), absl::Hours(1), &out->call_timeout));
  AWSGW_RETURN_IF_ERROR(node.ReadStringList("regions", &out->regions));
  if (out->regions) {
    if (out->regions->empty()) return node.Child("regions")->Error("must name at least one region");
    for (const std::string& region : *out->regions) {
      if (!base::IsPlausibleRegion(region)) {
        return node.Child("regions")->WrongValue("AWS region names like \"us-east-1\"", region);
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ReadHttp(const ConfigNode& node, const std::string& base_dir, HttpConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kHttpKeys));
  AWSGW_RETURN_IF_ERROR(
      ReadInt(node, "max_connections_per_endpoint", 1, 1024, &out->max_connections_per_endpoint));
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "max_queued_calls_per_endpoint", 0, 1 << 20,
                                &out->max_queued_calls_per_endpoint));
  AWSGW_RETURN_IF_ERROR(
      node.ReadDuration("idle_timeout", absl::Seconds(1), absl::Hours(1), &out->idle_timeout));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("connect_timeout", absl::Milliseconds(100),
                                          absl::Minutes(5), &out->connect_timeout));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("tls_handshake_timeout", absl::Milliseconds(100),
                                          absl::Minutes(5), &out->tls_handshake_timeout));
  AWSGW_RETURN_IF_ERROR(
      ReadInt(node, "max_response_bytes", 1, int64_t{1} << 32, &out->max_response_bytes));
  std::string extra_ca_pem;
  AWSGW_RETURN_IF_ERROR(
      ReadFilePath(node, "extra_ca_file", base_dir, &out->extra_ca_file, &extra_ca_pem));
  if (out->extra_ca_file) {
    AWSGW_RETURN_IF_ERROR(
        PemError(node, "extra_ca_file", *out->extra_ca_file, CheckCertificates(extra_ca_pem)));
  }
  AWSGW_RETURN_IF_ERROR(ReadInt(node, "threads", 1, 64, &out->threads));
  return absl::OkStatus();
}

absl::Status ReadRoot(const ConfigNode& root, const std::string& base_dir,
                      const LoadOptions& options, GatewayConfig* out) {
  AWSGW_RETURN_IF_ERROR(root.ExpectMapping(kTopKeys));
  AWSGW_RETURN_IF_ERROR(ReadHostPort(root, "listen", &out->listen));
  AWSGW_RETURN_IF_ERROR(root.ReadString("region", &out->region));
  if (out->region && !base::IsPlausibleRegion(*out->region)) {
    return root.Child("region")->WrongValue("an AWS region like \"us-east-1\"", *out->region);
  }
  if (std::optional<ConfigNode> server = root.Child("server")) {
    AWSGW_RETURN_IF_ERROR(ReadServer(*server, base_dir, &out->server));
  }
  if (std::optional<ConfigNode> credentials = root.Child("credentials")) {
    AWSGW_RETURN_IF_ERROR(ReadCredentials(*credentials, &out->credentials));
  }
  if (std::optional<ConfigNode> aws = root.Child("aws")) {
    AWSGW_RETURN_IF_ERROR(ReadAws(*aws, options, &out->aws));
  }
  if (std::optional<ConfigNode> http = root.Child("http")) {
    AWSGW_RETURN_IF_ERROR(ReadHttp(*http, base_dir, &out->http));
  }
  if (std::optional<ConfigNode> watch = root.Child("watch")) {
    AWSGW_RETURN_IF_ERROR(ReadWatch(*watch, &out->watch));
  }
  if (std::optional<ConfigNode> logging = root.Child("logging")) {
    AWSGW_RETURN_IF_ERROR(logging->ExpectMapping(kLoggingKeys));
    AWSGW_RETURN_IF_ERROR(ReadEnum(*logging, "level", kLogLevels, &out->logging.level));
  }
  if (std::optional<ConfigNode> metrics = root.Child("metrics")) {
    AWSGW_RETURN_IF_ERROR(metrics->ExpectMapping(kMetricsKeys));
    AWSGW_RETURN_IF_ERROR(ReadHostPort(*metrics, "listen", &out->metrics.listen));
  }
  if (std::optional<ConfigNode> callers = root.Child("callers")) {
    out->callers = CallersConfig{};
    AWSGW_RETURN_IF_ERROR(ReadCallers(*callers, base_dir, &*out->callers));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<GatewayConfig> ParseGatewayConfig(absl::string_view yaml, const std::string& source,
                                                 const std::string& base_dir,
                                                 const LoadOptions& options) {
  absl::StatusOr<YAML::Node> document = LoadOneDocument(std::string(yaml), source);
  if (!document.ok()) return document.status();
  GatewayConfig config;
  if (document->IsNull()) return config;  // an empty file: every default
  if (!document->IsMap()) {
    return ConfigNode::Root(*document, &source).Error("expected a mapping of keys at the top");
  }
  AWSGW_RETURN_IF_ERROR(ReadRoot(ConfigNode::Root(*document, &source), base_dir, options, &config));
  return config;
}

absl::StatusOr<GatewayConfig> LoadGatewayConfig(const std::string& path,
                                                const LoadOptions& options) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat("config file: ", text.status().message()));
  }
  const size_t slash = path.rfind('/');
  const std::string base_dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  return ParseGatewayConfig(*text, path, base_dir, options);
}

}  // namespace awsgw::gateway::config
