// The listener settings applied to a real grpc::ServerBuilder. TLS handshakes
// themselves are covered end to end (tests/e2e/test_gateway_config.py).
#include "gateway/config/server_listener.h"

#include "gmock/gmock.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/server.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::config {
namespace {

using ::testing::HasSubstr;

TEST(ServerListenerTest, NamesTheTransportSecurity) {
  ServerConfig server;
  EXPECT_STREQ(TransportSecurityName(server), "plaintext");
  server.tls = TlsConfig{"cert.pem", "key.pem", ""};
  EXPECT_STREQ(TransportSecurityName(server), "tls");
  server.tls->client_ca_file = "ca.pem";
  EXPECT_STREQ(TransportSecurityName(server), "mtls");
}

TEST(ServerListenerTest, UnreadablePemNamesTheKey) {
  ServerConfig server;
  server.tls = TlsConfig{"/nonexistent/cert.pem", "/nonexistent/key.pem", ""};
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(server);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(credentials.status().message(), HasSubstr("server.tls.cert_file"));
  EXPECT_THAT(credentials.status().message(), HasSubstr("/nonexistent/cert.pem"));

  grpc::ServerBuilder builder;
  int port = 0;
  EXPECT_FALSE(ConfigureListener(server, ServerLimits(), "127.0.0.1:0", &builder, &port).ok());
}

TEST(ServerListenerTest, EverySettingStillBuildsAServer) {
  ServerConfig server;
  server.max_receive_message_bytes = 1024;
  server.max_send_message_bytes = 2048;
  server.keepalive.time = absl::Seconds(30);
  server.keepalive.timeout = absl::Seconds(5);
  server.keepalive.permit_without_calls = true;
  server.keepalive.min_ping_interval = absl::Seconds(10);
  grpc::ServerBuilder builder;
  int port = 0;
  ASSERT_TRUE(ConfigureListener(server, ServerLimits(), "127.0.0.1:0", &builder, &port).ok());
  // gRPC refuses to start a server with no service at all.
  grpc::CallbackGenericService generic;
  builder.RegisterCallbackGenericService(&generic);
  std::unique_ptr<grpc::Server> built = builder.BuildAndStart();
  ASSERT_NE(built, nullptr);
  EXPECT_NE(port, 0);
  built->Shutdown();
}

}  // namespace
}  // namespace awsgw::gateway::config
