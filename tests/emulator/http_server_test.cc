// HttpServer: loopback only, port 0, keep-alive, body cap, clean stop.
#include "emulator/http_server.h"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "gtest/gtest.h"

namespace awsgw::emulator {
namespace {

namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

std::unique_ptr<HttpServer> EchoServer(std::atomic<int>* calls, size_t body_limit = 1024) {
  HttpServerOptions options;
  options.body_limit = body_limit;
  auto server = HttpServer::Start(options, [calls](const http::HttpRequest& request) {
    ++*calls;
    http::HttpResponse response;
    response.status = 200;
    response.headers = {{"Content-Type", "text/plain"}};
    response.body = request.method + " " + http::RequestTarget(request) + " " + request.body;
    return response;
  });
  return server.ok() ? *std::move(server) : nullptr;
}

TEST(HttpServerTest, RefusesNonLoopbackAddresses) {
  for (const char* address : {"0.0.0.0", "::", "192.0.2.1", "localhost-ish"}) {
    HttpServerOptions options;
    options.address = address;
    auto server =
        HttpServer::Start(options, [](const http::HttpRequest&) { return http::HttpResponse{}; });
    EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << address;
  }
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::atomic<int> calls = 0;
  auto server = EchoServer(&calls);
  ASSERT_NE(server, nullptr);
  ASSERT_NE(server->port(), 0);
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server->port()));
  boost::beast::flat_buffer buffer;
  for (int i = 0; i < 3; ++i) {
    bhttp::request<bhttp::string_body> request(bhttp::verb::post, "/x?a=1", 11);
    request.set(bhttp::field::host, "127.0.0.1");
    request.body() = "hello";
    request.prepare_payload();
    bhttp::write(socket, request);
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket, buffer, response);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response.body(), "POST /x?a=1 hello");
    EXPECT_TRUE(response.keep_alive());
  }
  EXPECT_EQ(calls, 3);
  server->Stop();
  server->Stop();  // idempotent
}

TEST(HttpServerTest, OversizedBodyIs413) {
  std::atomic<int> calls = 0;
  auto server = EchoServer(&calls, /*body_limit=*/16);
  ASSERT_NE(server, nullptr);
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server->port()));
  bhttp::request<bhttp::string_body> request(bhttp::verb::post, "/", 11);
  request.set(bhttp::field::host, "127.0.0.1");
  request.body() = std::string(100, 'x');
  request.prepare_payload();
  bhttp::write(socket, request);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(calls, 0);
}

TEST(HttpServerTest, StopWithOpenConnectionReturns) {
  std::atomic<int> calls = 0;
  auto server = EchoServer(&calls);
  ASSERT_NE(server, nullptr);
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server->port()));
  server.reset();  // must not hang on the idle connection
  SUCCEED();
}

}  // namespace
}  // namespace awsgw::emulator
