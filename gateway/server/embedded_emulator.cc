#include "gateway/server/embedded_emulator.h"

#include "absl/strings/str_cat.h"

namespace awsgw::gateway::server {

absl::StatusOr<std::unique_ptr<EmbeddedEmulator>> EmbeddedEmulator::Start(
    const std::string& region) {
  emulator::EmulatorOptions options;
  options.region = region;
  absl::StatusOr<std::unique_ptr<emulator::Emulator>> emulator =
      emulator::Emulator::Create(std::move(options));
  if (!emulator.ok()) return emulator.status();
  emulator::Emulator* handler = emulator->get();
  absl::StatusOr<std::unique_ptr<emulator::HttpServer>> server = emulator::HttpServer::Start(
      emulator::HttpServerOptions{},
      [handler](const http::HttpRequest& request) { return handler->Handle(request); });
  if (!server.ok()) return server.status();
  return std::unique_ptr<EmbeddedEmulator>(
      new EmbeddedEmulator(*std::move(emulator), *std::move(server)));
}

EmbeddedEmulator::~EmbeddedEmulator() { server_->Stop(); }

std::string EmbeddedEmulator::url() const {
  return absl::StrCat("http://127.0.0.1:", server_->port());
}

}  // namespace awsgw::gateway::server
