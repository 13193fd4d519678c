// EmbeddedEmulator: `--emulator` mode. The AWS emulator (emulator/) runs in
// the gateway's process on a loopback port, and the gateway talks to it as
// it would to AWS: every service's endpoint points at it and calls are
// signed with the emulator's generated keys, so signing, HTTP, retries and
// translation all run for real; nothing is short-circuited.
#ifndef AWSGW_GATEWAY_SERVER_EMBEDDED_EMULATOR_H_
#define AWSGW_GATEWAY_SERVER_EMBEDDED_EMULATOR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "auth/credentials.h"
#include "emulator/emulator.h"
#include "emulator/http_server.h"

namespace awsgw::gateway::server {

class EmbeddedEmulator {
 public:
  // Starts the emulator for `region` on 127.0.0.1 (a free port).
  static absl::StatusOr<std::unique_ptr<EmbeddedEmulator>> Start(const std::string& region);
  ~EmbeddedEmulator();

  // "http://127.0.0.1:<port>": the endpoint of every service.
  std::string url() const;
  // The keys the emulator accepts; the gateway signs with them.
  const auth::Credentials& credentials() const { return emulator_->default_credentials(); }

 private:
  EmbeddedEmulator(std::unique_ptr<emulator::Emulator> emulator,
                   std::unique_ptr<emulator::HttpServer> server)
      : emulator_(std::move(emulator)), server_(std::move(server)) {}

  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<emulator::HttpServer> server_;  // stopped before emulator_ goes
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_EMBEDDED_EMULATOR_H_
