// HttpClient round trips against the loopback test server: what goes on the
// wire, what comes back, and the failures that happen before anything is
// sent.
#include "http/client/http_client.h"

#include <boost/asio/ip/tcp.hpp>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http/client/test_support.h"

namespace awsgw::http::client::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class RoundTripTest : public HttpClientTest {
 protected:
  void SetUp() override { StartClient(); }
};

TEST_F(RoundTripTest, GetSendsHostAndTargetAndReturnsTheResponse) {
  http::HttpRequest request = Get("/echo/a%2Fb?x=1&y=%20z");
  request.headers = {{"X-Amz-Date", "20260101T000000Z"}, {"X-Rep", "1"}, {"x-rep", "2"}};
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  Echo echo = ParseEcho(*response);
  EXPECT_EQ(echo.method, "GET");
  EXPECT_EQ(echo.target, "/echo/a%2Fb?x=1&y=%20z");
  const std::string host = "127.0.0.1:" + std::to_string(TestServers::Get().http_port());
  EXPECT_THAT(echo.headers,
              ElementsAre(http::HttpHeader{"Host", host},
                          http::HttpHeader{"X-Amz-Date", "20260101T000000Z"},
                          http::HttpHeader{"X-Rep", "1"}, http::HttpHeader{"x-rep", "2"}));
  EXPECT_EQ(echo.body, "");
  const http::HttpHeader* content_type = http::FindHeader(response->headers, "Content-Type");
  ASSERT_NE(content_type, nullptr);
  EXPECT_EQ(content_type->value, "application/json");
}

TEST_F(RoundTripTest, PostSendsBodyWithContentLengthAndKeepsCallersHost) {
  http::HttpRequest request = Post("/echo", std::string("{\"cluster\":\"a\"}\n\x01", 18));
  request.headers = {{"Host", "signed-host.example"},
                     {"Content-Type", "application/x-amz-json-1.1"}};
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), request);
  ASSERT_TRUE(response.ok()) << response.status();
  Echo echo = ParseEcho(*response);
  EXPECT_EQ(echo.method, "POST");
  EXPECT_EQ(echo.body, request.body);
  EXPECT_THAT(echo.headers,
              ElementsAre(http::HttpHeader{"Host", "signed-host.example"},
                          http::HttpHeader{"Content-Type", "application/x-amz-json-1.1"},
                          http::HttpHeader{"Content-Length", "18"}));
}

TEST_F(RoundTripTest, BasePathIsPrepended) {
  Endpoint endpoint = HttpEndpoint();
  endpoint.base_path = "/echo";
  absl::StatusOr<http::HttpResponse> response = Call(endpoint, Get("/nested?q=1"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(ParseEcho(*response).target, "/echo/nested?q=1");
}

TEST_F(RoundTripTest, HttpErrorStatusIsASuccessfulCall) {
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), Get("/status?code=503"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 503);
}

TEST_F(RoundTripTest, HeadResponseHasNoBody) {
  http::HttpRequest request = Get("/big?n=500");
  request.method = "HEAD";
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "");
  // The connection is still in sync: the next call on it works.
  absl::StatusOr<http::HttpResponse> next = Call(HttpEndpoint(), Get("/echo"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(ConnectionId(*next), ConnectionId(*response));
}

TEST_F(RoundTripTest, InterimResponseIsSkipped) {
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), Post("/interim", "body"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(ParseEcho(*response).body, "body");
}

TEST_F(RoundTripTest, ChunkedResponse) {
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), Get("/chunked"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "hello chunked world");
  EXPECT_EQ(client_->Stats().idle_connections, 1);  // chunked end found: reusable
}

TEST_F(RoundTripTest, LargeBodyUnderTheLimit) {
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), Get("/big?n=3000000"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body.size(), 3000000u);
}

TEST_F(RoundTripTest, ResponseOverTheSizeCap) {
  CallOptions options;
  options.max_response_bytes = 1000;
  for (const char* target : {"/big?n=1001", "/big-chunked?n=5000"}) {
    absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), Get(target), options);
    EXPECT_EQ(response.status().code(), absl::StatusCode::kResourceExhausted) << target;
    EXPECT_THAT(response.status().message(), HasSubstr("1000 bytes")) << target;
    EXPECT_TRUE(RequestMayHaveBeenSent(response.status()));
  }
  absl::StatusOr<http::HttpResponse> fits = Call(HttpEndpoint(), Get("/big?n=1000"), options);
  ASSERT_TRUE(fits.ok()) << fits.status();
}

TEST_F(RoundTripTest, PlainHttpToANonLoopbackHostIsRefusedWithoutConnecting) {
  absl::StatusOr<Endpoint> parsed = Endpoint::Parse("http://example.com");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  // A hand-built endpoint gets the same answer from Send.
  absl::StatusOr<http::HttpResponse> response =
      Call(Endpoint{Scheme::kHttp, "10.255.255.1", 80, ""}, Get("/"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("loopback"));
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
  EXPECT_EQ(client_->Stats().connections_opened, 0u);
}

TEST_F(RoundTripTest, UnsendableRequestIsRefused) {
  http::HttpRequest request = Get("/echo");
  request.headers = {{"X-Bad", "a\r\nInjected: yes"}};
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
  EXPECT_EQ(client_->Stats().connections_opened, 0u);
}

TEST_F(RoundTripTest, ConnectionRefusedIsUnavailableAndNotSent) {
  // A port that was just free: bind, read it, close.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  acceptor.open(boost::asio::ip::tcp::v4(), ec);
  acceptor.bind({boost::asio::ip::make_address("127.0.0.1"), 0}, ec);
  ASSERT_FALSE(ec) << ec.message();
  uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  absl::StatusOr<http::HttpResponse> response =
      Call(Endpoint{Scheme::kHttp, "127.0.0.1", port, ""}, Get("/"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("connect to 127.0.0.1:"));
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
}

TEST_F(RoundTripTest, SendAfterShutdownFailsAtOnce) {
  client_->Shutdown();
  Completion completion;  // runs inline after shutdown: not checked by TearDown
  client_->Send(HttpEndpoint(), Get("/echo"), {}, completion.Callback());
  ASSERT_TRUE(completion.Done());
  absl::StatusOr<http::HttpResponse> response = completion.Wait();
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
}

TEST(HttpClientCreateTest, RejectsBadOptions) {
  HttpClientOptions options;
  options.proxy = ProxyConfig();
  options.threads = 0;
  EXPECT_EQ(HttpClient::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.threads = 1;
  options.extra_ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(HttpClient::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.extra_ca_file = "";
  options.max_connections_per_endpoint = 0;
  EXPECT_EQ(HttpClient::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace awsgw::http::client::testing
