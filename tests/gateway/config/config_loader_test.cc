// The loader against YAML text: every key read into GatewayConfig, and every
// kind of error reported with its file, line and dotted key, never a crash
// and never a secret.
#include "gateway/config/config_loader.h"

#include <cstdlib>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const LoadOptions& Services() {
  static const LoadOptions options{
      {"Amplify", "AppConfig", "AppRunner", "ECS", "ServerlessApplicationRepository"}};
  return options;
}

// This process's own scratch folder (ending in '/'): ctest runs each test
// case as a process of its own, in parallel, so a shared one would race.
const std::string& TestDir() {
  static const std::string* const dir = [] {
    char name[] = "/tmp/awsgw-config-test-XXXXXX";
    if (mkdtemp(name) == nullptr) std::abort();
    return new std::string(std::string(name) + "/");
  }();
  return *dir;
}

absl::StatusOr<GatewayConfig> Load(absl::string_view yaml) {
  return ParseGatewayConfig(yaml, "gateway.yaml", TestDir(), Services());
}

// The error message of loading `yaml`, which must fail with INVALID_ARGUMENT.
std::string ErrorOf(absl::string_view yaml) {
  absl::StatusOr<GatewayConfig> config = Load(yaml);
  EXPECT_FALSE(config.ok()) << yaml;
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(config.status().message());
}

// A file under the test's temporary folder; returns its absolute path.
std::string WriteFile(const std::string& name, const std::string& content) {
  const std::string path = TestDir() + name;
  std::ofstream(path) << content;
  return path;
}

// Real certificates and keys (tests/http/client/gen_test_certs.sh, openssl
// CLI) under TestDir()/pem/: ca.pem, server.pem/.key, wrong_host.pem/.key.
class PemFiles : public testing::Environment {
 public:
  void SetUp() override {
    const std::string dir = TestDir() + "pem";
    const std::string command = "mkdir -p '" + dir + "' && bash '" + AWSGW_SOURCE_DIR +
                                "/tests/http/client/gen_test_certs.sh' '" + dir + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << "gen_test_certs.sh failed (openssl missing?)";
  }
  void TearDown() override { std::system(("rm -rf '" + TestDir() + "'").c_str()); }
};
const testing::Environment* const kPemFiles = testing::AddGlobalTestEnvironment(new PemFiles);

TEST(ConfigLoaderTest, EmptyFileMeansEveryDefault) {
  for (absl::string_view yaml : {"", "\n# only a comment\n", "---\n"}) {
    absl::StatusOr<GatewayConfig> config = Load(yaml);
    ASSERT_TRUE(config.ok()) << config.status();
    EXPECT_FALSE(config->listen.has_value());
    EXPECT_FALSE(config->server.tls.has_value());
    EXPECT_TRUE(config->aws.endpoints.empty());
  }
}

