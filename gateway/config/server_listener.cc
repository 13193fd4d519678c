#include "gateway/config/server_listener.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gateway/config/read_file.h"
#include "grpc/grpc.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"

namespace awsgw::gateway::config {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view key) {
  absl::StatusOr<std::string> pem = ReadWholeFile(path);
  if (!pem.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("server.tls.", key, ": ", pem.status().message()));
  }
  return pem;
}

// gRPC channel args are C ints of milliseconds; the loader bounds every
// duration well below INT_MAX ms.
int Millis(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Milliseconds(duration));
}

}  // namespace

const char* TransportSecurityName(const ServerConfig& server) {
  if (!server.tls) return "plaintext";
  return server.tls->client_ca_file.empty() ? "tls" : "mtls";
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerConfig& server) {
  if (!server.tls) return grpc::InsecureServerCredentials();
  const TlsConfig& tls = *server.tls;
  absl::StatusOr<std::string> cert = ReadPem(tls.cert_file, "cert_file");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(tls.key_file, "key_file");
  if (!key.ok()) return key.status();

  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!tls.client_ca_file.empty()) {
    absl::StatusOr<std::string> client_ca = ReadPem(tls.client_ca_file, "client_ca_file");
    if (!client_ca.ok()) return client_ca.status();
    options.pem_root_certs = *client_ca;
    // Mutual TLS: a client without a certificate this CA verifies fails the
    // handshake, before any call reaches the gateway.
    // Optional: a client without a certificate may still connect and say
    // who it is with a token or key; one that presents a certificate must
    // present a valid one.
    options.client_certificate_request =
        tls.client_certificate_optional
            ? GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY
            : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

absl::Status ConfigureListener(const ServerConfig& server, const ServerLimits& limits,
                               const std::string& address, grpc::ServerBuilder* builder,
                               int* selected_port) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(server);
  if (!credentials.ok()) return credentials.status();
  builder->AddListeningPort(address, *credentials, selected_port);

  if (server.max_receive_message_bytes) {
    builder->SetMaxReceiveMessageSize(static_cast<int>(*server.max_receive_message_bytes));
  }
  if (server.max_send_message_bytes) {
    builder->SetMaxSendMessageSize(static_cast<int>(*server.max_send_message_bytes));
  }
  const KeepaliveConfig& keepalive = server.keepalive;
  if (keepalive.time) {
    builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Millis(*keepalive.time));
  }
  if (keepalive.timeout) {
    builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Millis(*keepalive.timeout));
  }
  if (keepalive.permit_without_calls) {
    builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS,
                                *keepalive.permit_without_calls ? 1 : 0);
  }
  if (keepalive.min_ping_interval) {
    // The shortest interval between client pings the server tolerates
    // before answering GOAWAY ("too_many_pings").
    builder->AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                                Millis(*keepalive.min_ping_interval));
  }
  builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                              static_cast<int>(limits.streams_per_connection));
  // gRPC 1.51 advertises this (SETTINGS_MAX_HEADER_LIST_SIZE) but lets
  // larger metadata through; the reactors enforce it before any work.
  builder->AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, static_cast<int>(limits.metadata_bytes));
  builder->AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                              Millis(limits.handshake_timeout));
  if (limits.max_connection_idle) {
    builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                                Millis(*limits.max_connection_idle));
  }
  if (limits.resource_quota_bytes) {
    grpc::ResourceQuota quota("awsgw");
    quota.Resize(static_cast<size_t>(*limits.resource_quota_bytes));
    builder->SetResourceQuota(quota);
  }
  return absl::OkStatus();
}

}  // namespace awsgw::gateway::config
