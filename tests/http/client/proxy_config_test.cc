// ProxyConfig: proxy URL parsing, NO_PROXY matching, the loopback rule and
// reading the environment.
#include "http/client/proxy_config.h"

#include <cstdlib>

#include "gtest/gtest.h"

namespace awsgw::http::client {
namespace {

Endpoint Https(const std::string& host, uint16_t port = 443) {
  return Endpoint{Scheme::kHttps, host, port, ""};
}

TEST(ProxyServerTest, ParsesHostPortAndCredentials) {
  absl::StatusOr<ProxyServer> proxy = ProxyServer::Parse("http://alice:p%40ss@proxy.corp:3128");
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  EXPECT_EQ(proxy->host, "proxy.corp");
  EXPECT_EQ(proxy->port, 3128);
  // base64("alice:p@ss")
  EXPECT_EQ(proxy->authorization, "Basic YWxpY2U6cEBzcw==");
  EXPECT_EQ(proxy->Authority(), "proxy.corp:3128");
}

TEST(ProxyServerTest, SchemeIsOptionalAndPortDefaultsTo80) {
  absl::StatusOr<ProxyServer> proxy = ProxyServer::Parse("proxy.corp");
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  EXPECT_EQ(proxy->host, "proxy.corp");
  EXPECT_EQ(proxy->port, 80);
  EXPECT_EQ(proxy->authorization, "");
  ASSERT_TRUE(ProxyServer::Parse("http://[::1]:8080/").ok());
  EXPECT_EQ(ProxyServer::Parse("http://[::1]:8080/")->host, "::1");
}

TEST(ProxyServerTest, RejectsUnsupportedProxiesWithoutLeakingThePassword) {
  for (const char* url : {"https://user:secret1@proxy.corp:443", "socks5://proxy.corp:1080",
                          "http://proxy.corp:0", "http://proxy.corp/path", "http://:3128"}) {
    absl::StatusOr<ProxyServer> proxy = ProxyServer::Parse(url);
    EXPECT_EQ(proxy.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_EQ(std::string(proxy.status().message()).find("secret1"), std::string::npos);
  }
}

TEST(ProxyConfigTest, NoProxyMatching) {
  ProxyConfig config = ProxyConfig::FromValues(
      "http://proxy:3128", "", " internal.corp , .svc.local,EXACT.example.com,10.1.2.3,api.x:8443");
  EXPECT_TRUE(config.Bypasses("internal.corp", 443));
  EXPECT_TRUE(config.Bypasses("a.b.internal.corp", 443));
  EXPECT_FALSE(config.Bypasses("notinternal.corp", 443));
  EXPECT_TRUE(config.Bypasses("svc.local", 443));
  EXPECT_TRUE(config.Bypasses("db.svc.local", 443));
  EXPECT_TRUE(config.Bypasses("exact.example.com", 443));
  EXPECT_TRUE(config.Bypasses("Exact.Example.Com.", 443));
  EXPECT_FALSE(config.Bypasses("example.com", 443));
  EXPECT_TRUE(config.Bypasses("10.1.2.3", 443));
  EXPECT_FALSE(config.Bypasses("10.1.2.30", 443));
  EXPECT_TRUE(config.Bypasses("api.x", 8443));
  EXPECT_FALSE(config.Bypasses("api.x", 443));
  EXPECT_FALSE(config.Bypasses("ecs.us-east-1.amazonaws.com", 443));
}

TEST(ProxyConfigTest, StarBypassesEverything) {
  ProxyConfig config = ProxyConfig::FromValues("http://proxy:3128", "", "*");
  EXPECT_TRUE(config.Bypasses("anything.example", 443));
  absl::StatusOr<std::optional<ProxyServer>> via = config.ProxyFor(Https("ecs.amazonaws.com"));
  ASSERT_TRUE(via.ok());
  EXPECT_FALSE(via->has_value());
}

TEST(ProxyConfigTest, ProxyForPicksTheSchemesProxy) {
  ProxyConfig config = ProxyConfig::FromValues(
      "http://secure-proxy:3128", "http://plain-proxy:8080", "", /*proxy_loopback=*/true);
  absl::StatusOr<std::optional<ProxyServer>> https = config.ProxyFor(Https("ecs.amazonaws.com"));
  ASSERT_TRUE(https.ok() && https->has_value());
  EXPECT_EQ((*https)->host, "secure-proxy");
  absl::StatusOr<std::optional<ProxyServer>> http =
      config.ProxyFor(Endpoint{Scheme::kHttp, "localhost", 4566, ""});
  ASSERT_TRUE(http.ok() && http->has_value());
  EXPECT_EQ((*http)->host, "plain-proxy");
}

TEST(ProxyConfigTest, LoopbackIsNotProxiedByDefault) {
  ProxyConfig config = ProxyConfig::FromValues("http://proxy:3128", "http://proxy:3128", "");
  for (const char* host : {"localhost", "127.0.0.1", "::1"}) {
    absl::StatusOr<std::optional<ProxyServer>> via = config.ProxyFor(Https(host));
    ASSERT_TRUE(via.ok());
    EXPECT_FALSE(via->has_value()) << host;
  }
  absl::StatusOr<std::optional<ProxyServer>> remote = config.ProxyFor(Https("ecs.amazonaws.com"));
  ASSERT_TRUE(remote.ok());
  EXPECT_TRUE(remote->has_value());
}

TEST(ProxyConfigTest, MalformedProxyFailsOnlyCallsThatWouldUseIt) {
  ProxyConfig config = ProxyConfig::FromValues("https://u:topsecret@proxy:443", "", "skip.me");
  absl::StatusOr<std::optional<ProxyServer>> via = config.ProxyFor(Https("ecs.amazonaws.com"));
  EXPECT_EQ(via.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(via.status().message()).find("HTTPS_PROXY"), std::string::npos);
  EXPECT_EQ(std::string(via.status().message()).find("topsecret"), std::string::npos);
  absl::StatusOr<std::optional<ProxyServer>> bypassed = config.ProxyFor(Https("skip.me"));
  ASSERT_TRUE(bypassed.ok());
  EXPECT_FALSE(bypassed->has_value());
}

TEST(ProxyConfigTest, ReadsTheEnvironmentLowercaseFirst) {
  setenv("HTTPS_PROXY", "http://upper:1111", 1);
  setenv("https_proxy", "http://lower:2222", 1);
  setenv("NO_PROXY", "skip.example", 1);
  unsetenv("no_proxy");
  ProxyConfig config = ProxyConfig::FromEnvironment();
  unsetenv("HTTPS_PROXY");
  unsetenv("https_proxy");
  unsetenv("NO_PROXY");
  absl::StatusOr<std::optional<ProxyServer>> via = config.ProxyFor(Https("ecs.amazonaws.com"));
  ASSERT_TRUE(via.ok() && via->has_value());
  EXPECT_EQ((*via)->host, "lower");
  EXPECT_EQ((*via)->port, 2222);
  EXPECT_TRUE(config.Bypasses("a.skip.example", 443));
  // Read once: later changes to the environment do not matter.
  absl::StatusOr<std::optional<ProxyServer>> again = config.ProxyFor(Https("ecs.amazonaws.com"));
  ASSERT_TRUE(again.ok() && again->has_value());
}

TEST(ProxyConfigTest, DefaultIsNoProxy) {
  ProxyConfig config;
  absl::StatusOr<std::optional<ProxyServer>> via = config.ProxyFor(Https("ecs.amazonaws.com"));
  ASSERT_TRUE(via.ok());
  EXPECT_FALSE(via->has_value());
}

}  // namespace
}  // namespace awsgw::http::client