TEST(ConfigLoaderTest, EmptySectionsAreAllowed) {
  absl::StatusOr<GatewayConfig> config = Load("server:\naws:\n  retry:\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->aws.retry.mode.has_value());
}

TEST(ConfigLoaderTest, ReadsEveryKey) {
  const std::string cert = TestDir() + "pem/server.pem";
  const std::string key = TestDir() + "pem/server.key";
  const std::string ca = TestDir() + "pem/ca.pem";
  absl::StatusOr<GatewayConfig> config = Load(R"(
listen: "0.0.0.0:8443"
region: eu-west-1
server:
  tls:
    cert_file: pem/server.pem
    key_file: )" + key + R"(
    client_ca_file: pem/ca.pem
  max_receive_message_bytes: 1048576
  max_send_message_bytes: 2097152
  keepalive:
    time: 30s
    timeout: 5s
    permit_without_calls: true
    min_ping_interval: 1m
  shutdown_grace: 1m30s
credentials:
  access_key_id: AKIDEXAMPLE
  secret_access_key: wJalrXUtnFEMI
  session_token: token
aws:
  use_fips_endpoint: true
  use_dualstack_endpoint: false
  endpoint_url: https://aws.internal.example
  endpoints:
    ecs: http://127.0.0.1:4566
    AppRunner: https://apprunner.example
    serverlessapplicationrepository: https://sar.example/base
  retry:
    mode: adaptive
    max_attempts: 5
  call_timeout: 2m
http:
  max_connections_per_endpoint: 8
  max_queued_calls_per_endpoint: 64
  idle_timeout: 30s
  connect_timeout: 250ms
  tls_handshake_timeout: 3s
  max_response_bytes: 1024
  extra_ca_file: pem/ca.pem
  threads: 4
logging:
  level: warn
metrics:
  listen: "[::1]:9090"
)");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->listen, "0.0.0.0:8443");
  EXPECT_EQ(config->region, "eu-west-1");

  ASSERT_TRUE(config->server.tls.has_value());
  EXPECT_EQ(config->server.tls->cert_file, cert);  // relative: next to the file
  EXPECT_EQ(config->server.tls->key_file, key);
  EXPECT_EQ(config->server.tls->client_ca_file, ca);
  EXPECT_EQ(config->server.max_receive_message_bytes, 1048576);
  EXPECT_EQ(config->server.max_send_message_bytes, 2097152);
  EXPECT_EQ(config->server.keepalive.time, absl::Seconds(30));
  EXPECT_EQ(config->server.keepalive.timeout, absl::Seconds(5));
  EXPECT_EQ(config->server.keepalive.permit_without_calls, true);
  EXPECT_EQ(config->server.keepalive.min_ping_interval, absl::Minutes(1));
  EXPECT_EQ(config->server.shutdown_grace, absl::Seconds(90));

  EXPECT_EQ(config->credentials.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(config->credentials.secret_access_key, "wJalrXUtnFEMI");
  EXPECT_EQ(config->credentials.session_token, "token");
  EXPECT_FALSE(config->credentials.profile.has_value());

  EXPECT_EQ(config->aws.use_fips_endpoint, true);
  EXPECT_EQ(config->aws.use_dualstack_endpoint, false);
  EXPECT_EQ(config->aws.endpoint_url, "https://aws.internal.example");
  // Keyed by the service id, whatever the file's spelling.
  EXPECT_EQ(config->aws.endpoints,
            (std::map<std::string, std::string>{
                {"ECS", "http://127.0.0.1:4566"},
                {"AppRunner", "https://apprunner.example"},
                {"ServerlessApplicationRepository", "https://sar.example/base"}}));
  EXPECT_EQ(config->aws.retry.mode, RetryMode::kAdaptive);
  EXPECT_EQ(config->aws.retry.max_attempts, 5);
  EXPECT_EQ(config->aws.call_timeout, absl::Minutes(2));

  EXPECT_EQ(config->http.max_connections_per_endpoint, 8);
  EXPECT_EQ(config->http.max_queued_calls_per_endpoint, 64);
  EXPECT_EQ(config->http.idle_timeout, absl::Seconds(30));
  EXPECT_EQ(config->http.connect_timeout, absl::Milliseconds(250));
  EXPECT_EQ(config->http.tls_handshake_timeout, absl::Seconds(3));
  EXPECT_EQ(config->http.max_response_bytes, 1024u);
  EXPECT_EQ(config->http.extra_ca_file, ca);
  EXPECT_EQ(config->http.threads, 4);

  EXPECT_EQ(config->logging.level, observability::LogLevel::kWarn);
  EXPECT_EQ(config->metrics.listen, "[::1]:9090");
}

TEST(ConfigLoaderTest, ReadsTheLimitsAndTheWatchSection) {
  absl::StatusOr<GatewayConfig> config = Load(R"(
server:
  handshake_timeout: 5s
  max_connection_idle: 1h
  listener_stall_timeout: 30s
  limits:
    connections: 500
    streams_per_connection: 100
    in_flight_calls: 2000
    watch_streams: 300
    metadata_bytes: 32768
    pending_response_bytes_per_connection: 16777216
    pending_response_bytes: 268435456
    memory_bytes: 1073741824
    resource_quota_bytes: 536870912
    resets_per_connection: 0
aws:
  regions: [eu-west-1, us-east-1]
watch:
  max_resources: 50
  not_found_cache: 0s
)");
  ASSERT_TRUE(config.ok()) << config.status();
  const ServerConfig& server = config->server;
  EXPECT_EQ(server.handshake_timeout, absl::Seconds(5));
  EXPECT_EQ(server.max_connection_idle, absl::Hours(1));
  EXPECT_EQ(server.listener_stall_timeout, absl::Seconds(30));
  EXPECT_EQ(server.limits.connections, 500);
  EXPECT_EQ(server.limits.streams_per_connection, 100);
  EXPECT_EQ(server.limits.in_flight_calls, 2000);
  EXPECT_EQ(server.limits.watch_streams, 300);
  EXPECT_EQ(server.limits.metadata_bytes, 32768);
  EXPECT_EQ(server.limits.pending_response_bytes_per_connection, 16777216);
  EXPECT_EQ(server.limits.pending_response_bytes, 268435456);
  EXPECT_EQ(server.limits.memory_bytes, 1073741824);
  EXPECT_EQ(server.limits.resource_quota_bytes, 536870912);
  EXPECT_EQ(server.limits.resets_per_connection, 0);
  EXPECT_EQ(config->aws.regions, (std::vector<std::string>{"eu-west-1", "us-east-1"}));
  EXPECT_EQ(config->watch.max_resources, 50);
  EXPECT_EQ(config->watch.not_found_cache, absl::ZeroDuration());
  EXPECT_THAT(ErrorOf("server:\n  limits:\n    connection: 5\n"),
              HasSubstr("gateway.yaml:3: server.limits.connection: unknown key; did you mean "
                        "\"connections\"?"));
  EXPECT_THAT(ErrorOf("server:\n  limits:\n    metadata_bytes: 10\n"),
              HasSubstr("server.limits.metadata_bytes"));
  EXPECT_THAT(ErrorOf("aws:\n  regions: [us-east-1, \"evil.example/\"]\n"),
              HasSubstr("aws.regions"));
  EXPECT_THAT(ErrorOf("aws:\n  regions: []\n"), HasSubstr("at least one region"));
}

TEST(ConfigLoaderTest, ProfileAndEnumValues) {
  absl::StatusOr<GatewayConfig> config = Load(
      "credentials:\n  profile: prod\naws:\n  retry:\n    mode: standard\n"
      "logging:\n  level: debug\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->credentials.profile, "prod");
  EXPECT_FALSE(config->credentials.has_static_keys());
  EXPECT_EQ(config->aws.retry.mode, RetryMode::kStandard);
  EXPECT_EQ(config->logging.level, observability::LogLevel::kDebug);
}

TEST(ConfigLoaderTest, WrongDurationNamesFileLineAndKey) {
  EXPECT_EQ(ErrorOf("server:\n  keepalive:\n    time: fast\n"),
            "gateway.yaml:3: server.keepalive.time: expected a duration like \"30s\" or "
            "\"500ms\", got \"fast\"");
  // A bare number has no unit; a negative one is no timeout.
  EXPECT_EQ(ErrorOf("aws:\n  call_timeout: 30\n"),
            "gateway.yaml:2: aws.call_timeout: expected a duration like \"30s\" or \"500ms\", "
            "got \"30\"");
  EXPECT_THAT(ErrorOf("http:\n  idle_timeout: -5s\n"),
              HasSubstr("gateway.yaml:2: http.idle_timeout"));
}

TEST(ConfigLoaderTest, OutOfRangeValues) {
  EXPECT_EQ(ErrorOf("aws:\n  retry:\n    max_attempts: 11\n"),
            "gateway.yaml:3: aws.retry.max_attempts: must be between 1 and 10, got 11");
  EXPECT_EQ(ErrorOf("aws:\n  retry:\n    max_attempts: 0\n"),
            "gateway.yaml:3: aws.retry.max_attempts: must be between 1 and 10, got 0");
  EXPECT_EQ(ErrorOf("server:\n  max_receive_message_bytes: 0\n"),
            "gateway.yaml:2: server.max_receive_message_bytes: must be between 1 and 2147483647, "
            "got 0");
  EXPECT_EQ(ErrorOf("server:\n  keepalive:\n    time: 10ms\n"),
            "gateway.yaml:3: server.keepalive.time: must be between 1s and 24h, got \"10ms\"");
  EXPECT_EQ(ErrorOf("http:\n  threads: 1000\n"),
            "gateway.yaml:2: http.threads: must be between 1 and 64, got 1000");
  // Beyond int64: not an integer at all.
  EXPECT_EQ(ErrorOf("http:\n  max_response_bytes: 99999999999999999999\n"),
            "gateway.yaml:2: http.max_response_bytes: expected an integer, got "
            "\"99999999999999999999\"");
}

TEST(ConfigLoaderTest, WrongTypes) {
  EXPECT_EQ(ErrorOf("server:\n  max_send_message_bytes: 4MB\n"),
            "gateway.yaml:2: server.max_send_message_bytes: expected an integer, got \"4MB\"");
  EXPECT_EQ(ErrorOf("aws:\n  use_fips_endpoint: yes\n"),
            "gateway.yaml:2: aws.use_fips_endpoint: expected true or false, got \"yes\"");
  EXPECT_EQ(ErrorOf("region:\n  - us-east-1\n"),
            "gateway.yaml:1: region: expected a string, got a list");
  EXPECT_EQ(ErrorOf("server:\n  keepalive:\n    time:\n"),
            "gateway.yaml:3: server.keepalive.time: expected a duration like \"30s\" or "
            "\"500ms\", got nothing");
  EXPECT_EQ(ErrorOf("server: 5\n"),
            "gateway.yaml:1: server: expected a mapping of keys, got a value");
  EXPECT_EQ(ErrorOf("http: [1, 2]\n"),
            "gateway.yaml:1: http: expected a mapping of keys, got a list");
  EXPECT_EQ(ErrorOf("- listen\n"), "gateway.yaml:1: expected a mapping of keys at the top");
  EXPECT_EQ(ErrorOf("region: \"\"\n"), "gateway.yaml:1: region: must not be empty");
}

TEST(ConfigLoaderTest, BadEnumValues) {
  EXPECT_EQ(ErrorOf("aws:\n  retry:\n    mode: legacy\n"),
            "gateway.yaml:3: aws.retry.mode: expected one of standard, adaptive, got \"legacy\"");
  EXPECT_EQ(ErrorOf("logging:\n  level: verbose\n"),
            "gateway.yaml:2: logging.level: expected one of debug, info, warn, error, got "
            "\"verbose\"");
}

TEST(ConfigLoaderTest, UnknownKeysAreErrorsWithSuggestions) {
  EXPECT_EQ(ErrorOf("server:\n  keepalive:\n    tme: 30s\n"),
            "gateway.yaml:3: server.keepalive.tme: unknown key; did you mean \"time\"?");
  EXPECT_EQ(ErrorOf("regoin: us-east-1\n"),
            "gateway.yaml:1: regoin: unknown key; did you mean \"region\"?");
  EXPECT_EQ(ErrorOf("listen: 127.0.0.1:1\nhttp:\n  max_conections_per_endpoint: 3\n"),
            "gateway.yaml:3: http.max_conections_per_endpoint: unknown key; did you mean "
            "\"max_connections_per_endpoint\"?");
  // Nothing close: the known keys are listed instead.
  EXPECT_EQ(ErrorOf("logging:\n  format: json\n"),
            "gateway.yaml:2: logging.format: unknown key; expected one of: level");
}

TEST(ConfigLoaderTest, DuplicateKeysAreErrors) {
  EXPECT_EQ(ErrorOf("region: us-east-1\nlisten: 127.0.0.1:1\nregion: eu-west-1\n"),
            "gateway.yaml:3: region: duplicate key");
}

TEST(ConfigLoaderTest, MalformedYamlReportsTheParserLine) {
  EXPECT_THAT(ErrorOf("server:\n  keepalive: {time: 30s\n"),
              HasSubstr("gateway.yaml:3: invalid YAML: "));
  EXPECT_EQ(ErrorOf("listen: 127.0.0.1:1\nregion: [us-east-1\n"),
            "gateway.yaml:3: invalid YAML: end of sequence flow not found");
  EXPECT_THAT(ErrorOf("a: b\n\tc: d\n"), HasSubstr("gateway.yaml:2: invalid YAML"));
  EXPECT_THAT(ErrorOf("region: *nowhere\n"), HasSubstr("gateway.yaml:1: invalid YAML"));
  EXPECT_EQ(ErrorOf("region: us-east-1\n---\nregion: eu-west-1\n"),
            "gateway.yaml:3: expected one YAML document, got several");
}

TEST(ConfigLoaderTest, StaticCredentialsComeInPairs) {
  EXPECT_EQ(ErrorOf("credentials:\n  access_key_id: AKID\n"),
            "gateway.yaml:1: credentials: access_key_id is set without secret_access_key");
  EXPECT_EQ(ErrorOf("credentials:\n  secret_access_key: s3cr3t\n"),
            "gateway.yaml:1: credentials: secret_access_key is set without access_key_id");
  EXPECT_EQ(ErrorOf("credentials:\n  session_token: t0k3n\n"),
            "gateway.yaml:1: credentials: session_token needs access_key_id and "
            "secret_access_key");
  EXPECT_EQ(ErrorOf("credentials:\n  profile: p\n  access_key_id: a\n  secret_access_key: s\n"),
            "gateway.yaml:1: credentials: set either profile or static keys (access_key_id, "
            "...), not both");
}

TEST(ConfigLoaderTest, SecretsAreNeverEchoed) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG";
  for (const std::string& yaml : {
           "credentials:\n  access_key_id: AKID\n  secret_access_key: [" + secret + "]\n",
           "credentials:\n  access_key_id: AKID\n  secret_access_key: s\n  session_token:\n    " +
               secret + ": 1\n",
           "credentials:\n  secret_access_key: " + secret + "\n",
           "credentials:\n  session_token: " + secret + "\n",
           "credentials:\n  secret_access_key: \"" + secret + "\"\n  bogus: 1\n",
       }) {
    EXPECT_THAT(ErrorOf(yaml), Not(HasSubstr(secret))) << yaml;
  }
  // A secret pasted as a key (the colon forgotten) is not quoted either,
  // while a mere typo still gets its suggestion.
  EXPECT_EQ(ErrorOf("credentials: {access_key_id: AKID, secret_access_key " + secret + "}\n"),
            "gateway.yaml:1: credentials.<unknown key>: unknown key; expected one of: "
            "access_key_id, secret_access_key, session_token, profile");
  EXPECT_EQ(ErrorOf("credentials:\n  secret_acess_key: x\n"),
            "gateway.yaml:2: credentials.<unknown key>: unknown key; did you mean "
            "\"secret_access_key\"?");
  EXPECT_EQ(ErrorOf("credentials:\n  " + secret + ": 1\n  " + secret + ": 2\n"),
            "gateway.yaml:3: credentials.<unknown key>: duplicate key");
  EXPECT_EQ(ErrorOf("credentials:\n  access_key_id: AKID\n  secret_access_key: {a: b}\n"),
            "gateway.yaml:3: credentials.secret_access_key: expected a string, got a mapping");
}

TEST(ConfigLoaderTest, ServiceEndpointKeysAreServiceIds) {
  EXPECT_EQ(ErrorOf("aws:\n  endpoints:\n    app_runner: https://x.example\n"),
            "gateway.yaml:3: aws.endpoints.app_runner: unknown service; did you mean "
            "\"apprunner\"?");
  EXPECT_EQ(ErrorOf("aws:\n  endpoints:\n    s3: https://x.example\n"),
            "gateway.yaml:3: aws.endpoints.s3: unknown service; expected one of: amplify, "
            "appconfig, apprunner, ecs, serverlessapplicationrepository");
}

TEST(ConfigLoaderTest, EndpointUrlsAreValidated) {
  EXPECT_THAT(ErrorOf("aws:\n  endpoints:\n    ecs: http://ecs.example.com\n"),
              HasSubstr("gateway.yaml:3: aws.endpoints.ecs: invalid endpoint URL "
                        "\"http://ecs.example.com\": "));
  EXPECT_THAT(ErrorOf("aws:\n  endpoint_url: ftp://x\n"),
              HasSubstr("gateway.yaml:2: aws.endpoint_url: invalid endpoint URL \"ftp://x\""));
  EXPECT_EQ(ErrorOf("aws:\n  endpoints:\n    ecs:\n"),
            "gateway.yaml:3: aws.endpoints.ecs: expected a URL, got nothing");
}

TEST(ConfigLoaderTest, AddressesAndRegionsAreValidated) {
  EXPECT_EQ(ErrorOf("listen: localhost\n"),
            "gateway.yaml:1: listen: expected host:port like \"127.0.0.1:50051\", got "
            "\"localhost\"");
  EXPECT_EQ(ErrorOf("metrics:\n  listen: \"::1:9090\"\n"),
            "gateway.yaml:2: metrics.listen: expected host:port like \"127.0.0.1:50051\", got "
            "\"::1:9090\"");
  EXPECT_EQ(ErrorOf("listen: 127.0.0.1:70000\n"),
            "gateway.yaml:1: listen: expected host:port like \"127.0.0.1:50051\", got "
            "\"127.0.0.1:70000\"");
  EXPECT_EQ(ErrorOf("region: US East\n"),
            "gateway.yaml:1: region: expected an AWS region like \"us-east-1\", got \"US East\"");
}

TEST(ConfigLoaderTest, TlsNeedsReadableCertAndKey) {
  WriteFile("tls_only_cert.pem", "cert");
  EXPECT_EQ(ErrorOf("server:\n  tls:\n    cert_file: tls_only_cert.pem\n"),
            "gateway.yaml:2: server.tls: cert_file and key_file are both required to serve TLS");
  EXPECT_EQ(ErrorOf("server:\n  tls:\n    cert_file: /nonexistent/cert.pem\n    key_file: k\n"),
            "gateway.yaml:3: server.tls.cert_file: cannot read \"/nonexistent/cert.pem\": No such "
            "file or directory");
  EXPECT_EQ(ErrorOf("http:\n  extra_ca_file: missing-ca.pem\n"),
            "gateway.yaml:2: http.extra_ca_file: cannot read \"" + TestDir() +
                "missing-ca.pem\": No such file or directory");
}

TEST(ConfigLoaderTest, PemFilesMustHoldWhatTheKeySays) {
  const std::string dir = TestDir() + "pem/";
  const std::string junk = WriteFile("junk.pem", "not a certificate\n");
  const std::string tls = "server:\n  tls:\n    cert_file: " + dir + "server.pem\n    key_file: ";
  EXPECT_EQ(ErrorOf(tls + dir + "wrong_host.key\n"),
            "gateway.yaml:4: server.tls.key_file: \"" + dir +
                "wrong_host.key\" is not the private key of cert_file");
  EXPECT_EQ(ErrorOf(tls + junk + "\n"), "gateway.yaml:4: server.tls.key_file: \"" + junk +
                                            "\" holds no unencrypted PEM private key");
  EXPECT_EQ(ErrorOf(tls + dir + "server.key\n    client_ca_file: " + junk + "\n"),
            "gateway.yaml:5: server.tls.client_ca_file: \"" + junk + "\" holds no PEM certificate");
  EXPECT_EQ(
      ErrorOf("server:\n  tls:\n    cert_file: " + dir + "server.key\n    key_file: " + dir +
              "server.key\n"),
      "gateway.yaml:3: server.tls.cert_file: \"" + dir + "server.key\" holds no PEM certificate");
  EXPECT_EQ(ErrorOf("http:\n  extra_ca_file: " + junk + "\n"),
            "gateway.yaml:2: http.extra_ca_file: \"" + junk + "\" holds no PEM certificate");
  // A key file's contents are never quoted, even when it is not a key.
  const std::string secret_key = WriteFile("secret.key", "SECRET-KEY-MATERIAL\n");
  EXPECT_THAT(ErrorOf(tls + secret_key + "\n"), Not(HasSubstr("SECRET-KEY-MATERIAL")));
}

TEST(ConfigLoaderTest, LoadsFromAFileAndNamesIt) {
  const std::string path = WriteFile("bad.yaml", "listen: 127.0.0.1:1\nserver:\n  bogus: 1\n");
  absl::StatusOr<GatewayConfig> config = LoadGatewayConfig(path, Services());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), path +
                                           ":3: server.bogus: unknown key; expected one of: "
                                           "tls, max_receive_message_bytes, "
                                           "max_send_message_bytes, keepalive, shutdown_grace, "
                                           "handshake_timeout, max_connection_idle, limits, "
                                           "listener_stall_timeout");

  config = LoadGatewayConfig(TestDir() + "no-such.yaml", Services());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(config.status().message(), HasSubstr("no-such.yaml"));
}

