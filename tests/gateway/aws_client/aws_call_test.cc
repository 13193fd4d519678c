// AwsCall against a fake context: a fake HTTP sender that answers when the
// test says, a fake clock, and timers the test fires. Nothing here sleeps or
// touches the network; every delay is checked as the policy computes it.
#include "gateway/aws_client/aws_call.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/client/transport_status.h"
#include "translators/method_table.h"

namespace awsgw::gateway::aws_client {
namespace {

class FakePending : public http::client::PendingRequest {
 public:
  void Cancel() override { cancelled = true; }
  bool cancelled = false;
};

// Records every attempt and timer; the test answers and fires them.
class FakeContext : public AwsCallContext {
 public:
  struct Attempt {
    http::HttpRequest request;
    http::client::CallOptions options;
    http::client::HttpClient::Done done;
    std::shared_ptr<FakePending> pending = std::make_shared<FakePending>();
  };
  struct Timer {
    absl::Duration delay;
    absl::AnyInvocable<void()> then;
    bool cancelled = false;
  };

  explicit FakeContext(RetrySettings retry = {}) : quota_(retry) {
    options_.region = "us-east-1";
    options_.retry = retry;
    options_.clock = [this] { return now; };
    options_.random = [] { return 0.5; };  // half of every full-jitter backoff
    options_.uuid = [] { return std::string("token-1"); };
  }

  const AwsClientOptions& options() const override { return options_; }
  absl::StatusOr<http::client::Endpoint> EndpointFor(const ServiceInfo&,
                                                     const std::string& region) override {
    return http::client::Endpoint::Parse("https://ecs." + region + ".amazonaws.com");
  }
  CallLimits LimitsFor(const std::string&, const std::string&) override {
    return {&quota_, nullptr};
  }
  void GetCredentials(CredentialsDone done) override {
    ++credential_requests;
    done(auth::Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                           session_token));
  }
  absl::StatusOr<auth::SigningResult> Sign(http::HttpRequest& request,
                                           const auth::Credentials& credentials,
                                           const auth::SigningConfig& config) const override {
    return signer_.Sign(request, credentials, config);
  }
  std::shared_ptr<http::client::PendingRequest> Send(const http::client::Endpoint&,
                                                     http::HttpRequest request,
                                                     const http::client::CallOptions& options,
                                                     http::client::HttpClient::Done done) override {
    attempts.push_back(std::make_unique<Attempt>());
    attempts.back()->request = std::move(request);
    attempts.back()->options = options;
    attempts.back()->done = std::move(done);
    return attempts.back()->pending;
  }
  CancelTimer RunAfter(absl::Duration delay, absl::AnyInvocable<void()> then) override {
    timers.push_back(std::make_unique<Timer>());
    timers.back()->delay = delay;
    timers.back()->then = std::move(then);
    Timer* timer = timers.back().get();
    return [timer] { timer->cancelled = true; };
  }

  // Answers attempt `i` (0-based).
  void Answer(size_t i, absl::StatusOr<http::HttpResponse> response) {
    ASSERT_LT(i, attempts.size());
    attempts[i]->done(std::move(response));
  }
  // Moves the clock past timer `i` and runs it. `despite_cancel` runs a
  // cancelled one: the race a real timer thread can lose (the timer was
  // already due when the cancel came).
  void Fire(size_t i, bool despite_cancel = false) {
    ASSERT_LT(i, timers.size());
    ASSERT_EQ(timers[i]->cancelled, despite_cancel);
    now += timers[i]->delay;
    timers[i]->then();
  }

  absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  std::string session_token;  // of the credentials GetCredentials hands out
  int credential_requests = 0;
  std::vector<std::unique_ptr<Attempt>> attempts;
  std::vector<std::unique_ptr<Timer>> timers;
  RetryQuota& quota() { return quota_; }

 private:
  AwsClientOptions options_;
  RetryQuota quota_;
  auth::Sigv4Signer signer_;
};

http::HttpResponse Json(int status, std::string body) {
  http::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers.push_back({"x-amzn-RequestId", "req-" + std::to_string(status)});
  return response;
}

http::HttpResponse ServerError() {
  return Json(500, R"({"__type":"ServerException","message":"try again"})");
}

class AwsCallTest : public testing::Test {
 protected:
  explicit AwsCallTest(RetrySettings retry = {}) : context_(retry) {}

  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<translators::MethodTable>> table =
        translators::MethodTable::FromGeneratedPool();
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = table->release();
  }

  static const translators::MethodEntry& Method(absl::string_view path) {
    const translators::MethodEntry* method = table_->FindByPath(path);
    EXPECT_NE(method, nullptr) << path;
    return *method;
  }

