// aws-grpc-gateway: serves every AWS action of the generated service protos
// over gRPC, with health checking and server reflection, and forwards each
// call to AWS: translated, signed with the gateway's credentials, sent over
// pooled HTTPS, retried as the AWS SDKs do.
//
// Settings come from flags, then the --config YAML file, then the AWS
// environment variables, then built-in defaults (README "Configuration").
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/json_writer.h"
#include "gateway/aws_client/aws_client.h"
#include "gateway/aws_client/credentials_setup.h"
#include "gateway/aws_client/endpoints.h"
#include "gateway/config/aws_client_options_mapping.h"
#include "gateway/config/config_loader.h"
#include "gateway/config/server_limits.h"
#include "gateway/config/server_listener.h"
#include "gateway/observability/build_info.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/observability/json_log.h"
#include "gateway/observability/library_logs.h"
#include "gateway/observability/metrics_registry.h"
#include "gateway/observability/metrics_server.h"
#include "gateway/observability/process_metrics.h"
#include "gateway/server/accept_guard.h"
#include "gateway/server/access_gate.h"
#include "gateway/server/aws_poll_client.h"
#include "gateway/server/callers_setup.h"
#include "gateway/server/connection_registry.h"
#include "gateway/server/descriptor_limit.h"
#include "gateway/server/dynamic_service.h"
#include "gateway/server/embedded_emulator.h"
#include "gateway/server/intake_guard.h"
#include "gateway/server/limit_events.h"
#include "gateway/server/listener_watchdog.h"
#include "gateway/server/memory_monitor.h"
#include "gateway/server/readiness_monitor.h"
#include "gateway/server/reflection_v1_service.h"
#include "gateway/server/runtime_metrics.h"
#include "gateway/server/served_services.h"
#include "gateway/server/unary_call_reactor.h"
#include "gateway/server/watch_service.h"
#include "gateway/watch/scheduler.h"
#include "gateway/watch/watch_engine.h"
#include "gateway/watch/watch_metrics.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "translators/method_table.h"

ABSL_FLAG(bool, emulator, false,
          "run the embedded AWS emulator in this process on a loopback port and send every "
          "call there, signed with its keys: no AWS account or network needed");
ABSL_FLAG(std::string, config, "",
          "YAML configuration file (README \"Configuration\"); flags given on the command "
          "line override it");
// Optional flags: unset means "the config file, else the default", so that
// a flag given on the command line always wins.
ABSL_FLAG(std::optional<std::string>, listen, std::nullopt,
          "HOST:PORT to serve gRPC on (default: config `listen`, else 127.0.0.1:50051); port 0 "
          "picks a free port (printed at start-up)");
ABSL_FLAG(std::optional<absl::Duration>, shutdown_grace, std::nullopt,
          "how long in-flight calls may run after SIGTERM/SIGINT (default: config "
          "`server.shutdown_grace`, else 10s)");
ABSL_FLAG(std::string, region, "",
          "AWS region of the calls (default: config `region`, AWS_REGION, AWS_DEFAULT_REGION, "
          "the profile's)");
ABSL_FLAG(std::optional<std::string>, metrics_listen, std::nullopt,
          "HOST:PORT to serve Prometheus metrics on (GET /metrics) (default: config "
          "`metrics.listen`, else no metrics endpoint)");
ABSL_FLAG(std::optional<std::string>, retry_mode, std::nullopt,
          "AWS SDK retry mode: standard, or adaptive (adds a client-side rate limiter shared "
          "by all callers per identity, region and service) (default: config "
          "`aws.retry.mode`, else standard)");
ABSL_FLAG(absl::Duration, watch_min_interval, absl::Seconds(1),
          "the fastest a watch stream may ask its resource to be polled (WatchOptions."
          "min_interval is raised to this)");
ABSL_FLAG(std::string, explain_principal, "",
          "answer without serving: may this principal perform --explain_action on "
          "--explain_resource under the --config policy, and which statement decides? Prints "
          "one JSON line; exits 0 when allowed, 1 when denied");
