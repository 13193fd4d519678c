// HTTPS through the loopback CONNECT proxy of test_servers.py: the tunnel is
// used (with Basic credentials from the proxy URL), NO_PROXY bypasses it, and
// a refusing proxy is a transport error of a request never sent.
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/client/http_client.h"
#include "tests/http/client/test_support.h"

namespace awsgw::http::client::testing {
namespace {

using ::testing::HasSubstr;

class ProxyTest : public HttpClientTest {
 protected:
  std::string ProxyUrl(const std::string& user_info) const {
    return absl::StrCat("http://", user_info, "127.0.0.1:", TestServers::Get().proxy_port());
  }

  // The proxy's counters, read with a client of its own (not proxied).
  struct ProxyStats {
    int64_t connects = 0;
    std::string last_auth;
    std::string last_target;
  };
  ProxyStats ReadProxyStats() {
    std::shared_ptr<Completion> completion = NewCompletion();
    Endpoint proxy{Scheme::kHttp, "127.0.0.1",
                   static_cast<uint16_t>(TestServers::Get().proxy_port()), ""};
    client_->Send(proxy, Get("/stats"), {}, completion->Callback());
    absl::StatusOr<http::HttpResponse> response = completion->Wait();
    ProxyStats stats;
    if (!response.ok()) {
      ADD_FAILURE() << response.status();
      return stats;
    }
    boost::json::value doc = boost::json::parse(response->body);
    stats.connects = doc.at("connects").as_int64();
    if (doc.at("last_auth").is_string()) stats.last_auth = doc.at("last_auth").as_string().c_str();
    if (doc.at("last_target").is_string()) {
      stats.last_target = doc.at("last_target").as_string().c_str();
    }
    return stats;
  }

  void StartClientWithProxy(const std::string& https_proxy, const std::string& no_proxy) {
    HttpClientOptions options = DefaultOptions();
    // proxy_loopback: the test's "remote" server is on loopback too.
    options.proxy = ProxyConfig::FromValues(https_proxy, "", no_proxy, /*proxy_loopback=*/true);
    StartClient(options);
  }
};

TEST_F(ProxyTest, HttpsGoesThroughTheConnectTunnelWithCredentials) {
  StartClientWithProxy(ProxyUrl("gw:p%40ss@"), "");
  const int64_t before = ReadProxyStats().connects;
  absl::StatusOr<http::HttpResponse> first = Call(HttpsEndpoint(), Post("/echo", "tunnelled"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(ParseEcho(*first).body, "tunnelled");
  absl::StatusOr<http::HttpResponse> second = Call(HttpsEndpoint(), Get("/echo"));
  ASSERT_TRUE(second.ok()) << second.status();
  ProxyStats stats = ReadProxyStats();
  // One tunnel, kept alive for both calls.
  EXPECT_EQ(stats.connects, before + 1);
  EXPECT_EQ(stats.last_auth, "Basic Z3c6cEBzcw==");  // base64("gw:p@ss")
  EXPECT_EQ(stats.last_target, absl::StrCat("localhost:", TestServers::Get().https_port()));
  EXPECT_EQ(ConnectionId(*first), ConnectionId(*second));
}

TEST_F(ProxyTest, NoProxyBypassesTheProxy) {
  StartClientWithProxy(ProxyUrl(""), "example.com, localhost");
  const int64_t before = ReadProxyStats().connects;
  absl::StatusOr<http::HttpResponse> response = Call(HttpsEndpoint(), Get("/echo"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(ReadProxyStats().connects, before);
}

TEST_F(ProxyTest, LoopbackIsNotProxiedByDefault) {
  HttpClientOptions options = DefaultOptions();
  options.proxy = ProxyConfig::FromValues(ProxyUrl(""), "", "");
  StartClient(options);
  const int64_t before = ReadProxyStats().connects;
  absl::StatusOr<http::HttpResponse> response = Call(HttpsEndpoint(), Get("/echo"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(ReadProxyStats().connects, before);
}

TEST_F(ProxyTest, RefusedConnectIsUnavailableAndNotSent) {
  StartClientWithProxy(ProxyUrl("deny:deny@"), "");
  absl::StatusOr<http::HttpResponse> response = Call(HttpsEndpoint(), Get("/echo"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("407"));
  EXPECT_THAT(response.status().message(), HasSubstr("proxy 127.0.0.1:"));
  EXPECT_EQ(std::string(response.status().message()).find("deny"), std::string::npos);
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
}

TEST_F(ProxyTest, MalformedProxySettingFailsTheCall) {
  StartClientWithProxy("https://secure-proxy:443", "");
  absl::StatusOr<http::HttpResponse> response = Call(HttpsEndpoint(), Get("/echo"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("HTTPS_PROXY"));
  EXPECT_EQ(client_->Stats().connections_opened, 0u);
}

}  // namespace
}  // namespace awsgw::http::client::testing