TEST(ConfigLoaderTest, AFolderIsNotAFile) {
  // Opening a folder succeeds and reads as empty: it must not pass for an
  // empty (all-defaults) config file or an empty PEM file.
  absl::StatusOr<GatewayConfig> config = LoadGatewayConfig("/tmp", Services());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(config.status().message(), "config file: cannot read \"/tmp\": Is a directory");
  EXPECT_EQ(ErrorOf("http:\n  extra_ca_file: /tmp\n"),
            "gateway.yaml:2: http.extra_ca_file: cannot read \"/tmp\": Is a directory");
}

TEST(ConfigLoaderTest, HostileInputNeverCrashes) {
  for (absl::string_view yaml :
       {"{", "]", "!!binary 4", "? [a, b]\n: c\n", "a: &x [*x]\n", "listen: !!int 5\n",
        "listen: \"\\xZZ\"\n", "%YAML 9.9\n---\na: 1\n",
        "server:\n  tls: &t\n    cert_file: *t\n"}) {
    absl::StatusOr<GatewayConfig> config = Load(yaml);
    EXPECT_FALSE(config.ok()) << yaml;
  }
}

TEST(ConfigLoaderTest, DeepNestingIsAnErrorNotACrash) {
  for (int depth : {1000, 100000}) {
    EXPECT_FALSE(Load("listen: " + std::string(depth, '[')).ok()) << depth;
    EXPECT_FALSE(Load("listen: " + std::string(depth, '[') + std::string(depth, ']')).ok());
  }
}

}  // namespace
}  // namespace awsgw::gateway::config
