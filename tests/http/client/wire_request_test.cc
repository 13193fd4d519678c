// ToWireRequest / FromWireResponse and the "may have been sent" flag.
#include "http/client/wire_request.h"

#include <boost/beast/http/write.hpp>
#include <sstream>

#include "gtest/gtest.h"
#include "http/client/transport_status.h"

namespace awsgw::http::client {
namespace {

const Endpoint kEndpoint{Scheme::kHttps, "ecs.us-east-1.amazonaws.com", 443, ""};

std::string Serialize(const WireRequest& wire) {
  std::ostringstream out;
  out << wire;
  return out.str();
}

http::HttpRequest Request(std::string method, std::string path, std::string body = "") {
  http::HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  return request;
}

TEST(WireRequestTest, KeepsHeadersInOrderAndAddsHostAndContentLength) {
  http::HttpRequest request = Request("POST", "/", "{}");
  request.headers = {{"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"},
                     {"x-amz-meta", "a"},
                     {"X-Amz-Meta", "b"},
                     {"Content-Type", "application/x-amz-json-1.1"}};
  absl::StatusOr<WireRequest> wire = ToWireRequest(kEndpoint, request);
  ASSERT_TRUE(wire.ok()) << wire.status();
  EXPECT_EQ(Serialize(*wire),
            "POST / HTTP/1.1\r\n"
            "Host: ecs.us-east-1.amazonaws.com\r\n"
            "X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\n"
            "x-amz-meta: a\r\n"
            "X-Amz-Meta: b\r\n"
            "Content-Type: application/x-amz-json-1.1\r\n"
            "Content-Length: 2\r\n"
            "\r\n"
            "{}");
}

TEST(WireRequestTest, CallersHostIsKeptAsIs) {
  http::HttpRequest request = Request("GET", "/a%20b");
  request.headers = {{"host", "signed.example:8443"}};
  request.query = {{"b", "2"}, {"a", "%E1%88%B4"}};
  absl::StatusOr<WireRequest> wire = ToWireRequest(kEndpoint, request);
  ASSERT_TRUE(wire.ok()) << wire.status();
  EXPECT_EQ(Serialize(*wire),
            "GET /a%20b?b=2&a=%E1%88%B4 HTTP/1.1\r\nhost: signed.example:8443\r\n\r\n");
}

TEST(WireRequestTest, BasePathIsPrepended) {
  Endpoint endpoint = kEndpoint;
  endpoint.base_path = "/prefix";
  absl::StatusOr<WireRequest> wire = ToWireRequest(endpoint, Request("GET", "/apps"));
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(std::string(wire->target()), "/prefix/apps");
}

TEST(WireRequestTest, ContentLengthForEmptyBodiesOfBodyMethodsOnly) {
  absl::StatusOr<WireRequest> post = ToWireRequest(kEndpoint, Request("POST", "/"));
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(std::string((*post)["Content-Length"]), "0");
  absl::StatusOr<WireRequest> del = ToWireRequest(kEndpoint, Request("DELETE", "/x"));
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->count("Content-Length"), 0u);
}

TEST(WireRequestTest, MatchingContentLengthIsKept) {
  http::HttpRequest request = Request("PUT", "/x", "abc");
  request.headers = {{"Content-Length", "3"}};
  absl::StatusOr<WireRequest> wire = ToWireRequest(kEndpoint, request);
  ASSERT_TRUE(wire.ok()) << wire.status();
  EXPECT_EQ(wire->count("Content-Length"), 1u);
}

TEST(WireRequestTest, RefusesWhatWouldBreakFraming) {
  auto with_header = [](std::string name, std::string value) {
    http::HttpRequest request = Request("POST", "/", "abc");
    request.headers = {{std::move(name), std::move(value)}};
    return request;
  };
  std::vector<http::HttpRequest> bad = {
      Request("GE T", "/"),
      Request("GET", "no-slash"),
      Request("GET", "/a b"),
      Request("GET", "/a?b"),
      Request("GET", "/a#b"),
      with_header("X-Injected", "a\r\nEvil: 1"),
      with_header("X-Nul", std::string("a\0b", 3)),
      with_header("Bad Name", "v"),
      with_header("Transfer-Encoding", "chunked"),
      with_header("Content-Length", "5"),
      with_header("X-Huge", std::string(70000, 'a')),
  };
  http::HttpRequest bad_query = Request("GET", "/");
  bad_query.query = {{"a", "b c"}};
  bad.push_back(bad_query);
  for (const http::HttpRequest& request : bad) {
    absl::StatusOr<WireRequest> wire = ToWireRequest(kEndpoint, request);
    EXPECT_EQ(wire.status().code(), absl::StatusCode::kInvalidArgument)
        << request.method << " " << request.path;
  }
}

TEST(WireRequestTest, ErrorsNameTheHeaderButNotItsValue) {
  http::HttpRequest request = Request("GET", "/");
  request.headers = {{"X-Amz-Security-Token", "secret-token\r\n"}};
  absl::StatusOr<WireRequest> wire = ToWireRequest(kEndpoint, request);
  ASSERT_FALSE(wire.ok());
  EXPECT_NE(std::string(wire.status().message()).find("X-Amz-Security-Token"), std::string::npos);
  EXPECT_EQ(std::string(wire.status().message()).find("secret-token"), std::string::npos);
}

TEST(WireRequestTest, ResponseKeepsStatusHeadersAndBody) {
  WireResponse wire;
  wire.result(404);
  wire.insert("X-Amzn-RequestId", "r-1");
  wire.insert("x-amz-meta", "1");
  wire.insert("X-Amz-Meta", "2");
  wire.body() = "{\"__type\":\"NotFound\"}";
  http::HttpResponse response = FromWireResponse(std::move(wire));
  EXPECT_EQ(response.status, 404);
  ASSERT_EQ(response.headers.size(), 3u);
  EXPECT_EQ(response.headers[0], (http::HttpHeader{"X-Amzn-RequestId", "r-1"}));
  EXPECT_EQ(response.headers[2], (http::HttpHeader{"X-Amz-Meta", "2"}));
  EXPECT_EQ(response.body, "{\"__type\":\"NotFound\"}");
}

TEST(TransportStatusTest, SentFlag) {
  absl::Status sent = WithRequestSent(absl::UnavailableError("reset"), true);
  absl::Status not_sent = WithRequestSent(absl::UnavailableError("refused"), false);
  EXPECT_TRUE(RequestMayHaveBeenSent(sent));
  EXPECT_FALSE(RequestMayHaveBeenSent(not_sent));
  EXPECT_EQ(not_sent.message(), "refused");
  // Unknown origin: assume it may have been sent.
  EXPECT_TRUE(RequestMayHaveBeenSent(absl::UnavailableError("elsewhere")));
  EXPECT_TRUE(WithRequestSent(absl::OkStatus(), false).ok());
}

}  // namespace
}  // namespace awsgw::http::client
