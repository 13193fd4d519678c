// Connection pooling seen from the outside: keep-alive reuse, the cap and the
// queue, Connection: close and HTTP/1.0, stale connections and idle expiry.
// The test server tags every response with the id of the connection it came
// on (X-Connection-Id), so the tests see which connection carried what.
#include <atomic>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/client/http_client.h"
#include "tests/http/client/test_support.h"

namespace awsgw::http::client::testing {
namespace {

using ::testing::HasSubstr;

using PoolTest = HttpClientTest;

TEST_F(PoolTest, SequentialCallsReuseOneConnection) {
  StartClient();
  std::set<int> connections;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), Get("/echo"));
    ASSERT_TRUE(response.ok()) << response.status();
    connections.insert(ConnectionId(*response));
  }
  EXPECT_EQ(connections.size(), 1u);
  HttpClientStats stats = client_->Stats();
  EXPECT_EQ(stats.connections_opened, 1u);
  EXPECT_EQ(stats.connections_reused, 4u);
  EXPECT_EQ(stats.idle_connections, 1);
  EXPECT_EQ(stats.active_connections, 0);
}

TEST_F(PoolTest, ConcurrentCallsStayWithinTheCap) {
  HttpClientOptions options = DefaultOptions();
  options.max_connections_per_endpoint = 2;
  StartClient(options);
  std::vector<std::shared_ptr<Completion>> calls;
  for (int i = 0; i < 6; ++i) {
    calls.push_back(NewCompletion());
    Start(HttpEndpoint(), Get("/slow?ms=150"), calls.back());
  }
  std::set<int> connections;
  for (const auto& call : calls) {
    absl::StatusOr<http::HttpResponse> response = call->Wait();
    ASSERT_TRUE(response.ok()) << response.status();
    connections.insert(ConnectionId(*response));
  }
  EXPECT_EQ(connections.size(), 2u);
  EXPECT_EQ(client_->Stats().connections_opened, 2u);
  EXPECT_EQ(client_->Stats().queued_calls, 0);
}

