// aws-grpc-gateway: serves every AWS action of the generated service protos
// over gRPC, with health checking and server reflection, and forwards each
// call to AWS: translated, signed with the gateway's credentials, sent over
// pooled HTTPS, retried as the AWS SDKs do.
#include <csignal>
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
#include "gateway/credentials_setup.h"
#include "gateway/dynamic_service.h"
#include "gateway/endpoints.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/observability/json_log.h"
#include "gateway/observability/metrics_registry.h"
#include "gateway/observability/metrics_server.h"
#include "gateway/observability/runtime_metrics.h"
#include "gateway/readiness_monitor.h"
#include "gateway/service_catalog.h"
#include "gateway/unary_call_reactor.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "HOST:PORT to serve gRPC on; port 0 picks a free port (printed at start-up)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long in-flight calls may run after SIGTERM/SIGINT");
ABSL_FLAG(std::string, region, "",
          "AWS region of the calls (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's)");
ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT to serve Prometheus metrics on (GET /metrics); empty: no metrics endpoint");
ABSL_FLAG(std::string, retry_mode, "standard",
          "AWS SDK retry mode: standard, or adaptive (adds a client-side rate limiter shared "
          "by all callers per identity, region and service)");
ABSL_FLAG(std::string, log_level, "info",
          "lowest level logged: debug, info (one line per call), warn (failed calls), error");

using awsgw::gateway::Log;
using awsgw::gateway::LogLevel;
using awsgw::gateway::LogLifecycle;

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("gRPC gateway to AWS control-plane APIs");
  absl::ParseCommandLine(argc, argv);
  std::optional<LogLevel> log_level = awsgw::gateway::ParseLogLevel(absl::GetFlag(FLAGS_log_level));
  if (!log_level.has_value()) {
    Log(LogLevel::kError, {{"msg", "--log_level must be debug, info, warn or error"},
                           {"log_level", absl::GetFlag(FLAGS_log_level)}});
    return 2;
  }
  awsgw::gateway::SetLogLevel(*log_level);

  // Block the shutdown signals before gRPC starts its threads, so that only
  // the sigwait below receives them.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  auto catalog = awsgw::gateway::ServiceCatalog::FromGeneratedPool();
  if (!catalog.ok()) {
    Log(LogLevel::kError,
        {{"msg", "invalid service protos"}, {"error", std::string(catalog.status().message())}});
    return 1;
  }

  auto fail = [](absl::string_view what, const absl::Status& status) {
    Log(LogLevel::kError, {{"msg", std::string(what)}, {"error", std::string(status.message())}});
    return 2;
  };
  awsgw::gateway::metrics::Registry registry;
  awsgw::gateway::GatewayMetrics gateway_metrics(registry);
  awsgw::gateway::BackendOptions options;
  options.metrics = &gateway_metrics;
  if (const std::string mode = absl::GetFlag(FLAGS_retry_mode); mode == "adaptive") {
    options.retry.mode = awsgw::gateway::RetrySettings::Mode::kAdaptive;
  } else if (mode != "standard") {
    Log(LogLevel::kError,
        {{"msg", "--retry_mode must be standard or adaptive"}, {"retry_mode", mode}});
    return 2;
  }
  options.endpoints.getenv = awsgw::gateway::ProcessEnv;
  awsgw::gateway::CredentialsSetup credentials_setup;
  absl::StatusOr<std::string> region = awsgw::gateway::ResolveGatewayRegion(
      absl::GetFlag(FLAGS_region), credentials_setup.profile, credentials_setup.env);
  if (!region.ok()) return fail("cannot resolve the AWS region", region.status());
  options.region = *region;
  credentials_setup.region = options.region;
  credentials_setup.endpoints = options.endpoints;

  absl::StatusOr<std::unique_ptr<awsgw::http_client::HttpClient>> http =
      awsgw::http_client::HttpClient::Create(awsgw::http_client::HttpClientOptions{});
  if (!http.ok()) return fail("cannot start the AWS client", http.status());
  std::shared_ptr<awsgw::http_client::HttpClient> http_client = *std::move(http);
  absl::StatusOr<std::shared_ptr<awsgw::auth::CredentialsCache>> credentials =
      awsgw::gateway::MakeGatewayCredentials(credentials_setup, http_client);
  if (!credentials.ok()) return fail("invalid AWS credentials settings", credentials.status());
  LogLifecycle({{"msg", "credentials source"}, {"source", (*credentials)->Describe()}});
  awsgw::gateway::RegisterRuntimeMetrics(registry, http_client, *credentials);
  std::unique_ptr<awsgw::gateway::metrics::MetricsServer> metrics_server;
  if (const std::string address = absl::GetFlag(FLAGS_metrics_listen); !address.empty()) {
    absl::StatusOr<std::unique_ptr<awsgw::gateway::metrics::MetricsServer>> started =
        awsgw::gateway::metrics::MetricsServer::Start(address,
                                                      [&registry] { return registry.Render(); });
    if (!started.ok()) return fail("cannot serve metrics", started.status());
    metrics_server = *std::move(started);
    const std::string host = address.substr(0, address.rfind(':'));
    LogLifecycle(
        {{"msg", "serving metrics"}, {"address", absl::StrCat(host, ":", metrics_server->port())}});
  }
  auto backend =
      std::make_unique<awsgw::gateway::AwsBackend>(std::move(options), http_client, *credentials);
  awsgw::gateway::AwsBackend* aws = backend.get();
  const awsgw::gateway::UnaryHandler forward =
      [aws](const awsgw::gateway::MethodEntry& method, grpc::CallbackServerContext* context,
            const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
        return awsgw::gateway::UnaryCallReactor::Start(aws, method, context, request, response);
      };

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  const std::string listen = absl::GetFlag(FLAGS_listen);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  std::vector<std::unique_ptr<awsgw::gateway::DynamicService>> services;
  for (const awsgw::gateway::ServiceEntry& entry : (*catalog)->services()) {
    services.push_back(std::make_unique<awsgw::gateway::DynamicService>(entry, forward));
    builder.RegisterService(services.back().get());
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    Log(LogLevel::kError, {{"msg", "cannot listen"}, {"listen", listen}});
    return 1;
  }
  // Ready once calls can be signed; the monitor keeps it so.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(false);
  awsgw::gateway::ReadinessMonitor readiness(
      *credentials, [health](bool serving) { health->SetServingStatus(serving); });
  const std::string host = listen.substr(0, listen.rfind(':'));
  LogLifecycle({{"msg", "serving"},
                {"address", absl::StrCat(host, ":", port)},
                {"services", absl::StrCat((*catalog)->services().size())},
                {"methods", absl::StrCat((*catalog)->method_count())},
                {"region", aws->region().empty() ? "(none)" : aws->region()}});

  int signal = 0;
  sigwait(&shutdown_signals, &signal);
  LogLifecycle({{"msg", "shutting down"}, {"signal", absl::StrCat(signal)}});
  readiness.Stop();
  health->SetServingStatus(false);
  server->Shutdown(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_shutdown_grace)));
  server->Wait();
  return 0;
}