  // Starts `path` with `request`; the result lands in `*out` (result_ by
  // default).
  std::shared_ptr<AwsCall> Start(absl::string_view path,
                                 std::unique_ptr<google::protobuf::Message> request,
                                 absl::Time deadline = absl::InfiniteFuture(),
                                 std::optional<AwsCallResult>* out = nullptr) {
    AwsCallParams params;
    params.deadline = deadline;
    if (out == nullptr) out = &result_;
    auto call = std::make_shared<AwsCall>(&context_, Method(path), std::move(request),
                                          std::move(params), [this, out](AwsCallResult result) {
                                            ++done_count_;
                                            *out = std::move(result);
                                          });
    call->Start();
    return call;
  }

  std::shared_ptr<AwsCall> StartListClusters(absl::Time deadline = absl::InfiniteFuture(),
                                             std::optional<AwsCallResult>* out = nullptr) {
    return Start("/aws.ecs.v1.EcsService/ListClusters",
                 std::make_unique<aws::ecs::v1::ListClustersRequest>(), deadline, out);
  }

  static translators::MethodTable* table_;
  FakeContext context_;
  std::optional<AwsCallResult> result_;
  int done_count_ = 0;
};

translators::MethodTable* AwsCallTest::table_ = nullptr;

TEST_F(AwsCallTest, RetriesWithBackoffThenSucceedsAndRefillsTheQuota) {
  StartListClusters();
  ASSERT_EQ(context_.attempts.size(), 1u);
  const int full = context_.quota().available();

  context_.Answer(0, ServerError());
  // Full jitter with random 0.5: 0.5 * 2^0 s after the first attempt.
  ASSERT_EQ(context_.timers.size(), 1u);
  EXPECT_EQ(context_.timers[0]->delay, absl::Milliseconds(500));
  EXPECT_EQ(context_.quota().available(), full - 5);
  EXPECT_EQ(context_.attempts.size(), 1u) << "nothing is resent before the backoff ends";

  context_.Fire(0);
  ASSERT_EQ(context_.attempts.size(), 2u);
  context_.Answer(1, ServerError());
  ASSERT_EQ(context_.timers.size(), 2u);
  EXPECT_EQ(context_.timers[1]->delay, absl::Seconds(1));
  EXPECT_EQ(context_.quota().available(), full - 10);

  context_.Fire(1);
  ASSERT_EQ(context_.attempts.size(), 3u);
  // Each attempt is signed anew, at its own time.
  EXPECT_NE(http::FindHeader(context_.attempts[0]->request.headers, "X-Amz-Date")->value,
            http::FindHeader(context_.attempts[2]->request.headers, "X-Amz-Date")->value);
  context_.Answer(2, Json(200, R"({"clusterArns":["arn:aws:ecs:us-east-1:1:cluster/a"]})"));

  ASSERT_TRUE(result_.has_value());
  EXPECT_TRUE(result_->status.ok()) << result_->status.error_message();
  EXPECT_EQ(result_->attempts, 3);
  EXPECT_EQ(result_->aws_request_id, "req-200");
  const auto& response = static_cast<const aws::ecs::v1::ListClustersResponse&>(*result_->response);
  EXPECT_THAT(response.cluster_arns(), testing::ElementsAre("arn:aws:ecs:us-east-1:1:cluster/a"));
  EXPECT_EQ(context_.quota().available(), full) << "a success gives back what its retries took";
  EXPECT_EQ(done_count_, 1);
}

TEST_F(AwsCallTest, StopsAtMaxAttemptsWithTheLastAwsError) {
  StartListClusters();
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(context_.attempts.size(), i + 1);
    context_.Answer(i, ServerError());
    if (i < 2) context_.Fire(i);
  }
  EXPECT_EQ(context_.timers.size(), 2u);
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(result_->status.error_message(), testing::HasSubstr("ServerException"));
  EXPECT_EQ(result_->attempts, 3);
}

// A quota of one retry's worth, shared by every call of the context.
class AwsCallSmallQuotaTest : public AwsCallTest {
 protected:
  AwsCallSmallQuotaTest() : AwsCallTest(OneRetry()) {}
  static RetrySettings OneRetry() {
    RetrySettings retry;
    retry.quota_capacity = 5;
    return retry;
  }
};