TEST_F(PoolTest, FullQueueIsResourceExhausted) {
  HttpClientOptions options = DefaultOptions();
  options.max_connections_per_endpoint = 1;
  options.max_queued_calls_per_endpoint = 1;
  StartClient(options);
  std::vector<std::shared_ptr<Completion>> calls;
  for (int i = 0; i < 3; ++i) {
    calls.push_back(NewCompletion());
    Start(HttpEndpoint(), Get("/slow?ms=400"), calls.back());
  }
  int ok = 0, exhausted = 0;
  for (const auto& call : calls) {
    absl::StatusOr<http::HttpResponse> response = call->Wait();
    if (response.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(response.status().code(), absl::StatusCode::kResourceExhausted);
      EXPECT_THAT(response.status().message(), HasSubstr("queued"));
      EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
      ++exhausted;
    }
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(exhausted, 1);
}

TEST_F(PoolTest, ConnectionCloseFromTheServerIsHonoured) {
  StartClient();
  absl::StatusOr<http::HttpResponse> first = Call(HttpEndpoint(), Get("/close"));
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<http::HttpResponse> second = Call(HttpEndpoint(), Get("/echo"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(ConnectionId(*first), ConnectionId(*second));
  HttpClientStats stats = client_->Stats();
  EXPECT_EQ(stats.connections_opened, 2u);
  EXPECT_EQ(stats.connections_reused, 0u);
  EXPECT_EQ(stats.stale_retries, 0u);
}

TEST_F(PoolTest, ConnectionCloseFromTheCallerIsHonoured) {
  StartClient();
  http::HttpRequest request = Get("/echo");
  request.headers = {{"Connection", "close"}};
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), request);
  ASSERT_TRUE(response.ok()) << response.status();
  HttpClientStats stats = client_->Stats();
  EXPECT_EQ(stats.idle_connections, 0);
  EXPECT_EQ(stats.connections_closed, 1u);
}

TEST_F(PoolTest, Http10ResponseIsNotKeptAlive) {
  StartClient();
  absl::StatusOr<http::HttpResponse> first = Call(HttpEndpoint(), Get("/http10"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->body, "ok");
  absl::StatusOr<http::HttpResponse> second = Call(HttpEndpoint(), Get("/echo"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(ConnectionId(*first), ConnectionId(*second));
  EXPECT_EQ(client_->Stats().connections_reused, 0u);
}

TEST_F(PoolTest, StaleReusedConnectionIsRetriedOnceOnAFreshOneWhenResendingIsSafe) {
  StartClient();
  // The server answers, then drops the connection when the next request
  // arrives on it: the race of a server closing an idle keep-alive
  // connection just as the client sends.
  absl::StatusOr<http::HttpResponse> first = Call(HttpEndpoint(), Post("/close-next", "a"));
  ASSERT_TRUE(first.ok()) << first.status();
  CallOptions options;
  options.deadline = absl::Now() + absl::Seconds(10);
  options.resend_safe = true;
  absl::StatusOr<http::HttpResponse> second =
      Call(HttpEndpoint(), Post("/echo", "payload"), options);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(ParseEcho(*second).body, "payload");
  EXPECT_NE(ConnectionId(*first), ConnectionId(*second));
  HttpClientStats stats = client_->Stats();
  EXPECT_EQ(stats.stale_retries, 1u);
  EXPECT_EQ(stats.connections_opened, 2u);
  EXPECT_EQ(stats.connections_reused, 1u);
}

TEST_F(PoolTest, AWholeRequestOnADroppedConnectionIsNotResentUnlessSafe) {
  StartClient();
  // The same race, but the server read the whole request before dropping
  // the connection: it may have acted on it (a write that crashed it, a
  // reset after the work), so a second copy could act twice.
  absl::StatusOr<http::HttpResponse> first = Call(HttpEndpoint(), Post("/close-next", "a"));
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<http::HttpResponse> second = Call(HttpEndpoint(), Post("/echo", "create"));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("before responding"));
  EXPECT_TRUE(RequestMayHaveBeenSent(second.status()));
  HttpClientStats stats = client_->Stats();
  EXPECT_EQ(stats.stale_retries, 0u);
  EXPECT_EQ(stats.connections_opened, 1u);
}

TEST_F(PoolTest, IdleConnectionClosedByTheServerIsNotUsed) {
  StartClient();
  absl::StatusOr<http::HttpResponse> first = Call(HttpEndpoint(), Get("/idle-close?ms=50"));
  ASSERT_TRUE(first.ok()) << first.status();
  absl::SleepFor(absl::Milliseconds(300));
  absl::StatusOr<http::HttpResponse> second = Call(HttpEndpoint(), Get("/echo"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(ConnectionId(*first), ConnectionId(*second));
  // Detected before sending (the probe saw the close): no retry needed.
  EXPECT_EQ(client_->Stats().stale_retries, 0u);
  EXPECT_EQ(client_->Stats().connections_closed, 1u);
}

TEST_F(PoolTest, FailureOnAFreshConnectionIsNotRetried) {
  StartClient();
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), Post("/close-now", "x"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("before responding"));
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status()));
  HttpClientStats stats = client_->Stats();
  EXPECT_EQ(stats.connections_opened, 1u);
  EXPECT_EQ(stats.stale_retries, 0u);
}

TEST_F(PoolTest, ServerClosingMidResponseIsUnavailableSentAndNotRetried) {
  StartClient();
  // Prime a keep-alive connection so the failing call runs on a reused one:
  // response bytes arrived, so even a reused connection is not retried.
  ASSERT_TRUE(Call(HttpEndpoint(), Get("/echo")).ok());
  absl::StatusOr<http::HttpResponse> response = Call(HttpEndpoint(), Get("/drop-mid"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("mid-response"));
  EXPECT_THAT(response.status().message(), HasSubstr("127.0.0.1"));
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status()));
  HttpClientStats stats = client_->Stats();
  EXPECT_EQ(stats.connections_opened, 1u);
  EXPECT_EQ(stats.stale_retries, 0u);
  EXPECT_EQ(stats.idle_connections, 0);
}

TEST_F(PoolTest, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  HttpClientOptions options = DefaultOptions();
  options.idle_timeout = absl::Milliseconds(150);
  StartClient(options);
  ASSERT_TRUE(Call(HttpEndpoint(), Get("/echo")).ok());
  // Not "idle right after the call": on a slow machine (a sanitized build)
  // the 150 ms may already be over. IdleExpiryFollowsTheInjectedClock checks
  // that it is the idle age that closes it.
  EXPECT_TRUE(WaitUntil([&] { return client_->Stats().connections_closed == 1; }));
  HttpClientStats stats = client_->Stats();
  EXPECT_EQ(stats.idle_connections, 0);
  EXPECT_EQ(stats.connections_opened, 1u);
}

TEST_F(PoolTest, IdleExpiryFollowsTheInjectedClock) {
  // The sweeper ticks on real time but judges age with the injected clock:
  // a connection the fake clock says is fresh survives a long real wait,
  // and goes as soon as the fake clock moves past the idle timeout.
  auto now = std::make_shared<std::atomic<int64_t>>(0);
  HttpClientOptions options = DefaultOptions();
  options.idle_timeout = absl::Milliseconds(100);
  options.clock = [now] { return absl::FromUnixSeconds(1700000000) + absl::Seconds(now->load()); };
  StartClient(options);
  ASSERT_TRUE(Call(HttpEndpoint(), Get("/echo")).ok());
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(client_->Stats().idle_connections, 1);
  *now = 1;
  EXPECT_TRUE(WaitUntil([&] { return client_->Stats().idle_connections == 0; }));
}

}  // namespace
}  // namespace awsgw::http::client::testing