ABSL_FLAG(std::vector<std::string>, explain_groups, {},
          "the principal's groups, for --explain_principal");
ABSL_FLAG(std::string, explain_action, "",
          "AWS action for --explain_principal (ecs:DescribeServices)");
ABSL_FLAG(std::string, explain_resource, "*", "resource ARN for --explain_principal");
ABSL_FLAG(std::string, explain_region, "",
          "region for --explain_principal (default: the configured region)");
ABSL_FLAG(bool, check_config, false,
          "check the configuration (--config and the other flags) as a start would, print the "
          "result and exit: 0 if the gateway would start with it, 2 (with the error, its key "
          "and line) if not. Nothing is served and nothing is fetched");
ABSL_FLAG(bool, accept_guard, true,
          "keep the gRPC listener accepting when descriptors run out, and cap connections "
          "(false: gRPC's own listener alone, which stops for good on EMFILE; for diagnostics "
          "only)");
ABSL_FLAG(std::optional<std::string>, log_level, std::nullopt,
          "lowest level logged: debug, info (one line per call), warn (failed calls), error "
          "(default: config `logging.level`, else info)");

namespace {

using awsgw::gateway::observability::Log;
using awsgw::gateway::observability::LogField;
using awsgw::gateway::observability::LogLevel;
using awsgw::gateway::observability::LogLifecycle;

// Its aws.endpoints keys may name the services this build serves.
awsgw::gateway::config::LoadOptions LoadOptionsFor(const awsgw::translators::MethodTable& catalog) {
  awsgw::gateway::config::LoadOptions options;
  for (const awsgw::translators::ServiceEntry& entry : catalog.services()) {
    options.service_ids.push_back(entry.info->service_id());
  }
  return options;
}

// The file named by --config (an empty config without one).
absl::StatusOr<awsgw::gateway::config::GatewayConfig> LoadConfig(
    const awsgw::translators::MethodTable& catalog) {
  const std::string path = absl::GetFlag(FLAGS_config);
  if (path.empty()) return awsgw::gateway::config::GatewayConfig();
  return awsgw::gateway::config::LoadGatewayConfig(path, LoadOptionsFor(catalog));
}

// The start-up line's word on callers, so an open gateway says so.
std::string CallersSummary(const std::optional<awsgw::gateway::config::CallersConfig>& callers) {
  if (!callers.has_value()) {
    return "open: callers are not identified and may call every action (loopback only)";
  }
  std::vector<std::string> methods;
  if (callers->authentication.mtls) methods.push_back("mtls");
  if (callers->authentication.jwt) methods.push_back("jwt");
  if (!callers->authentication.api_keys.empty()) methods.push_back("api_keys");
  if (callers->allow_unauthenticated) methods.push_back("anonymous");
  return absl::StrCat("authenticated by ", absl::StrJoin(methods, ", "),
                      "; the policy decides every call");
}

// The flags that override file settings, applied to `config`. INVALID_ARGUMENT
// naming the flag for a value it does not take.
absl::Status ApplyFlags(awsgw::gateway::config::GatewayConfig& config) {
  if (std::optional<std::string> level = absl::GetFlag(FLAGS_log_level)) {
    std::optional<LogLevel> parsed = awsgw::gateway::observability::ParseLogLevel(*level);
    if (!parsed.has_value()) {
      return absl::InvalidArgumentError("--log_level must be debug, info, warn or error");
    }
    config.logging.level = *parsed;
  }
  if (std::optional<std::string> mode = absl::GetFlag(FLAGS_retry_mode)) {
    if (*mode == "adaptive") {
      config.aws.retry.mode = awsgw::gateway::config::RetryMode::kAdaptive;
    } else if (*mode == "standard") {
      config.aws.retry.mode = awsgw::gateway::config::RetryMode::kStandard;
    } else {
      return absl::InvalidArgumentError("--retry_mode must be standard or adaptive");
    }
  }
  if (std::optional<std::string> metrics = absl::GetFlag(FLAGS_metrics_listen)) {
    config.metrics.listen = *metrics;
  }
  if (std::optional<std::string> listen = absl::GetFlag(FLAGS_listen)) config.listen = *listen;
  if (!absl::GetFlag(FLAGS_region).empty()) config.region = absl::GetFlag(FLAGS_region);
  return absl::OkStatus();
}

int Fail(absl::string_view what, const absl::Status& status) {
  Log(LogLevel::kError, {{"msg", std::string(what)}, {"error", std::string(status.message())}});
  return 2;
}

// A usable address that others may reach needs callers to be identified,
// unless the gateway serves its embedded emulator: then no AWS identity is
// at stake, and a container or a development cluster may publish it.
absl::Status CheckListenerIsGuarded(const std::string& listen,
                                    const awsgw::gateway::config::GatewayConfig& config) {
  if (absl::GetFlag(FLAGS_emulator)) return absl::OkStatus();
  return awsgw::gateway::server::CheckListenerIsGuarded(listen, config.callers);
}

// --help lists the gateway's own flags, --helpfull adds the libraries',
// --version prints VersionLine(); no output names a build machine's folders.
void SetUpUsage() {
  absl::SetProgramUsageMessage(
      "gRPC gateway to AWS control-plane APIs (App Runner, Amplify, AppConfig, ECS, the "
      "Serverless Application Repository).\n\n"
      "  aws-grpc-gateway --emulator                 serve the embedded AWS emulator on "
      "127.0.0.1:50051\n"
      "  aws-grpc-gateway --config gateway.yaml      serve AWS as the file says\n"
      "  aws-grpc-gateway --config gateway.yaml --check_config\n"
      "                                              check a configuration and exit\n\n"
      "Settings come from the flags, then the --config file, then the AWS environment "
      "variables. README \"Configuration\" describes every key; --helpfull lists the "
      "libraries' flags too.");
  absl::FlagsUsageConfig usage;
  // Our flags are defined here, and their file is named from the source
  // root (-fmacro-prefix-map in CMakeLists.txt).
  const auto is_ours = [](absl::string_view file) { return file == "gateway/server/main.cc"; };
  usage.contains_help_flags = is_ours;
  usage.contains_helpshort_flags = is_ours;
  usage.version_string = [] {
    return absl::StrCat(awsgw::gateway::observability::VersionLine(), "\n");
  };
  // Flags of a library built elsewhere (abseil's --flagfile, --fromenv...)
  // are named from its source root on, not from that build's folders.
  usage.normalize_filename = [](absl::string_view file) {
    const size_t absl_dir = file.rfind("absl/");
    return std::string(absl_dir == absl::string_view::npos ? file : file.substr(absl_dir));
  };
  absl::SetFlagsUsageConfig(std::move(usage));
}

// One JSON object on stdout: the answer of a command that does not serve.
void PrintJsonLine(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string line;
  awsgw::base::JsonWriter json(&line);
  json.BeginObject();
  for (const auto& [key, value] : fields) {
    json.Key(key);
    json.String(value);
  }
  json.EndObject();
  std::printf("%s\n", line.c_str());
}

// --explain_principal: the policy's answer, printed, without serving.
int Explain(const awsgw::gateway::config::GatewayConfig& config) {
  if (!config.callers.has_value()) {
    return Fail("cannot explain", absl::FailedPreconditionError(
                                      "the configuration has no callers section: every caller "
                                      "may do everything (loopback only)"));
  }
  absl::StatusOr<std::shared_ptr<const awsgw::auth::policy::Policy>> policy =
      awsgw::gateway::server::LoadPolicy(*config.callers);
  if (!policy.ok()) return Fail("invalid caller policy", policy.status());
  const std::string principal = absl::GetFlag(FLAGS_explain_principal);
  const std::string action = absl::GetFlag(FLAGS_explain_action);
  const std::string resource = absl::GetFlag(FLAGS_explain_resource);
  std::string region = absl::GetFlag(FLAGS_explain_region);
  if (region.empty()) region = config.region.value_or("");
  std::string statement;
  const bool allowed = awsgw::gateway::server::AccessGate::Explain(
      **policy, principal, absl::GetFlag(FLAGS_explain_groups), action, resource, region,
      &statement);
  PrintJsonLine({{"principal", principal},
                 {"action", action},
                 {"resource", resource},
                 {"region", region},
                 {"decision", allowed ? "allow" : "deny"},
                 {"statement", statement.empty() ? "(none: no statement allows it)" : statement}});
  return allowed ? 0 : 1;
}

// --check_config: what a start would refuse in the configuration, short of
// binding ports and fetching JWKS. Listener settings (TLS files included)
// are applied to a builder that is never started.
int CheckConfig(const awsgw::gateway::config::GatewayConfig& config,
                const awsgw::translators::MethodTable& catalog) {
  const std::string listen = config.listen.value_or("127.0.0.1:50051");
  if (absl::Status guarded = CheckListenerIsGuarded(listen, config); !guarded.ok()) {
    return Fail("cannot serve", guarded);
  }
  if (config.callers.has_value()) {
    if (absl::Status callers = awsgw::gateway::server::CheckCallers(*config.callers, catalog);
        !callers.ok()) {
      return Fail("invalid callers settings", callers);
    }
  }
  grpc::ServerBuilder unused;
  int port = 0;
  if (absl::Status listener = awsgw::gateway::config::ConfigureListener(
          config.server, awsgw::gateway::config::ServerLimitsFrom(config.server, std::nullopt),
          listen, &unused, &port);
      !listener.ok()) {
    return Fail("cannot listen", listener);
  }
  PrintJsonLine(
      {{"msg", "configuration OK"},
       {"config", absl::GetFlag(FLAGS_config).empty() ? "(none)" : absl::GetFlag(FLAGS_config)},
       {"listen", listen},
       {"transport", awsgw::gateway::config::TransportSecurityName(config.server)},
       {"callers", CallersSummary(config.callers)}});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  SetUpUsage();
  absl::ParseCommandLine(argc, argv);
  // Every line on stderr is JSON, the libraries' own included.
  awsgw::gateway::observability::RouteLibraryLogsToJsonLog();
  // Debian's abseil checks every Mutex acquisition for lock-order cycles
  // through one global graph: a debugging aid that serializes the hot path
  // (measured in bench/gateway_load). Tests keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the shutdown signals before gRPC starts its threads, so that only
  // the sigwait below receives them.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  sigaddset(&shutdown_signals, SIGHUP);  // reloads the caller policy
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  // Before anything opens a descriptor: the cap on connections follows it.
  const int64_t descriptors = awsgw::gateway::server::RaiseDescriptorLimit();

  auto catalog = awsgw::translators::MethodTable::FromGeneratedPool();
  if (!catalog.ok()) {
    Log(LogLevel::kError,
        {{"msg", "invalid service protos"}, {"error", std::string(catalog.status().message())}});
    return 1;
  }
  absl::StatusOr<awsgw::gateway::config::GatewayConfig> config = LoadConfig(**catalog);
  if (!config.ok()) return Fail("invalid configuration", config.status());
  if (absl::Status flags = ApplyFlags(*config); !flags.ok()) return Fail("invalid flag", flags);
  awsgw::gateway::observability::SetLogLevel(config->logging.level.value_or(LogLevel::kInfo));
  if (!absl::GetFlag(FLAGS_explain_principal).empty()) return Explain(*config);
  if (absl::GetFlag(FLAGS_check_config)) return CheckConfig(*config, **catalog);

  std::unique_ptr<awsgw::gateway::server::EmbeddedEmulator> emulator;
  if (absl::GetFlag(FLAGS_emulator)) {
    if (!config->region.has_value()) config->region = "us-east-1";
    absl::StatusOr<std::unique_ptr<awsgw::gateway::server::EmbeddedEmulator>> started =
        awsgw::gateway::server::EmbeddedEmulator::Start(*config->region);
    if (!started.ok()) return Fail("cannot start the emulator", started.status());
    emulator = *std::move(started);
    // Every service, whatever the file or the environment say, goes to the
    // emulator, signed with its keys.
    config->aws.endpoint_url = emulator->url();
    config->aws.endpoints.clear();
    const awsgw::auth::Credentials& keys = emulator->credentials();
    config->credentials = {};
    config->credentials.access_key_id = keys.access_key_id();
    config->credentials.secret_access_key = std::string(keys.secret_access_key());
    LogLifecycle({{"msg", "emulator"}, {"address", emulator->url()}, {"region", *config->region}});
  }

  awsgw::gateway::observability::Registry registry;
  awsgw::gateway::server::LimitEvents limit_events(&registry);
  awsgw::gateway::observability::GatewayMetrics gateway_metrics(registry);
  awsgw::gateway::observability::RegisterProcessMetrics(registry);
  awsgw::gateway::observability::RegisterBuildInfo(registry);
  awsgw::gateway::watch::WatchMetrics watch_metrics(registry);
  awsgw::gateway::aws_client::AwsClientOptions options =
      awsgw::gateway::config::ToAwsClientOptions(*config, awsgw::base::ProcessEnvironment);
  options.metrics = &gateway_metrics;
  awsgw::gateway::aws_client::CredentialsSetup credentials_setup;
  credentials_setup.static_keys = awsgw::gateway::config::StaticKeysOf(config->credentials);
  if (emulator != nullptr) credentials_setup.static_keys->source = "embedded emulator";
  credentials_setup.profile = config->credentials.profile.value_or("");
  absl::StatusOr<std::string> region = awsgw::gateway::aws_client::ResolveGatewayRegion(
      options.region, credentials_setup.profile, credentials_setup.env);
  if (!region.ok()) return Fail("cannot resolve the AWS region", region.status());
  options.region = *region;
  credentials_setup.region = options.region;
  credentials_setup.endpoints = options.endpoints;

  absl::StatusOr<std::unique_ptr<awsgw::http::client::HttpClient>> http =
      awsgw::http::client::HttpClient::Create(awsgw::gateway::config::ToHttpClientOptions(*config));
  if (!http.ok()) return Fail("cannot start the AWS client", http.status());
  std::shared_ptr<awsgw::http::client::HttpClient> http_client = *std::move(http);
  absl::StatusOr<std::shared_ptr<awsgw::auth::providers::CredentialsCache>> credentials =
      awsgw::gateway::aws_client::MakeGatewayCredentials(credentials_setup, http_client);
  if (!credentials.ok()) return Fail("invalid AWS credentials settings", credentials.status());
  LogLifecycle({{"msg", "credentials source"}, {"source", (*credentials)->Describe()}});

  awsgw::gateway::server::RegisterRuntimeMetrics(registry, http_client, *credentials);
  std::unique_ptr<awsgw::gateway::observability::MetricsServer> metrics_server;
  if (config->metrics.listen.has_value()) {
    const std::string& address = *config->metrics.listen;
    absl::StatusOr<std::unique_ptr<awsgw::gateway::observability::MetricsServer>> started =
        awsgw::gateway::observability::MetricsServer::Start(
            address, [&registry] { return registry.Render(); });
    if (!started.ok()) return Fail("cannot serve metrics", started.status());
    metrics_server = *std::move(started);
    const std::string host = address.substr(0, address.rfind(':'));
    LogLifecycle(
        {{"msg", "serving metrics"}, {"address", absl::StrCat(host, ":", metrics_server->port())}});
  }

  // What one gateway takes on before it refuses more (README "Limits").
  awsgw::gateway::config::ServerLimits limits = awsgw::gateway::config::ServerLimitsFrom(
      config->server, awsgw::gateway::server::ContainerMemoryLimit());
  limits.connections = awsgw::gateway::server::ConnectionCapFor(limits.connections, descriptors);
  auto connections = std::make_shared<awsgw::gateway::server::ConnectionRegistry>(
      awsgw::gateway::server::ConnectionRegistry::Options{
          .max_connections = limits.connections,
          .resets_per_window = limits.resets_per_connection,
          .reset_window = limits.reset_window});
  awsgw::gateway::server::MemoryMonitor memory({.limit = limits.memory_bytes});
  awsgw::gateway::server::IntakeGuard::Options intake_options{.limits = limits, .regions = {}};
  if (config->aws.regions.has_value()) {
    intake_options.regions = *config->aws.regions;
    // The gateway's own region is always one its callers may name.
    if (!options.region.empty()) intake_options.regions.push_back(options.region);
  }
  awsgw::gateway::server::IntakeGuard intake(std::move(intake_options), connections, &memory,
                                             &limit_events);
  memory.Start(
      [&intake] { return intake.in_flight(awsgw::gateway::server::IntakeGuard::Kind::kCall); });
  awsgw::gateway::server::RegisterLimitMetrics(registry, connections, intake, memory);
  std::vector<LogField> limit_fields = {{"msg", "limits"},
                                        {"descriptors", descriptors},
                                        {"connections", limits.connections},
                                        {"in_flight_calls", limits.in_flight_calls},
                                        {"watch_streams", limits.watch_streams}};
  // Absent without a ceiling: a field is a number or nothing, never "none".
  if (limits.memory_bytes) limit_fields.push_back({"memory_bytes", *limits.memory_bytes});
  LogLifecycle(limit_fields);

  const std::string listen = config->listen.value_or("127.0.0.1:50051");
  // Who may call, and what each caller may do: decided before any AWS request.
  std::unique_ptr<awsgw::gateway::server::CallerAccess> caller_access;
  std::unique_ptr<awsgw::gateway::server::PolicyReloader> policy_reloader;
  if (config->callers.has_value()) {
    absl::StatusOr<std::unique_ptr<awsgw::gateway::server::CallerAccess>> access =
        awsgw::gateway::server::SetUpCallerAccess(*config->callers, **catalog, options.region,
                                                  registry);
    if (!access.ok()) return Fail("invalid callers settings", access.status());
    caller_access = *std::move(access);
    if (!absl::GetFlag(FLAGS_config).empty()) {
      policy_reloader = std::make_unique<awsgw::gateway::server::PolicyReloader>(
          absl::GetFlag(FLAGS_config), config->callers->policy_file.value_or(""),
          LoadOptionsFor(**catalog), caller_access->gate.get(), registry);
    }
  }
  const awsgw::gateway::server::AccessGate* gate =
      caller_access != nullptr ? caller_access->gate.get() : nullptr;

  auto aws_client = std::make_unique<awsgw::gateway::aws_client::AwsClient>(
      std::move(options), http_client, *credentials);
  awsgw::gateway::aws_client::AwsClient* aws = aws_client.get();
  awsgw::gateway::server::IntakeGuard* const intake_guard = &intake;
  const awsgw::gateway::server::UnaryHandler forward =
      [aws, intake_guard, gate](const awsgw::translators::MethodEntry& method,
                                grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
        return awsgw::gateway::server::UnaryCallReactor::Start(aws, intake_guard, gate, method,
                                                               context, request, response);
      };

  // Watch streams poll through the same AWS client, under the gateway's identity.
  awsgw::gateway::server::AwsPollClient poll_client(
      aws, [credentials = *credentials] { return credentials->Describe(); });
  awsgw::gateway::watch::EngineOptions watch_options;
  watch_options.min_interval_floor = absl::GetFlag(FLAGS_watch_min_interval);
  if (config->watch.max_resources) {
    watch_options.max_resources = static_cast<size_t>(*config->watch.max_resources);
  }
  if (config->watch.not_found_cache) watch_options.not_found_ttl = *config->watch.not_found_cache;
  watch_options.on_resource_limit = [&limit_events](const std::string& what) {
    limit_events.Refused("max_resources", what);
  };
  awsgw::gateway::watch::WatchEngine watch_engine(
      std::make_unique<awsgw::gateway::watch::AsioScheduler>(), &poll_client, watch_options,
      &watch_metrics);
  auto watch_service = awsgw::gateway::server::WatchGrpcService::Create(
      **catalog, &watch_engine, &intake, gate, &gateway_metrics);
  if (!watch_service.ok()) return Fail("invalid watch protos", watch_service.status());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  if (absl::Status status = awsgw::gateway::config::ConfigureListener(config->server, limits,
                                                                      listen, &builder, &port);
      !status.ok()) {
    Log(LogLevel::kError, {{"msg", "cannot listen"}, {"error", std::string(status.message())}});
    return 1;
  }
  if (absl::Status guarded = CheckListenerIsGuarded(listen, *config); !guarded.ok()) {
    return Fail("cannot serve", guarded);
  }
  std::vector<std::unique_ptr<awsgw::gateway::server::DynamicService>> services;
  for (const awsgw::translators::ServiceEntry& entry : (*catalog)->services()) {
    services.push_back(std::make_unique<awsgw::gateway::server::DynamicService>(entry, forward));
    builder.RegisterService(services.back().get());
  }
  builder.RegisterService(watch_service->get());
  awsgw::gateway::server::ReflectionV1Service reflection_v1(
      awsgw::gateway::server::ServedServiceNames(**catalog));
  builder.RegisterService(&reflection_v1);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    Log(LogLevel::kError, {{"msg", "cannot listen"}, {"listen", listen}});
    return 1;
  }
  // Ready once calls can be signed; the monitor keeps it so.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  for (const std::string& name : awsgw::gateway::server::ServedServiceNames(**catalog)) {
    health->SetServingStatus(name, false);
  }
  health->SetServingStatus(false);  // every status above, and the overall one ("")
  awsgw::gateway::server::ReadinessMonitor readiness(
      *credentials, [health](bool serving) { health->SetServingStatus(serving); });

  // No sequence of connections may stop the listener; a listener that stops
  // anyway makes the gateway unhealthy and exit, for its supervisor to
  // start it again, rather than live on as a zombie.
  awsgw::gateway::server::AcceptGuard& accept_guard =
      awsgw::gateway::server::AcceptGuard::Instance();
  if (absl::Status guarded =
          accept_guard.Guard(port, connections, absl::GetFlag(FLAGS_accept_guard));
      !guarded.ok()) {
    return Fail("cannot guard the listener", guarded);
  }
  std::atomic<int> exit_code{0};
  awsgw::gateway::server::ListenerWatchdog watchdog(
      &accept_guard, connections,
      {.poke_after = std::min(absl::Seconds(2), limits.listener_stall_timeout / 4),
       .stalled_after = limits.listener_stall_timeout},
      &limit_events, [&exit_code, &readiness, health] {
        Log(LogLevel::kError,
            {{"msg", "listener stalled"},
             {"error",
              "connections wait and the gRPC listener accepts none; exiting for the supervisor "
              "to restart the gateway"}});
        readiness.Stop();
        health->SetServingStatus(false);
        exit_code = 3;
        kill(getpid(), SIGTERM);
      });
  const std::string host = listen.substr(0, listen.rfind(':'));
  LogLifecycle({{"msg", "serving"},
                {"address", absl::StrCat(host, ":", port)},
                {"transport", awsgw::gateway::config::TransportSecurityName(config->server)},
                {"services", (*catalog)->services().size()},
                {"methods", (*catalog)->method_count()},
                {"region", aws->region().empty() ? "(none)" : aws->region()},
                {"callers", CallersSummary(config->callers)}});

  int signal = 0;
  for (;;) {
    sigwait(&shutdown_signals, &signal);
    if (signal != SIGHUP) break;
    if (policy_reloader != nullptr) {
      (void)policy_reloader->Reload();  // logs and counts either outcome
    } else {
      LogLifecycle({{"msg", "SIGHUP ignored: no caller policy to reload"}});
    }
  }
  LogLifecycle({{"msg", "shutting down"}, {"signal", signal}});
  watchdog.Stop();
  readiness.Stop();
  health->SetServingStatus(false);
  watch_engine.Drain();
  const absl::Duration grace =
      absl::GetFlag(FLAGS_shutdown_grace)
          .value_or(config->server.shutdown_grace.value_or(absl::Seconds(10)));
  server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server->Wait();
  return exit_code.load();
}
