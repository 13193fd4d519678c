// Deadlines, stage timeouts, cancellation and shutdown: each ends the call
// once, with the right code, and says whether the request may have been sent.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/client/http_client.h"
#include "tests/http/client/test_support.h"

namespace awsgw::http::client::testing {
namespace {

using ::testing::HasSubstr;

using DeadlineCancelTest = HttpClientTest;

CallOptions DeadlineIn(absl::Duration duration) {
  CallOptions options;
  options.deadline = absl::Now() + duration;
  return options;
}

TEST_F(DeadlineCancelTest, DeadlineExceededOnAServerThatNeverAnswers) {
  StartClient();
  const absl::Time start = absl::Now();
  absl::StatusOr<http::HttpResponse> response =
      Call(HttpEndpoint(), Get("/hang"), DeadlineIn(absl::Milliseconds(300)));
  const absl::Duration elapsed = absl::Now() - start;
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(response.status().message(), HasSubstr("waiting for the response"));
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status()));
  EXPECT_GE(elapsed, absl::Milliseconds(250));
  EXPECT_LT(elapsed, absl::Seconds(3));
  // The hung connection was closed, not pooled.
  EXPECT_EQ(client_->Stats().idle_connections, 0);
  EXPECT_EQ(client_->Stats().active_connections, 0);
}

TEST_F(DeadlineCancelTest, DeadlineAlreadyPassed) {
  StartClient();
  absl::StatusOr<http::HttpResponse> response =
      Call(HttpEndpoint(), Get("/echo"), DeadlineIn(-absl::Seconds(1)));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
  EXPECT_EQ(client_->Stats().connections_opened, 0u);
}

TEST_F(DeadlineCancelTest, DeadlineWhileQueuedIsNotSent) {
  HttpClientOptions options = DefaultOptions();
  options.max_connections_per_endpoint = 1;
  StartClient(options);
  std::shared_ptr<Completion> blocker = NewCompletion();
  std::shared_ptr<PendingRequest> blocking = Start(HttpEndpoint(), Get("/hang"), blocker);
  // Calls start on their own strands: make sure the blocker holds the slot.
  ASSERT_TRUE(WaitUntil([&] { return client_->Stats().active_connections == 1; }));
  absl::StatusOr<http::HttpResponse> queued =
      Call(HttpEndpoint(), Get("/echo"), DeadlineIn(absl::Milliseconds(200)));
  EXPECT_EQ(queued.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(queued.status().message(), HasSubstr("waiting for a connection"));
  EXPECT_FALSE(RequestMayHaveBeenSent(queued.status()));
  EXPECT_EQ(client_->Stats().queued_calls, 0);
  blocking->Cancel();
  EXPECT_EQ(blocker->Wait().status().code(), absl::StatusCode::kCancelled);
}

TEST_F(DeadlineCancelTest, CancelInFlightCall) {
  StartClient();
  std::shared_ptr<Completion> completion = NewCompletion();
  std::shared_ptr<PendingRequest> call = Start(HttpEndpoint(), Get("/hang"), completion);
  absl::SleepFor(absl::Milliseconds(150));
  EXPECT_FALSE(completion->Done());
  call->Cancel();
  absl::StatusOr<http::HttpResponse> response = completion->Wait(absl::Seconds(2));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(RequestMayHaveBeenSent(response.status()));
  call->Cancel();  // idempotent; done does not run again (checked in TearDown)
  // The connection slot is free again.
  absl::StatusOr<http::HttpResponse> next = Call(HttpEndpoint(), Get("/echo"));
  ASSERT_TRUE(next.ok()) << next.status();
}

TEST_F(DeadlineCancelTest, CancelQueuedCallFreesItsQueueSlot) {
  HttpClientOptions options = DefaultOptions();
  options.max_connections_per_endpoint = 1;
  options.max_queued_calls_per_endpoint = 1;
  StartClient(options);
  std::shared_ptr<Completion> blocker = NewCompletion();
  std::shared_ptr<PendingRequest> blocking = Start(HttpEndpoint(), Get("/hang"), blocker);
  // Calls start on their own strands: make sure the blocker holds the slot.
  ASSERT_TRUE(WaitUntil([&] { return client_->Stats().active_connections == 1; }));
  std::shared_ptr<Completion> queued = NewCompletion();
  std::shared_ptr<PendingRequest> queued_call = Start(HttpEndpoint(), Get("/echo"), queued);
  EXPECT_TRUE(WaitUntil([&] { return client_->Stats().queued_calls == 1; }));
  queued_call->Cancel();
  absl::StatusOr<http::HttpResponse> response = queued->Wait();
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled);
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
  EXPECT_EQ(client_->Stats().queued_calls, 0);
  // The freed slot takes another call, which runs once the blocker goes.
  std::shared_ptr<Completion> next = NewCompletion();
  Start(HttpEndpoint(), Get("/echo"), next);
  absl::SleepFor(absl::Milliseconds(50));
  blocking->Cancel();
  absl::StatusOr<http::HttpResponse> next_response = next->Wait();
  ASSERT_TRUE(next_response.ok()) << next_response.status();
}

TEST_F(DeadlineCancelTest, TlsHandshakeTimeoutIsUnavailableAndNotSent) {
  HttpClientOptions options = DefaultOptions();
  options.tls_handshake_timeout = absl::Milliseconds(200);
  StartClient(options);
  Endpoint silent{Scheme::kHttps, "localhost",
                  static_cast<uint16_t>(TestServers::Get().silent_port()), ""};
  const absl::Time start = absl::Now();
  absl::StatusOr<http::HttpResponse> response = Call(silent, Get("/"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("TLS handshake to localhost:"));
  EXPECT_THAT(response.status().message(), HasSubstr("timed out"));
  EXPECT_FALSE(RequestMayHaveBeenSent(response.status()));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST_F(DeadlineCancelTest, ShutdownEndsCallsInFlight) {
  StartClient();
  std::shared_ptr<Completion> hanging = NewCompletion();
  Start(HttpEndpoint(), Get("/hang"), hanging);
  ASSERT_TRUE(WaitUntil([&] { return client_->Stats().active_connections == 1; }));
  const absl::Time start = absl::Now();
  client_->Shutdown();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  ASSERT_TRUE(hanging->Done());
  absl::StatusOr<http::HttpResponse> response = hanging->Wait();
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("shutting down"));
}

TEST_F(DeadlineCancelTest, ManyConcurrentCallsEachCompleteOnce) {
  HttpClientOptions options = DefaultOptions();
  options.threads = 4;
  options.max_connections_per_endpoint = 4;
  StartClient(options);
  std::vector<std::pair<std::shared_ptr<Completion>, std::shared_ptr<PendingRequest>>> calls;
  for (int i = 0; i < 60; ++i) {
    auto completion = NewCompletion();
    const char* target = i % 3 == 0 ? "/hang" : (i % 3 == 1 ? "/echo" : "/slow?ms=20");
    calls.emplace_back(completion, Start(HttpEndpoint(), Get(target), completion,
                                         DeadlineIn(absl::Milliseconds(400))));
  }
  // Cancel a few while they run, racing completions and deadlines.
  for (int i = 0; i < 60; i += 7) calls[i].second->Cancel();
  for (auto& [completion, call] : calls) {
    absl::StatusOr<http::HttpResponse> response = completion->Wait();
    if (!response.ok()) {
      EXPECT_THAT(response.status().code(), ::testing::AnyOf(absl::StatusCode::kCancelled,
                                                             absl::StatusCode::kDeadlineExceeded));
    }
  }
}

}  // namespace
}  // namespace awsgw::http::client::testing
