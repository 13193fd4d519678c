// HTTPS: certificate and host name verification against the test CA given
// as the extra bundle; failures are UNAVAILABLE, say why, and were not sent.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/client/http_client.h"
#include "tests/http/client/test_support.h"

namespace awsgw::http::client::testing {
namespace {

using ::testing::HasSubstr;

using TlsTest = HttpClientTest;

TEST_F(TlsTest, TrustedCertificateWorksAndConnectionIsReused) {
  StartClient();
  http::HttpRequest request = Post("/echo", "over tls");
  absl::StatusOr<http::HttpResponse> first = Call(HttpsEndpoint(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  Echo echo = ParseEcho(*first);
  EXPECT_EQ(echo.body, "over tls");
  EXPECT_EQ(echo.sni, "localhost");
  ASSERT_FALSE(echo.headers.empty());
  EXPECT_EQ(
      echo.headers[0],
      (http::HttpHeader{"Host", "localhost:" + std::to_string(TestServers::Get().https_port())}));
  absl::StatusOr<http::HttpResponse> second = Call(HttpsEndpoint(), Get("/chunked"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->body, "hello chunked world");
  EXPECT_EQ(ConnectionId(*first), ConnectionId(*second));
  EXPECT_EQ(client_->Stats().connections_opened, 1u);
}

TEST_F(TlsTest, IpAddressInTheCertificateIsVerified) {
  StartClient();
  Endpoint by_ip{Scheme::kHttps, "127.0.0.1",
                 static_cast<uint16_t>(TestServers::Get().https_port()), ""};
  absl::StatusOr<http::HttpResponse> response = Call(by_ip, Get("/echo"));
  ASSERT_TRUE(response.ok()) << response.status();
  // RFC 6066: no SNI for an IP address.
  EXPECT_EQ(ParseEcho(*response).sni, std::nullopt);
}

TEST_F(TlsTest, UnknownCaFailsVerification) {
  HttpClientOptions options = DefaultOptions();
  options.extra_ca_file = TestServers::Get().other_ca_file();
  StartClient(options);
  absl::StatusOr<http::HttpResponse> response = Call(HttpsEndpoint(), Get("/echo"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("TLS handshake with localhost:"));
  EXPECT_THAT(response.status().message(), HasSubstr("certificate verify failed"));
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
}

TEST_F(TlsTest, SystemStoreAloneDoesNotTrustTheTestCa) {
  HttpClientOptions options = DefaultOptions();
  options.extra_ca_file = "";
  StartClient(options);
  absl::StatusOr<http::HttpResponse> response = Call(HttpsEndpoint(), Get("/echo"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("certificate verify failed"));
}

TEST_F(TlsTest, HostNameMismatchFails) {
  StartClient();
  // Signed by the trusted test CA, but issued for wrong-host.test only.
  Endpoint endpoint{Scheme::kHttps, "localhost",
                    static_cast<uint16_t>(TestServers::Get().https_wrong_host_port()), ""};
  absl::StatusOr<http::HttpResponse> response = Call(endpoint, Get("/echo"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("hostname mismatch"));
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
}

TEST_F(TlsTest, PlainHttpToATlsPortIsATransportError) {
  StartClient();
  Endpoint endpoint{Scheme::kHttp, "127.0.0.1",
                    static_cast<uint16_t>(TestServers::Get().https_port()), ""};
  absl::StatusOr<http::HttpResponse> response =
      Call(endpoint, Get("/echo"), CallOptions{absl::Now() + absl::Seconds(5), std::nullopt});
  EXPECT_THAT(response.status().code(), ::testing::AnyOf(absl::StatusCode::kUnavailable,
                                                         absl::StatusCode::kDeadlineExceeded));
}

}  // namespace
}  // namespace awsgw::http::client::testing