TEST_F(AwsCallSmallQuotaTest, AnEmptyQuotaFailsFastInsteadOfRetrying) {
  std::optional<AwsCallResult> first;
  std::optional<AwsCallResult> second;
  auto a = StartListClusters(absl::InfiniteFuture(), &first);
  auto b = StartListClusters(absl::InfiniteFuture(), &second);
  context_.Answer(0, ServerError());  // takes the quota's last 5 tokens
  EXPECT_EQ(context_.timers.size(), 1u);
  EXPECT_EQ(context_.quota().available(), 0);
  context_.Answer(1, ServerError());  // nothing left: reported at once
  EXPECT_EQ(context_.timers.size(), 1u);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->attempts, 1);
  EXPECT_EQ(second->status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_FALSE(first.has_value());
}

TEST_F(AwsCallTest, ADeadlineShorterThanTheBackoffEndsTheCallWithoutWaiting) {
  // The first backoff would be 500 ms; the caller allows 400.
  StartListClusters(context_.now + absl::Milliseconds(400));
  ASSERT_EQ(context_.attempts.size(), 1u);
  EXPECT_EQ(context_.attempts[0]->options.deadline, context_.now + absl::Milliseconds(400));
  context_.Answer(0, ServerError());
  EXPECT_TRUE(context_.timers.empty()) << "no retry is scheduled past the deadline";
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(result_->attempts, 1);
}

TEST_F(AwsCallTest, TheDefaultTimeoutBoundsACallWithoutDeadline) {
  StartListClusters();
  ASSERT_EQ(context_.attempts.size(), 1u);
  EXPECT_EQ(context_.attempts[0]->options.deadline,
            context_.now + context_.options().default_timeout);
}

TEST_F(AwsCallTest, ATransportDeadlineIsReportedAsDeadlineExceeded) {
  StartListClusters(context_.now + absl::Seconds(5));
  context_.now += absl::Seconds(5);
  context_.Answer(0, http::client::WithRequestSent(absl::DeadlineExceededError("deadline"), true));
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(context_.timers.empty());
}

TEST_F(AwsCallTest, CancellingMidAttemptCancelsTheRequestAndIgnoresItsLateAnswer) {
  std::shared_ptr<AwsCall> call = StartListClusters();
  ASSERT_EQ(context_.attempts.size(), 1u);
  call->Cancel();
  EXPECT_TRUE(context_.attempts[0]->pending->cancelled);
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::CANCELLED);
  // The HTTP client's own answer to the cancellation (or a response that
  // raced it) changes nothing.
  context_.Answer(0, Json(200, "{}"));
  EXPECT_EQ(done_count_, 1);
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::CANCELLED);
  call->Cancel();  // idempotent
  EXPECT_EQ(done_count_, 1);
}

TEST_F(AwsCallTest, CancellingDuringTheBackoffStopsTheTimerAndSendsNothingMore) {
  std::shared_ptr<AwsCall> call = StartListClusters();
  context_.Answer(0, ServerError());
  ASSERT_EQ(context_.timers.size(), 1u);
  call->Cancel();
  EXPECT_TRUE(context_.timers[0]->cancelled);
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(context_.attempts.size(), 1u);
}

TEST_F(AwsCallTest, ATimerThatFiresAfterItsCancelTakesNoFurtherStep) {
  std::shared_ptr<AwsCall> call = StartListClusters();
  context_.Answer(0, ServerError());
  ASSERT_EQ(context_.timers.size(), 1u);
  EXPECT_EQ(context_.credential_requests, 1);
  call->Cancel();
  context_.Fire(0, /*despite_cancel=*/true);
  EXPECT_EQ(context_.credential_requests, 1) << "a cancelled call asks for nothing more";
  EXPECT_EQ(context_.attempts.size(), 1u);
  EXPECT_EQ(done_count_, 1);
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(AwsCallTest, ANonIdempotentCallIsNotResentOnceItMayHaveReachedAws) {
  auto request = std::make_unique<aws::ecs::v1::CreateClusterRequest>();
  request->set_cluster_name("web");
  Start("/aws.ecs.v1.EcsService/CreateCluster", std::move(request));
  ASSERT_EQ(context_.attempts.size(), 1u);
  context_.Answer(0, http::client::WithRequestSent(
                         absl::UnavailableError("connection reset after the request"), true));
  EXPECT_TRUE(context_.timers.empty()) << "CreateCluster must never be created twice";
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::UNAVAILABLE);
  // UNAVAILABLE alone would invite a blind retry: the caller is told why not.
  EXPECT_THAT(result_->status.error_message(), testing::HasSubstr("may have reached AWS"));
  EXPECT_EQ(result_->attempts, 1);
}

