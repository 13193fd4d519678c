// aws-grpc-gateway: serves every AWS action of the generated service protos
// over gRPC, with health checking and server reflection.
//
// This build registers all services and methods from the descriptors; calls
// are answered UNIMPLEMENTED until the runtime (translators, signer, HTTP
// client) is wired in.
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gateway/dynamic_service.h"
#include "gateway/service_catalog.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "HOST:PORT to serve gRPC on; port 0 picks a free port (printed at start-up)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long in-flight calls may run after SIGTERM/SIGINT");

namespace {

// Start-up and shutdown events as one JSON object per line on stderr.
void LogEvent(const std::string& json_fields) {
  std::fprintf(stderr, "{%s}\n", json_fields.c_str());
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
    LogEvent(absl::StrCat(R"("level":"error","msg":"invalid service protos","error":")",
                          catalog.status().message(), "\""));
    return 1;
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  const std::string listen = absl::GetFlag(FLAGS_listen);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  std::vector<std::unique_ptr<awsgw::gateway::DynamicService>> services;
  for (const awsgw::gateway::ServiceEntry& entry : (*catalog)->services()) {
    services.push_back(std::make_unique<awsgw::gateway::DynamicService>(
        entry, awsgw::gateway::AnswerUnimplemented));
    builder.RegisterService(services.back().get());
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    LogEvent(absl::StrCat(R"("level":"error","msg":"cannot listen","listen":")", listen, "\""));
    return 1;
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  const std::string host = listen.substr(0, listen.rfind(':'));
  LogEvent(absl::StrCat(R"("level":"info","msg":"serving","address":")", host, ":", port,
                        R"(","services":)", (*catalog)->services().size(), R"(,"methods":)",
                        (*catalog)->method_count()));

  int signal = 0;
  sigwait(&shutdown_signals, &signal);
  LogEvent(absl::StrCat(R"("level":"info","msg":"shutting down","signal":)", signal));
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_shutdown_grace)));
  server->Wait();
  return 0;
}
