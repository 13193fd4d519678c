// Fault injection: the services' own internal and throttling errors from the
// Emulator, resets and cut-short answers from the HttpServer, and the same
// outcomes for the same seed. Also the /_emulator/ clock control.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "emulator/emulator.h"
#include "emulator/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/emulator/emulator_test_support.h"

namespace awsgw::emulator {
namespace {

using testing::JsonRequest;
using testing::MakeEmulator;
using testing::Signed;

constexpr char kEcsTarget[] = "AmazonEC2ContainerServiceV20141113.ListClusters";
constexpr char kEcsType[] = "application/x-amz-json-1.1";

std::string ErrorType(const http::HttpResponse& response) {
  const http::HttpHeader* h = http::FindHeader(response.headers, "x-amzn-ErrorType");
  return h == nullptr ? "" : h->value;
}

http::HttpResponse ListClusters(Emulator& emulator) {
  return emulator.Handle(
      Signed(JsonRequest(kEcsTarget, kEcsType, "{}"), "ecs", emulator.default_credentials()));
}

std::unique_ptr<Emulator> WithFaults(double error_rate, double throttle_rate, uint64_t seed) {
  return MakeEmulator([=](EmulatorOptions& o) {
    o.faults.error_rate = error_rate;
    o.faults.throttle_rate = throttle_rate;
    o.faults.seed = seed;
  });
}

TEST(FaultInjectionTest, ErrorRateOneAnswersTheServiceInternalError) {
  auto emulator = WithFaults(1, 0, 1);
  ASSERT_NE(emulator, nullptr);
  for (int i = 0; i < 5; ++i) {
    const http::HttpResponse r = ListClusters(*emulator);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(ErrorType(r), "ServerException");
  }
}

TEST(FaultInjectionTest, ThrottleRateOneAnswersTheServiceThrottlingError) {
  auto emulator = WithFaults(0, 1, 1);
  ASSERT_NE(emulator, nullptr);
  const http::HttpResponse r = ListClusters(*emulator);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "ThrottlingException");
}

TEST(FaultInjectionTest, UnsignedRequestsAreStillRejectedFirst) {
  auto emulator = WithFaults(1, 0, 1);
  http::HttpRequest request = JsonRequest(kEcsTarget, kEcsType, "{}");
  request.headers.push_back({"Host", "localhost"});
  EXPECT_EQ(emulator->Handle(request).status, 403);
}

TEST(FaultInjectionTest, SameSeedSameOutcomes) {
  auto pattern = [](uint64_t seed) {
    auto emulator = WithFaults(0.5, 0, seed);
    std::string out;
    for (int i = 0; i < 40; ++i) out.push_back(ListClusters(*emulator).status == 500 ? 'x' : '.');
    return out;
  };
  const std::string first = pattern(7);
  EXPECT_EQ(first, pattern(7));
  EXPECT_NE(first, pattern(8));
  EXPECT_THAT(first, ::testing::HasSubstr("x"));
  EXPECT_THAT(first, ::testing::HasSubstr("."));
}

TEST(FaultInjectionTest, ClockControlAdvancesASteppedClock) {
  auto emulator = MakeEmulator([](EmulatorOptions& o) { o.stepped_clock = true; });
  http::HttpRequest get;
  get.path = "/_emulator/clock";
  const http::HttpResponse before = emulator->Handle(get);
  EXPECT_EQ(before.status, 200);
  EXPECT_THAT(before.body, ::testing::HasSubstr(R"("stepped":true)"));
  http::HttpRequest advance;
  advance.method = "POST";
  advance.path = "/_emulator/clock/advance";
  advance.body = "2.5";
  const http::HttpResponse after = emulator->Handle(advance);
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(before.body, after.body);
  advance.body = "soon";
  EXPECT_EQ(emulator->Handle(advance).status, 400);
}

TEST(FaultInjectionTest, RequestCountsIncludeFaultedAnswersAndReset) {
  auto emulator = MakeEmulator([](EmulatorOptions& o) { o.faults.throttle_rate = 0.5; });
  const auth::Credentials& keys = emulator->default_credentials();
  int throttled = 0;
  for (int i = 0; i < 20; ++i) {
    const http::HttpResponse r =
        emulator->Handle(Signed(JsonRequest("AmazonEC2ContainerServiceV20141113.ListClusters",
                                            "application/x-amz-json-1.1", "{}"),
                                "ecs", keys));
    if (r.status != 200) ++throttled;
  }
  ASSERT_GT(throttled, 0);    // faulted answers are counted too
  http::HttpRequest unknown;  // not routed to an operation: not counted
  unknown.path = "/no/such/thing";
  emulator->Handle(Signed(unknown, "ecs", keys));

  http::HttpRequest get;
  get.path = "/_emulator/requests";
  const http::HttpResponse counts = emulator->Handle(get);
  EXPECT_EQ(counts.status, 200);
  EXPECT_EQ(counts.body, R"({"total":20,"operations":{"ecs.ListClusters":20}})");

  http::HttpRequest reset;
  reset.method = "POST";
  reset.path = "/_emulator/requests/reset";
  EXPECT_EQ(emulator->Handle(reset).body, R"({"total":0,"operations":{}})");
  EXPECT_EQ(emulator->Handle(get).body, R"({"total":0,"operations":{}})");
}

namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// One request to a server whose every answer is faulted by `faults`;
// returns the read error (success when a whole response arrived).
boost::beast::error_code OneRequest(const FaultOptions& faults, std::string* body) {
  HttpServerOptions options;
  options.faults = faults;
  auto server = HttpServer::Start(options, [](const http::HttpRequest&) {
    http::HttpResponse response;
    response.body = std::string(200, 'a');
    return response;
  });
  EXPECT_TRUE(server.ok());
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), (*server)->port()));
  bhttp::request<bhttp::string_body> request(bhttp::verb::get, "/", 11);
  request.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(socket, request);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  boost::beast::error_code ec;
  bhttp::read(socket, buffer, response, ec);
  *body = response.body();
  return ec;
}

TEST(FaultInjectionTest, TransportFaults) {
  std::string body;
  EXPECT_FALSE(OneRequest({}, &body));
  EXPECT_EQ(body.size(), 200u);
  FaultOptions reset;
  reset.reset_rate = 1;
  EXPECT_TRUE(OneRequest(reset, &body)) << "a reset is a read error";
  FaultOptions truncate;
  truncate.truncate_rate = 1;
  EXPECT_TRUE(OneRequest(truncate, &body)) << "a cut-short answer is a read error";
  FaultOptions slow;
  slow.latency = absl::Milliseconds(1);
  EXPECT_FALSE(OneRequest(slow, &body));
  EXPECT_EQ(body.size(), 200u);
}

}  // namespace
}  // namespace awsgw::emulator