TEST_F(AwsCallTest, TheHttpClientMayResendOnlyWhatASecondCopyCannotRepeat) {
  // The HTTP client's own stale-connection resend follows the retry rule.
  auto create = std::make_unique<aws::ecs::v1::CreateClusterRequest>();
  create->set_cluster_name("web");
  Start("/aws.ecs.v1.EcsService/CreateCluster", std::move(create));
  StartListClusters();
  auto run = std::make_unique<aws::ecs::v1::RunTaskRequest>();
  run->set_task_definition("web:1");  // carries an idempotency token (clientToken)
  Start("/aws.ecs.v1.EcsService/RunTask", std::move(run));
  ASSERT_EQ(context_.attempts.size(), 3u);
  EXPECT_FALSE(context_.attempts[0]->options.resend_safe) << "CreateCluster";
  EXPECT_TRUE(context_.attempts[1]->options.resend_safe) << "ListClusters is read-only";
  EXPECT_TRUE(context_.attempts[2]->options.resend_safe) << "RunTask has a clientToken";
}

TEST_F(AwsCallTest, ARequestTheHttpClientCannotSendIsTheCallersErrorAtOnce) {
  // A URI or header too large for the wire: no attempt can do better, and
  // nothing was sent, so it is neither UNAVAILABLE nor retried.
  StartListClusters();
  context_.Answer(0, http::client::WithRequestSent(
                         absl::InvalidArgumentError("request target is too long"), false));
  EXPECT_TRUE(context_.timers.empty());
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(result_->status.error_message(), testing::HasSubstr("too long"));
  EXPECT_EQ(result_->attempts, 1);
}

TEST_F(AwsCallTest, ANonIdempotentCallIsResentWhenTheRequestNeverLeft) {
  auto request = std::make_unique<aws::ecs::v1::CreateClusterRequest>();
  request->set_cluster_name("web");
  Start("/aws.ecs.v1.EcsService/CreateCluster", std::move(request));
  context_.Answer(0,
                  http::client::WithRequestSent(absl::UnavailableError("connect refused"), false));
  ASSERT_EQ(context_.timers.size(), 1u);
  context_.Fire(0);
  ASSERT_EQ(context_.attempts.size(), 2u);
  context_.Answer(1, Json(200, R"({"cluster":{"clusterName":"web"}})"));
  ASSERT_TRUE(result_.has_value());
  EXPECT_TRUE(result_->status.ok());
  EXPECT_EQ(result_->attempts, 2);
}

TEST_F(AwsCallTest, AnAwsErrorOfANonIdempotentCallIsRetriedOnlyWhenItIsThrottling) {
  // AWS answering with an error means it did not act: a throttled
  // CreateCluster is safe to send again.
  auto request = std::make_unique<aws::ecs::v1::CreateClusterRequest>();
  Start("/aws.ecs.v1.EcsService/CreateCluster", std::move(request));
  context_.Answer(0, Json(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})"));
  ASSERT_EQ(context_.timers.size(), 1u);
  context_.Fire(0);
  context_.Answer(1, Json(400, R"({"__type":"InvalidParameterException","message":"bad"})"));
  EXPECT_EQ(context_.timers.size(), 1u) << "a client error is never retried";
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(result_->attempts, 2);
}

TEST_F(AwsCallTest, SecretsAwsQuotesNeverReachTheCaller) {
  // AWS's signature errors quote the canonical request, session token header
  // included; a misbehaving backend may quote the token anywhere.
  const std::string token = "FwoGZXIvYXdzEXAMPLETOKEN0123456789abcdefghijklmnopqrstuvwxyz";
  context_.session_token = token;
  StartListClusters();
  context_.Answer(
      0, Json(403,
              absl::StrCat(R"({"__type":"InvalidSignatureException","message":"token )", token,
                           R"( rejected. The Canonical String for this request should )",
                           R"(have been\n'POST\n/\n\nx-amz-security-token:)", token, R"(\n'"})")));
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  const std::string everything =
      absl::StrCat(result_->status.error_message(), result_->status.error_details());
  EXPECT_EQ(everything.find(token.substr(0, 16)), std::string::npos) << everything;
  EXPECT_THAT(result_->status.error_message(), testing::HasSubstr("[redacted]"));
  EXPECT_THAT(result_->status.error_message(), testing::HasSubstr("InvalidSignatureException"));
}

TEST_F(AwsCallTest, AnInvalidRequestFailsBeforeAnythingIsSent) {
  // CreateService requires serviceName.
  Start("/aws.ecs.v1.EcsService/CreateService",
        std::make_unique<aws::ecs::v1::CreateServiceRequest>());
  EXPECT_TRUE(context_.attempts.empty());
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(result_->status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(result_->status.error_message(), testing::HasSubstr("service_name"));
  EXPECT_EQ(result_->attempts, 0);
}

}  // namespace
}  // namespace awsgw::gateway::aws_client
