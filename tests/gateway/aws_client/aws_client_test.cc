// AwsClient over its real parts (HTTP client, credential cache, timer
// thread), aimed only at loopback: what it refuses before any I/O, and that
// its timers and sends reach the call.
#include "gateway/aws_client/aws_client.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "auth/providers/credentials_provider.h"
#include "auth/providers/static_provider.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/observability/metrics_registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::aws_client {
namespace {

class AwsClientTest : public testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<translators::MethodTable>> table =
        translators::MethodTable::FromGeneratedPool();
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = *std::move(table);
  }

  std::unique_ptr<AwsClient> MakeClient(AwsClientOptions options) {
    absl::StatusOr<std::unique_ptr<http::client::HttpClient>> http =
        http::client::HttpClient::Create({});
    EXPECT_TRUE(http.ok()) << http.status();
    auto credentials = std::make_shared<auth::providers::CredentialsCache>(
        std::make_shared<auth::providers::StaticProvider>(
            auth::Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            "test keys"));
    return std::make_unique<AwsClient>(std::move(options), *std::move(http),
                                       std::move(credentials));
  }

  // A ListClusters call in flight and the result it will hand back.
  struct Started {
    std::shared_ptr<AwsCall> call;
    std::shared_ptr<absl::Notification> done = std::make_shared<absl::Notification>();
    std::shared_ptr<AwsCallResult> result = std::make_shared<AwsCallResult>();

    // Waits (bounded) for the result.
    AwsCallResult Wait() {
      EXPECT_TRUE(done->WaitForNotificationWithTimeout(absl::Seconds(30)));
      return std::move(*result);
    }
  };

  Started StartListClusters(AwsClient& client, AwsCallParams params = {}) {
    Started started;
    started.call =
        client.Start(*table_->FindByPath("/aws.ecs.v1.EcsService/ListClusters"),
                     std::make_unique<aws::ecs::v1::ListClustersRequest>(), std::move(params),
                     [done = started.done, result = started.result](AwsCallResult r) {
                       *result = std::move(r);
                       done->Notify();
                     });
    return started;
  }

  // Options whose ECS endpoint is a loopback port nothing listens on (bound,
  // then closed): every attempt fails before the request leaves.
  static AwsClientOptions UnreachableEcs() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    AwsClientOptions options;
    options.region = "us-east-1";
    options.endpoints.overrides["ecs"] =
        "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
    return options;
  }

  std::unique_ptr<translators::MethodTable> table_;
};

TEST_F(AwsClientTest, NoRegionAnywhereIsRefusedBeforeAnyIo) {
  std::unique_ptr<AwsClient> client = MakeClient({});
  const AwsCallResult result = StartListClusters(*client).Wait();
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(result.status.error_message(), testing::HasSubstr("no AWS region"));
  EXPECT_EQ(result.attempts, 0);
}

TEST_F(AwsClientTest, ACallersRegionThatCouldSteerTheHostIsRefused) {
  AwsClientOptions options;
  options.region = "us-east-1";
  std::unique_ptr<AwsClient> client = MakeClient(std::move(options));
  AwsCallParams params;
  params.region = "evil.example.com/";
  const AwsCallResult result = StartListClusters(*client, params).Wait();
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(result.status.error_message(), testing::HasSubstr("is not an AWS region"));
  EXPECT_EQ(result.attempts, 0);
}

TEST_F(AwsClientTest, ARefusedConnectionIsRetriedThenReportedUnavailable) {
  AwsClientOptions options = UnreachableEcs();
  options.retry.max_attempts = 2;
  options.random = [] { return 0.01; };  // a 10 ms backoff on the real timer
  std::unique_ptr<AwsClient> client = MakeClient(std::move(options));
  const AwsCallResult result = StartListClusters(*client).Wait();
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(result.attempts, 2);
}

TEST_F(AwsClientTest, CancelEndsACallThatIsRetryingAtOnce) {
  AwsClientOptions options = UnreachableEcs();
  options.random = [] { return 0.999; };  // backoffs near 1 s and 2 s
  std::unique_ptr<AwsClient> client = MakeClient(std::move(options));
  Started started = StartListClusters(*client);
  started.call->Cancel();
  EXPECT_EQ(started.Wait().status.error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(AwsClientTest, CancelDuringTheBackoffEndsTheCallWithoutAnotherAttempt) {
  observability::Registry registry;
  observability::GatewayMetrics metrics(registry);
  AwsClientOptions options = UnreachableEcs();
  options.random = [] { return 0.999; };  // a backoff of about 1 s after the first attempt
  options.metrics = &metrics;
  std::unique_ptr<AwsClient> client = MakeClient(std::move(options));
  Started started = StartListClusters(*client);
  // The first attempt has failed once its outcome is counted; the retry
  // timer is then (about to be) waiting.
  bool failed_once = false;
  for (int i = 0; i < 2000 && !failed_once; ++i) {
    failed_once = absl::StrContains(registry.Render(), "outcome=\"transport\"} 1");
    if (!failed_once) absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(failed_once) << registry.Render();
  started.call->Cancel();
  const AwsCallResult result = started.Wait();
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(result.attempts, 1) << "no attempt after the cancel";
}

// Hands out credentials only when the test says: a refresh still running
// on the credentials cache's worker thread.
class HeldCredentials : public auth::providers::CredentialsProvider {
 public:
  void Fetch(auth::providers::CredentialsCallback done) override {
    release.WaitForNotificationWithTimeout(absl::Seconds(30));
    done(auth::Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
  }
  std::string Describe() const override { return "held test keys"; }
  absl::Notification release;
};

TEST_F(AwsClientTest, CredentialsArrivingAfterTheClientIsGoneEndTheCallWithoutTouchingIt) {
  // The cache outlives the client (in the gateway, readiness and metrics
  // hold it too), so its answer can come after the client was destroyed.
  auto provider = std::make_shared<HeldCredentials>();
  auto credentials = std::make_shared<auth::providers::CredentialsCache>(provider);
  absl::StatusOr<std::unique_ptr<http::client::HttpClient>> http =
      http::client::HttpClient::Create({});
  ASSERT_TRUE(http.ok()) << http.status();
  AwsClientOptions options = UnreachableEcs();
  auto client = std::make_unique<AwsClient>(std::move(options), *std::move(http), credentials);
  Started started = StartListClusters(*client);
  client.reset();              // the gateway shuts down with the refresh in flight
  provider->release.Notify();  // the refresh ends: the call must not sign or send
  const AwsCallResult result = started.Wait();
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(result.status.error_message(), testing::HasSubstr("shutting down"));
  EXPECT_EQ(result.attempts, 0);
}

}  // namespace
}  // namespace awsgw::gateway::aws_client
