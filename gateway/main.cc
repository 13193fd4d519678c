// aws-grpc-gateway: serves every AWS action of the generated service protos
// over gRPC, with health checking and server reflection, and forwards each
// call to AWS: translated, signed with the gateway's credentials, sent over
// pooled HTTPS, retried as the AWS SDKs do.
//
// Settings come from flags, then the --config YAML file, then the AWS
// environment variables, then built-in defaults (README "Configuration").
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gateway/aws_backend.h"
#include "gateway/config/backend_options_mapping.h"
#include "gateway/config/config_loader.h"
#include "gateway/config/server_listener.h"
#include "gateway/config/unapplied_settings.h"
#include "gateway/dynamic_service.h"
#include "gateway/endpoints.h"
#include "gateway/environment_credentials.h"
#include "gateway/service_catalog.h"
#include "gateway/unary_call_reactor.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "translators/json_writer.h"

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
          "AWS region of the calls (default: config `region`, then AWS_REGION, then "
          "AWS_DEFAULT_REGION)");

namespace {

// Start-up and shutdown events as one JSON object per line on stderr; values
// are JSON-escaped, whatever they contain.
void LogEvent(std::initializer_list<std::pair<absl::string_view, std::string>> fields) {
  std::string line;
  awsgw::translators::JsonWriter json(&line);
  json.BeginObject();
  for (const auto& [key, value] : fields) {
    json.Key(key);
    json.String(value);
  }
  json.EndObject();
  std::fprintf(stderr, "%s\n", line.c_str());
}

// The file named by --config (an empty config without one). Its
// aws.endpoints keys may name the services this build serves.
absl::StatusOr<awsgw::config::GatewayConfig> LoadConfig(
    const awsgw::gateway::ServiceCatalog& catalog) {
  const std::string path = absl::GetFlag(FLAGS_config);
  if (path.empty()) return awsgw::config::GatewayConfig();
  awsgw::config::LoadOptions options;
  for (const awsgw::gateway::ServiceEntry& entry : catalog.services()) {
    options.service_ids.push_back(entry.info->service_id());
  }
  return awsgw::config::LoadGatewayConfig(path, options);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("gRPC gateway to AWS control-plane APIs");
  absl::ParseCommandLine(argc, argv);

  // Block the shutdown signals before gRPC starts its threads, so that only
  // the sigwait below receives them.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  auto catalog = awsgw::gateway::ServiceCatalog::FromGeneratedPool();
  if (!catalog.ok()) {
    LogEvent({{"level", "error"},
              {"msg", "invalid service protos"},
              {"error", std::string(catalog.status().message())}});
    return 1;
  }

  absl::StatusOr<awsgw::config::GatewayConfig> config = LoadConfig(**catalog);
  if (!config.ok()) {
    LogEvent({{"level", "error"},
              {"msg", "invalid configuration"},
              {"error", std::string(config.status().message())}});
    return 2;
  }
  for (const std::string& setting : awsgw::config::UnappliedSettings(*config)) {
    LogEvent({{"level", "warn"}, {"msg", "setting not applied yet"}, {"setting", setting}});
  }

  awsgw::gateway::BackendOptions options =
      awsgw::config::ToBackendOptions(*config, awsgw::gateway::ProcessEnv);
  if (!absl::GetFlag(FLAGS_region).empty()) options.region = absl::GetFlag(FLAGS_region);
  // The file's `credentials` section, for the credential provider chain.
  [[maybe_unused]] const awsgw::config::CredentialsConfig& configured_credentials =
      config->credentials;
  auto backend = awsgw::gateway::AwsBackend::Create(
      std::move(options),
      std::make_unique<awsgw::gateway::EnvironmentCredentials>(awsgw::gateway::ProcessEnv));
  if (!backend.ok()) {
    LogEvent({{"level", "error"},
              {"msg", "cannot start the AWS client"},
              {"error", std::string(backend.status().message())}});
    return 1;
  }
  awsgw::gateway::AwsBackend* aws = backend->get();
  const awsgw::gateway::UnaryHandler forward =
      [aws](const awsgw::gateway::MethodEntry& method, grpc::CallbackServerContext* context,
            const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
        return awsgw::gateway::UnaryCallReactor::Start(aws, method, context, request, response);
      };

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  const std::string listen =
      absl::GetFlag(FLAGS_listen).value_or(config->listen.value_or("127.0.0.1:50051"));
  grpc::ServerBuilder builder;
  int port = 0;
  if (absl::Status status =
          awsgw::config::ConfigureListener(config->server, listen, &builder, &port);
      !status.ok()) {
    LogEvent(
        {{"level", "error"}, {"msg", "cannot listen"}, {"error", std::string(status.message())}});
    return 1;
  }
  std::vector<std::unique_ptr<awsgw::gateway::DynamicService>> services;
  for (const awsgw::gateway::ServiceEntry& entry : (*catalog)->services()) {
    services.push_back(std::make_unique<awsgw::gateway::DynamicService>(entry, forward));
    builder.RegisterService(services.back().get());
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    LogEvent({{"level", "error"}, {"msg", "cannot listen"}, {"listen", listen}});
    return 1;
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  const std::string host = listen.substr(0, listen.rfind(':'));
  LogEvent({{"level", "info"},
            {"msg", "serving"},
            {"address", absl::StrCat(host, ":", port)},
            {"transport", awsgw::config::TransportSecurityName(config->server)},
            {"services", absl::StrCat((*catalog)->services().size())},
            {"methods", absl::StrCat((*catalog)->method_count())},
            {"region", aws->region().empty() ? "(none)" : aws->region()},
            {"credentials", aws->CredentialsAvailable() ? "available" : "missing"}});

  int signal = 0;
  sigwait(&shutdown_signals, &signal);
  LogEvent({{"level", "info"}, {"msg", "shutting down"}, {"signal", absl::StrCat(signal)}});
  server->GetHealthCheckService()->SetServingStatus(false);
  const absl::Duration grace =
      absl::GetFlag(FLAGS_shutdown_grace)
          .value_or(config->server.shutdown_grace.value_or(absl::Seconds(10)));
  server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server->Wait();
  return 0;
}
