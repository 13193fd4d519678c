// Applies the `server` section of the configuration to a grpc::ServerBuilder:
// the listening port with plaintext, TLS or mutual-TLS credentials, message
// size limits and HTTP/2 keepalive. Settings the file leaves unset keep
// gRPC's own defaults.
//
// Kept apart from main so the listener's rules (what mTLS means, which
// channel arg carries what) have one home and can be read in one screen.
#ifndef AWSGW_GATEWAY_CONFIG_SERVER_LISTENER_H_
#define AWSGW_GATEWAY_CONFIG_SERVER_LISTENER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gateway/config/gateway_config.h"
#include "gateway/config/server_limits.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace awsgw::gateway::config {

// What a client must speak: "plaintext", "tls" or "mtls" (for logs).
const char* TransportSecurityName(const ServerConfig& server);

// Server credentials for `server.tls`: insecure when unset; TLS with the
// certificate chain and key; with client_ca_file set, clients must present
// a certificate that CA verifies. FAILED_PRECONDITION naming the key when a
// PEM file cannot be read (the loader checked it was readable, but files
// can change before start-up reads them).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerConfig& server);

// Adds the listening port `address` (`*selected_port` is set by
// BuildAndStart) and the server-wide settings to `builder`: message sizes,
// keepalive, and the limits gRPC itself enforces (streams per connection,
// the metadata size it advertises, the handshake deadline, idle
// connections, its resource quota). Returns MakeServerCredentials' errors.
absl::Status ConfigureListener(const ServerConfig& server, const ServerLimits& limits,
                               const std::string& address, grpc::ServerBuilder* builder,
                               int* selected_port);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_SERVER_LISTENER_H_
