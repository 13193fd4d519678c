// Endpoint::Parse, the loopback rule for plain http and the Host header.
#include "http/client/endpoint.h"

#include "gtest/gtest.h"

namespace awsgw::http::client {
namespace {

TEST(EndpointTest, ParsesHttpsWithDefaultPort) {
  absl::StatusOr<Endpoint> endpoint = Endpoint::Parse("https://ecs.us-east-1.amazonaws.com");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->scheme, Scheme::kHttps);
  EXPECT_EQ(endpoint->host, "ecs.us-east-1.amazonaws.com");
  EXPECT_EQ(endpoint->port, 443);
  EXPECT_EQ(endpoint->base_path, "");
  EXPECT_EQ(endpoint->HostHeader(), "ecs.us-east-1.amazonaws.com");
  EXPECT_EQ(endpoint->Authority(), "ecs.us-east-1.amazonaws.com:443");
}

TEST(EndpointTest, ParsesPortAndBasePathAndLowercasesHost) {
  absl::StatusOr<Endpoint> endpoint = Endpoint::Parse("HTTPS://Example.COM:8443/v1/api/");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->host, "example.com");
  EXPECT_EQ(endpoint->port, 8443);
  EXPECT_EQ(endpoint->base_path, "/v1/api");
  EXPECT_EQ(endpoint->HostHeader(), "example.com:8443");
  EXPECT_EQ(endpoint->RequestPath("/items"), "/v1/api/items");
  EXPECT_EQ(endpoint->WithoutBasePath().base_path, "");
  EXPECT_EQ(endpoint->ToString(), "https://example.com:8443/v1/api");
}

TEST(EndpointTest, RootPathIsNoBasePath) {
  absl::StatusOr<Endpoint> endpoint = Endpoint::Parse("https://example.com/");
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ(endpoint->base_path, "");
}

TEST(EndpointTest, PlainHttpOnlyToLoopback) {
  for (const char* url : {"http://localhost:4566", "http://127.0.0.1:8080", "http://127.1.2.3",
                          "http://[::1]:9000", "http://LOCALHOST"}) {
    absl::StatusOr<Endpoint> endpoint = Endpoint::Parse(url);
    EXPECT_TRUE(endpoint.ok()) << url << ": " << endpoint.status();
  }
  for (const char* url : {"http://example.com", "http://10.0.0.1:80", "http://128.0.0.1",
                          "http://[::2]", "http://localhost.example.com"}) {
    absl::StatusOr<Endpoint> endpoint = Endpoint::Parse(url);
    EXPECT_EQ(endpoint.status().code(), absl::StatusCode::kInvalidArgument) << url;
  }
}

TEST(EndpointTest, DefaultHttpPortAndIpv6HostHeader) {
  absl::StatusOr<Endpoint> endpoint = Endpoint::Parse("http://[::1]");
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ(endpoint->host, "::1");
  EXPECT_EQ(endpoint->port, 80);
  EXPECT_EQ(endpoint->HostHeader(), "[::1]");
  EXPECT_EQ(endpoint->Authority(), "[::1]:80");
  Endpoint with_port = *endpoint;
  with_port.port = 4566;
  EXPECT_EQ(with_port.HostHeader(), "[::1]:4566");
}

TEST(EndpointTest, RejectsWhatIsNotAnEndpoint) {
  for (const char* url :
       {"", "ecs.amazonaws.com", "ftp://example.com", "https://", "https://user:pw@example.com",
        "https://example.com/?x=1", "https://example.com/#frag", "https://example.com:0",
        "https://example.com:99999", "not a url"}) {
    absl::StatusOr<Endpoint> endpoint = Endpoint::Parse(url);
    EXPECT_EQ(endpoint.status().code(), absl::StatusCode::kInvalidArgument) << "'" << url << "'";
  }
}

TEST(EndpointTest, ErrorNeverEchoesUserInfo) {
  absl::StatusOr<Endpoint> endpoint = Endpoint::Parse("https://user:hunter2@example.com/x");
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(std::string(endpoint.status().message()).find("hunter2"), std::string::npos)
      << endpoint.status();
  EXPECT_NE(std::string(endpoint.status().message()).find("example.com"), std::string::npos);
}

TEST(EndpointTest, ValidateCatchesHandBuiltEndpoints) {
  EXPECT_TRUE((Endpoint{Scheme::kHttps, "example.com", 443, ""}).Validate().ok());
  EXPECT_FALSE((Endpoint{Scheme::kHttps, "", 443, ""}).Validate().ok());
  EXPECT_FALSE((Endpoint{Scheme::kHttps, "example.com", 0, ""}).Validate().ok());
  EXPECT_FALSE((Endpoint{Scheme::kHttps, "example.com", 443, "no-slash"}).Validate().ok());
  EXPECT_FALSE((Endpoint{Scheme::kHttps, "exa mple.com", 443, ""}).Validate().ok());
  EXPECT_FALSE((Endpoint{Scheme::kHttp, "10.1.2.3", 80, ""}).Validate().ok());
}

TEST(EndpointTest, LoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("localhost."));
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.255.255.254"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_TRUE(IsLoopbackHost("::ffff:127.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("localhost.evil.com"));
  EXPECT_FALSE(IsLoopbackHost("127.example.com"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("192.168.1.1"));
}

}  // namespace
}  // namespace awsgw::http::client
