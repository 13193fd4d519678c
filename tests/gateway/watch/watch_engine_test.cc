// The engine with a fake AWS and a manual clock: sharing, late joiners,
// leaving, batching, adaptive intervals, backoff, heartbeats, slow streams
// and resumption. Time only moves when a test moves it.
#include "gateway/watch/watch_engine.h"

#include "aws/appconfig/v1/appconfig.pb.h"
#include "aws/apprunner/v1/apprunner.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "gtest/gtest.h"
#include "tests/gateway/watch/watch_test_support.h"

namespace awsgw::gateway::watch {
namespace {

using testing::FakePollClient;
using testing::ManualScheduler;
using testing::RecordingSink;
using U = v1::WatchUpdate;

constexpr char kArn[] = "arn:aws:apprunner:us-east-1:1:service/web/1";
constexpr char kOp[] = "op-1";

aws::apprunner::v1::ListOperationsResponse Ops(aws::apprunner::v1::OperationStatus status) {
  aws::apprunner::v1::ListOperationsResponse response;
  auto* op = response.add_operation_summary_list();
  op->set_id(kOp);
  op->set_status(status);
  return response;
}
constexpr auto kPending = aws::apprunner::v1::OPERATION_STATUS_PENDING;
constexpr auto kInProgress = aws::apprunner::v1::OPERATION_STATUS_IN_PROGRESS;
constexpr auto kRollingBack = aws::apprunner::v1::OPERATION_STATUS_ROLLBACK_IN_PROGRESS;
constexpr auto kSucceeded = aws::apprunner::v1::OPERATION_STATUS_SUCCEEDED;

v1::WatchAppRunnerOperationRequest OpRequest(int min_s = 1, int max_s = 8) {
  v1::WatchAppRunnerOperationRequest request;
  request.set_service_arn(kArn);
  request.set_operation_id(kOp);
  request.mutable_options()->mutable_min_interval()->set_seconds(min_s);
  request.mutable_options()->mutable_max_interval()->set_seconds(max_s);
  return request;
}

std::vector<U::Kind> Kinds(const RecordingSink& sink) {
  std::vector<U::Kind> kinds;
  for (const U& u : sink.updates) kinds.push_back(u.kind());
  return kinds;
}

class WatchEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto scheduler = std::make_unique<ManualScheduler>();
    clock_ = scheduler.get();
    EngineOptions options;
    options.min_interval_floor = absl::Seconds(1);
    options.max_backoff = absl::Seconds(60);
    options.default_heartbeat = absl::Hours(1);
    engine_ = std::make_unique<WatchEngine>(std::move(scheduler), &client_, options, &metrics_);
  }

  std::unique_ptr<RecordingSink> Subscribe(absl::string_view rpc,
                                           const google::protobuf::Message& request) {
    auto sink = std::make_unique<RecordingSink>();
    auto subscription = engine_->Subscribe(*testing::FindWatch(rpc), request, "", sink.get());
    EXPECT_TRUE(subscription.ok()) << subscription.status();
    if (subscription.ok()) sink->subscription = *subscription;
    return sink;
  }
  std::unique_ptr<RecordingSink> WatchOp(
      const v1::WatchAppRunnerOperationRequest& request = OpRequest()) {
    return Subscribe("WatchAppRunnerOperation", request);
  }
  // Answers the only open call.
  void Reply(const google::protobuf::Message& response) {
    ASSERT_EQ(client_.Open().size(), 1u);
    client_.Reply(client_.Open()[0], response);
    clock_->RunPending();
  }

  observability::Registry registry_;
  WatchMetrics metrics_{registry_};
  FakePollClient client_;
  ManualScheduler* clock_ = nullptr;
  std::unique_ptr<WatchEngine> engine_;
};

TEST_F(WatchEngineTest, WatchersOfOneResourceShareOnePoller) {
  auto a = WatchOp(), b = WatchOp(), c = WatchOp();
  clock_->RunPending();
  ASSERT_EQ(client_.calls.size(), 1u);
  EXPECT_EQ(metrics_.pollers.load(), 1);
  EXPECT_EQ(metrics_.watchers.load(), 3);
  const auto& request =
      static_cast<const aws::apprunner::v1::ListOperationsRequest&>(*client_.calls[0]->request);
  EXPECT_EQ(request.service_arn(), kArn);
  EXPECT_EQ(client_.calls[0]->region, "us-east-1");
  Reply(Ops(kPending));
  for (auto* sink : {a.get(), b.get(), c.get()}) {
    ASSERT_EQ(Kinds(*sink), std::vector<U::Kind>{U::KIND_SNAPSHOT});
    EXPECT_EQ(sink->updates[0].status(), "PENDING");
    EXPECT_EQ(sink->updates[0].sequence(), 1u);
    EXPECT_EQ(sink->updates[0].apprunner_operation().id(), kOp);
  }
  clock_->Advance(absl::Seconds(1));
  EXPECT_EQ(client_.calls.size(), 2u);  // one poll per interval, for all three
}

TEST_F(WatchEngineTest, AnotherIdentityOrRegionGetsItsOwnPoller) {
  auto a = WatchOp();
  client_.identity = "someone-else";
  auto b = WatchOp();
  clock_->RunPending();
  EXPECT_EQ(client_.calls.size(), 2u);
  EXPECT_EQ(metrics_.pollers.load(), 2);
}

TEST_F(WatchEngineTest, ChangesOnlyThenTheTerminalUpdateEndsTheStreamOk) {
  auto sink = WatchOp();
  clock_->RunPending();
  Reply(Ops(kPending));
  clock_->Advance(absl::Seconds(1));
  Reply(Ops(kPending));  // no change: nothing sent
  clock_->Advance(absl::Seconds(2));
  Reply(Ops(kInProgress));
  clock_->Advance(absl::Seconds(1));
  Reply(Ops(kSucceeded));
  ASSERT_EQ(Kinds(*sink), (std::vector<U::Kind>{U::KIND_SNAPSHOT, U::KIND_CHANGE, U::KIND_CHANGE}));
  EXPECT_EQ(sink->updates[1].previous_status(), "PENDING");
  EXPECT_EQ(sink->updates[2].sequence(), 3u);
  EXPECT_TRUE(sink->updates[2].terminal());
  EXPECT_EQ(sink->updates[2].outcome(), U::OUTCOME_SUCCEEDED);
  EXPECT_EQ(sink->updates[2].summary(),
            "App Runner operation arn:aws:apprunner:us-east-1:1:service/web/1/op-1: "
            "IN_PROGRESS -> SUCCEEDED; succeeded");
  ASSERT_TRUE(sink->finished.has_value());
  EXPECT_TRUE(sink->finished->ok());
  clock_->Advance(absl::Hours(1));
  EXPECT_EQ(client_.calls.size(), 4u);  // nothing polls a finished resource
  EXPECT_EQ(metrics_.pollers.load(), 0);
}

TEST_F(WatchEngineTest, IntervalSlowsWhileQuietAndSpeedsUpAfterAChange) {
  auto sink = WatchOp(OpRequest(1, 8));
  clock_->RunPending();
  Reply(Ops(kPending));  // first state: a change -> 1s
  clock_->Advance(absl::Milliseconds(999));
  EXPECT_EQ(client_.Open().size(), 0u);
  clock_->Advance(absl::Milliseconds(1));
  Reply(Ops(kPending));  // quiet -> 1.5s
  clock_->Advance(absl::Milliseconds(1499));
  EXPECT_EQ(client_.Open().size(), 0u);
  clock_->Advance(absl::Milliseconds(1));
  Reply(Ops(kPending));  // quiet -> 2.25s
  clock_->Advance(absl::Milliseconds(2249));
  EXPECT_EQ(client_.Open().size(), 0u);
  clock_->Advance(absl::Milliseconds(1));
  Reply(Ops(kInProgress));  // change -> back to 1s
  clock_->Advance(absl::Seconds(1));
  EXPECT_EQ(client_.Open().size(), 1u);
  // Never slower than the bound.
  for (int i = 0; i < 10; ++i) {
    Reply(Ops(kInProgress));
    clock_->Advance(absl::Seconds(8));
    ASSERT_EQ(client_.Open().size(), 1u) << i;
  }
}

TEST_F(WatchEngineTest, AWatcherAskingForFasterPollingDoesNotWaitOutASlowTimer) {
  auto slow = WatchOp(OpRequest(1, 60));
  clock_->RunPending();
  Reply(Ops(kPending));
  for (absl::Duration d : {absl::Seconds(1), absl::Milliseconds(1500), absl::Milliseconds(2250),
                           absl::Microseconds(3375000)}) {
    clock_->Advance(d);
    Reply(Ops(kPending));
  }
  // The next poll is 5.0625s away; a watcher wanting at most 2s joins 1s in.
  clock_->Advance(absl::Seconds(1));
  auto fast = WatchOp(OpRequest(1, 2));
  clock_->RunPending();
  ASSERT_EQ(fast->updates.size(), 1u);  // the latest snapshot, at once
  EXPECT_EQ(client_.Open().size(), 0u);
  clock_->Advance(absl::Milliseconds(999));
  EXPECT_EQ(client_.Open().size(), 0u);
  clock_->Advance(absl::Milliseconds(1));
  EXPECT_EQ(client_.Open().size(), 1u);  // 2s after the last poll
}

TEST_F(WatchEngineTest, ThrottlingBacksOffWithJitterAndIsReportedWithoutEnding) {
  auto sink = WatchOp(OpRequest(1, 8));
  clock_->RunPending();
  Reply(Ops(kPending));
  clock_->Advance(absl::Seconds(1));
  client_.Fail(client_.Open()[0], grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "slow down"));
  clock_->RunPending();
  ASSERT_EQ(Kinds(*sink), (std::vector<U::Kind>{U::KIND_SNAPSHOT, U::KIND_POLL_ERROR}));
  EXPECT_EQ(sink->updates[1].error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(sink->updates[1].sequence(), 1u);  // not a change
  EXPECT_FALSE(sink->finished.has_value());
  // 1s * 2^1 * (0.5 + 0.5 * 0.5) = 1.5s.
  clock_->Advance(absl::Milliseconds(1499));
  EXPECT_EQ(client_.Open().size(), 0u);
  clock_->Advance(absl::Milliseconds(1));
  client_.Fail(client_.Open()[0], grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"));
  clock_->RunPending();
  // 1s * 2^2 * 0.75 = 3s.
  clock_->Advance(absl::Milliseconds(2999));
  EXPECT_EQ(client_.Open().size(), 0u);
  clock_->Advance(absl::Milliseconds(1));
  Reply(Ops(kInProgress));
  EXPECT_EQ(Kinds(*sink),
            (std::vector<U::Kind>{U::KIND_SNAPSHOT, U::KIND_POLL_ERROR, U::KIND_POLL_ERROR,
                                  U::KIND_POLL_RECOVERED, U::KIND_CHANGE}));
  EXPECT_EQ(sink->updates.back().sequence(), 2u);
}

TEST_F(WatchEngineTest, WhenTheFastWatcherLeavesPollingSlowsToTheOthersBounds) {
  auto slow = WatchOp(OpRequest(10, 10));
  auto fast = WatchOp(OpRequest(1, 1));
  auto also_slow = WatchOp(OpRequest(10, 10));
  clock_->RunPending();
  Reply(Ops(kPending));
  clock_->Advance(absl::Seconds(1));
  Reply(Ops(kPending));  // every second while the fast watcher is there
  fast->subscription->Cancel();
  clock_->RunPending();
  clock_->Advance(absl::Seconds(1));
  Reply(Ops(kPending));  // the timer set before it left
  clock_->Advance(absl::Seconds(9));
  EXPECT_EQ(client_.Open().size(), 0u);
  clock_->Advance(absl::Seconds(1));
  EXPECT_EQ(client_.Open().size(), 1u);  // 10s apart now
}

TEST_F(WatchEngineTest, MissingResourceAndRefusedPollsEndTheStream) {
  auto missing = WatchOp();
  clock_->RunPending();
  Reply(aws::apprunner::v1::ListOperationsResponse());
  ASSERT_TRUE(missing->finished.has_value());
  EXPECT_EQ(missing->finished->error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(missing->updates.empty());

  clock_->RunPending();
  clock_->Advance(absl::Minutes(1));  // past the memory of the missing resource
  auto denied = WatchOp();
  clock_->RunPending();
  client_.Fail(client_.Open()[0], grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no"));
  clock_->RunPending();
  ASSERT_TRUE(denied->finished.has_value());
  EXPECT_EQ(denied->finished->error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(WatchEngineTest, AMissingResourceIsAnsweredFromMemoryForAWhile) {
  // Streams opened one after another on a resource that does not exist
  // cost one AWS call, not one each.
  auto first = WatchOp();
  clock_->RunPending();
  Reply(aws::apprunner::v1::ListOperationsResponse());
  ASSERT_TRUE(first->finished.has_value());
  for (int i = 0; i < 50; ++i) {
    auto again = WatchOp();
    clock_->RunPending();
    ASSERT_TRUE(again->finished.has_value()) << i;
    EXPECT_EQ(again->finished->error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(again->finished->error_message(), first->finished->error_message());
  }
  EXPECT_EQ(client_.calls.size(), 1u);
  // Another resource is asked about; and after the memory fades, this one.
  auto other_request = OpRequest();
  other_request.set_operation_id("op-2");
  auto other = WatchOp(other_request);
  clock_->RunPending();
  EXPECT_EQ(client_.calls.size(), 2u);
  Reply(aws::apprunner::v1::ListOperationsResponse());
  ASSERT_TRUE(other->finished.has_value());
  clock_->Advance(absl::Seconds(16));
  auto later = WatchOp();
  clock_->RunPending();
  EXPECT_EQ(client_.calls.size(), 3u);
}

TEST(WatchEngineLimitsTest, ResourcesBeyondTheLimitAreRefused) {
  auto scheduler = std::make_unique<ManualScheduler>();
  ManualScheduler* clock = scheduler.get();
  FakePollClient client;
  EngineOptions options;
  options.max_resources = 2;
  std::vector<std::string> refusals;
  options.on_resource_limit = [&refusals](const std::string& what) { refusals.push_back(what); };
  WatchEngine engine(std::move(scheduler), &client, options, nullptr);
  auto watch = [&](const std::string& op) {
    auto sink = std::make_unique<RecordingSink>();
    v1::WatchAppRunnerOperationRequest request = OpRequest();
    request.set_operation_id(op);
    auto subscription =
        engine.Subscribe(*testing::FindWatch("WatchAppRunnerOperation"), request, "", sink.get());
    EXPECT_TRUE(subscription.ok());
    if (subscription.ok()) sink->subscription = *subscription;
    clock->RunPending();
    return sink;
  };
  auto a = watch("op-a"), b = watch("op-b");
  const size_t polls = client.calls.size();
  auto c = watch("op-c");
  ASSERT_TRUE(c->finished.has_value());
  EXPECT_EQ(c->finished->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refusals.size(), 1u);
  EXPECT_EQ(client.calls.size(), polls) << "no poll for the refused resource";
  // Another watcher of a resource already watched costs nothing: admitted.
  auto a2 = watch("op-a");
  EXPECT_FALSE(a2->finished.has_value());
  // A resource that leaves makes room.
  b->subscription->Cancel();
  clock->RunPending();
  auto d = watch("op-d");
  EXPECT_FALSE(d->finished.has_value());
}

TEST_F(WatchEngineTest, LateJoinerGetsTheLatestSnapshotWithoutAPoll) {
  auto first = WatchOp();
  clock_->RunPending();
  Reply(Ops(kPending));
  clock_->Advance(absl::Seconds(1));
  Reply(Ops(kInProgress));
  auto late = WatchOp();
  clock_->RunPending();
  ASSERT_EQ(Kinds(*late), std::vector<U::Kind>{U::KIND_SNAPSHOT});
  EXPECT_EQ(late->updates[0].status(), "IN_PROGRESS");
  EXPECT_EQ(late->updates[0].previous_status(), "");
  EXPECT_EQ(client_.calls.size(), 2u);
}

TEST_F(WatchEngineTest, ThePollerStopsWhenTheLastWatcherLeaves) {
  auto a = WatchOp(), b = WatchOp();
  clock_->RunPending();
  a->subscription->Cancel();
  clock_->RunPending();
  ASSERT_TRUE(a->finished.has_value());
  EXPECT_EQ(a->finished->error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_FALSE(client_.calls[0]->cancelled);  // b still watches
  b->subscription->Cancel();
  clock_->RunPending();
  EXPECT_TRUE(client_.calls[0]->cancelled);  // the poll in flight is abandoned
  EXPECT_EQ(metrics_.pollers.load(), 0);
  EXPECT_EQ(metrics_.watchers.load(), 0);
  EXPECT_EQ(metrics_.resources.load(), 0);
  clock_->Advance(absl::Hours(1));
  EXPECT_EQ(client_.calls.size(), 1u);
}

TEST_F(WatchEngineTest, DrainEndsEveryStreamWithUnavailableAndStopsPolling) {
  auto sink = WatchOp();
  clock_->RunPending();
  Reply(Ops(kPending));
  engine_->Drain();
  clock_->RunPending();
  ASSERT_TRUE(sink->finished.has_value());
  EXPECT_EQ(sink->finished->error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(metrics_.pollers.load(), 0);
  auto late = WatchOp();
  clock_->RunPending();
  ASSERT_TRUE(late->finished.has_value());
  EXPECT_EQ(late->finished->error_code(), grpc::StatusCode::UNAVAILABLE);
  clock_->Advance(absl::Hours(1));
  EXPECT_EQ(client_.calls.size(), 1u);
}

TEST_F(WatchEngineTest, CancelRightAfterSubscribingLeavesNothingBehind) {
  auto sink = WatchOp();
  sink->subscription->Cancel();
  clock_->RunPending();
  ASSERT_TRUE(sink->finished.has_value());
  EXPECT_EQ(sink->finished->error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(sink->updates.empty());
  for (const auto& call : client_.calls) EXPECT_TRUE(call->cancelled);
  EXPECT_EQ(metrics_.pollers.load(), 0);
  clock_->Advance(absl::Hours(1));
  EXPECT_LE(client_.calls.size(), 1u);
}

TEST_F(WatchEngineTest, ASlowWatcherGetsOnlyTheNewestStateAndHoldsNobodyBack) {
  auto fast = WatchOp(), slow = WatchOp();
  slow->auto_ack = false;
  clock_->RunPending();
  Reply(Ops(kPending));
  clock_->Advance(absl::Seconds(1));
  Reply(Ops(kInProgress));
  clock_->Advance(absl::Seconds(1));
  Reply(Ops(kRollingBack));
  EXPECT_EQ(fast->updates.size(), 3u);
  ASSERT_EQ(slow->updates.size(), 1u);  // its snapshot is still being written
  slow->Ack();
  clock_->RunPending();
  ASSERT_EQ(slow->updates.size(), 2u);
  EXPECT_EQ(slow->updates[1].previous_status(), "PENDING");
  EXPECT_EQ(slow->updates[1].status(), "ROLLBACK_IN_PROGRESS");
  EXPECT_EQ(slow->updates[1].sequence(), 2u);
}

TEST_F(WatchEngineTest, HeartbeatsKeepIdleStreamsAlive) {
  v1::WatchAppRunnerOperationRequest request = OpRequest(1, 600);
  request.mutable_options()->mutable_heartbeat_interval()->set_seconds(5);
  auto sink = WatchOp(request);
  clock_->RunPending();
  Reply(Ops(kPending));
  clock_->Advance(absl::Seconds(5));
  ASSERT_EQ(Kinds(*sink), (std::vector<U::Kind>{U::KIND_SNAPSHOT, U::KIND_HEARTBEAT}));
  EXPECT_EQ(sink->updates[1].sequence(), 1u);
  EXPECT_EQ(sink->updates[1].status(), "PENDING");
}

TEST_F(WatchEngineTest, AResumedStreamGetsNothingItHasSeen) {
  auto first = WatchOp();
  clock_->RunPending();
  Reply(Ops(kPending));
  const std::string token = first->updates[0].resume_token();
  first->subscription->Cancel();
  clock_->RunPending();

  v1::WatchAppRunnerOperationRequest request = OpRequest();
  request.mutable_options()->set_resume_token(token);
  auto resumed = WatchOp(request);
  clock_->RunPending();
  Reply(Ops(kPending));
  EXPECT_TRUE(resumed->updates.empty());
  clock_->Advance(absl::Seconds(1));
  Reply(Ops(kInProgress));
  ASSERT_EQ(Kinds(*resumed), std::vector<U::Kind>{U::KIND_CHANGE});
  EXPECT_EQ(resumed->updates[0].sequence(), 2u);
  EXPECT_EQ(resumed->updates[0].previous_status(), "PENDING");
}

TEST_F(WatchEngineTest, LastSequenceContinuesTheNumberingAndCannotWrap) {
  v1::WatchAppRunnerOperationRequest request = OpRequest();
  request.mutable_options()->set_last_sequence(41);
  auto resumed = WatchOp(request);
  clock_->RunPending();
  Reply(Ops(kPending));
  ASSERT_EQ(Kinds(*resumed), std::vector<U::Kind>{U::KIND_SNAPSHOT});
  EXPECT_EQ(resumed->updates[0].sequence(), 42u);

  request.mutable_options()->set_last_sequence(~uint64_t{0});
  auto refused = engine_->Subscribe(*testing::FindWatch("WatchAppRunnerOperation"), request, "",
                                    resumed.get());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("options.last_sequence"), std::string::npos);
}

TEST_F(WatchEngineTest, EcsTasksOfOneClusterAreBatchedUpToOneHundredPerCall) {
  std::vector<std::unique_ptr<RecordingSink>> sinks;
  for (int i = 0; i < 150; ++i) {
    v1::WatchEcsTaskRequest request;
    request.set_cluster("c1");
    request.set_task(absl::StrCat("t", i));
    sinks.push_back(Subscribe("WatchEcsTask", request));
  }
  v1::WatchEcsTaskRequest other;
  other.set_cluster("c2");
  other.set_task("t0");
  sinks.push_back(Subscribe("WatchEcsTask", other));
  clock_->RunPending();
  EXPECT_EQ(metrics_.pollers.load(), 2);  // one per cluster
  EXPECT_EQ(metrics_.resources.load(), 151);
  // The first watcher of each cluster started a poll; the others joined
  // while it was in flight and are polled right after, together.
  ASSERT_EQ(client_.Open().size(), 2u);
  auto answer = [&](size_t i) {
    const auto& request =
        static_cast<const aws::ecs::v1::DescribeTasksRequest&>(*client_.calls[i]->request);
    aws::ecs::v1::DescribeTasksResponse response;
    for (const std::string& task : request.tasks()) {
      auto* t = response.add_tasks();
      t->set_task_arn(absl::StrCat("arn:aws:ecs:us-east-1:1:task/", request.cluster(), "/", task));
      t->set_last_status("PENDING");
    }
    client_.Reply(i, response);
  };
  for (size_t i : client_.Open()) answer(i);
  clock_->RunPending();
  std::vector<int> sizes;
  for (size_t i : client_.Open()) {
    const auto& request =
        static_cast<const aws::ecs::v1::DescribeTasksRequest&>(*client_.calls[i]->request);
    EXPECT_EQ(request.cluster(), "c1");
    sizes.push_back(request.tasks_size());
  }
  EXPECT_EQ(sizes, (std::vector<int>{100, 50}));
  for (size_t i : client_.Open()) answer(i);
  clock_->RunPending();
  for (const auto& sink : sinks) {
    ASSERT_EQ(sink->updates.size(), 1u);
    EXPECT_EQ(sink->updates[0].ecs_task().last_status(), "PENDING");
  }
  // From now on: two calls per interval for 150 tasks of c1, one for c2.
  const size_t before = client_.calls.size();
  clock_->Advance(absl::Seconds(2));
  EXPECT_EQ(client_.calls.size(), before + 3);
}

TEST_F(WatchEngineTest, EcsServicesAreBatchedTenPerCallAndShareOneEventFeedEach) {
  std::vector<std::unique_ptr<RecordingSink>> sinks;
  for (int i = 0; i < 12; ++i) {
    v1::WatchEcsServiceRequest request;
    request.set_cluster("c1");
    request.set_service(absl::StrCat("svc", i));
    sinks.push_back(Subscribe("WatchEcsService", request));
  }
  clock_->RunPending();
  auto answer = [&](size_t i, int events) {
    const auto& request =
        static_cast<const aws::ecs::v1::DescribeServicesRequest&>(*client_.calls[i]->request);
    aws::ecs::v1::DescribeServicesResponse response;
    for (const std::string& name : request.services()) {
      auto* s = response.add_services();
      s->set_service_arn(absl::StrCat("arn:aws:ecs:us-east-1:1:service/c1/", name));
      s->set_status("ACTIVE");
      for (int e = events - 1; e >= 0; --e) {  // newest first, as ECS lists them
        auto* event = s->add_events();
        event->set_id(absl::StrCat(name, "-e", e));
        event->mutable_created_at()->set_seconds(1000 + e);
        event->set_message(absl::StrCat("event ", e));
      }
    }
    client_.Reply(i, response);
  };
  for (size_t i : client_.Open()) answer(i, 1);  // the first watcher's own poll
  clock_->RunPending();
  std::vector<int> sizes;
  for (size_t i : client_.Open()) {
    sizes.push_back(
        static_cast<const aws::ecs::v1::DescribeServicesRequest&>(*client_.calls[i]->request)
            .services_size());
    answer(i, 1);
  }
  clock_->RunPending();
  EXPECT_EQ(sizes, (std::vector<int>{10, 2}));
  clock_->Advance(absl::Seconds(2));
  for (size_t i : client_.Open()) answer(i, 3);  // two new events per service
  clock_->RunPending();
  for (const auto& sink : sinks) {
    ASSERT_EQ(Kinds(*sink), (std::vector<U::Kind>{U::KIND_SNAPSHOT, U::KIND_EVENT, U::KIND_EVENT}));
    EXPECT_EQ(sink->updates[1].ecs_service_event().message(), "event 1");
    EXPECT_EQ(sink->updates[2].ecs_service_event().message(), "event 2");
    EXPECT_EQ(sink->updates[2].sequence(), 3u);
  }
}

TEST_F(WatchEngineTest, EventsOfAFeedOfItsOwnFollowTheSnapshotFromTheFirst) {
  // An experiment run's events come from ListExperimentRunEvents, not from
  // the run the snapshot shows: the entries that predate the stream are sent
  // too (a feed inside the resource is in the snapshot instead).
  v1::WatchAppConfigExperimentRunRequest request;
  request.set_application_identifier("app");
  request.set_experiment_definition_identifier("exp");
  request.set_run(1);
  request.mutable_options()->mutable_min_interval()->set_seconds(1);
  auto sink = Subscribe("WatchAppConfigExperimentRun", request);
  clock_->RunPending();
  auto answer = [&](aws::appconfig::v1::ExperimentRunStatus status, int events) {
    ASSERT_EQ(client_.Open().size(), 2u);
    for (size_t i : client_.Open()) {
      const auto* type = client_.calls[i]->request->GetDescriptor();
      if (type == aws::appconfig::v1::GetExperimentRunRequest::descriptor()) {
        aws::appconfig::v1::GetExperimentRunResponse run;
        run.set_run(1);
        run.set_status(status);
        client_.Reply(i, run);
      } else {
        aws::appconfig::v1::ListExperimentRunEventsResponse list;
        for (int e = 0; e < events; ++e) {
          auto* event = list.add_items();
          event->set_description(absl::StrCat("event ", e));
          event->mutable_occurred_at()->set_seconds(1000 + e);
        }
        client_.Reply(i, list);
      }
    }
    clock_->RunPending();
  };
  answer(aws::appconfig::v1::EXPERIMENT_RUN_STATUS_RUNNING, 1);
  clock_->Advance(absl::Seconds(1));
  answer(aws::appconfig::v1::EXPERIMENT_RUN_STATUS_DONE, 2);
  ASSERT_EQ(Kinds(*sink),
            (std::vector<U::Kind>{U::KIND_SNAPSHOT, U::KIND_EVENT, U::KIND_EVENT, U::KIND_CHANGE}));
  EXPECT_EQ(sink->updates[1].appconfig_experiment_run_event().description(), "event 0");
  EXPECT_EQ(sink->updates[2].appconfig_experiment_run_event().description(), "event 1");
  EXPECT_TRUE(sink->updates[3].terminal());
}

TEST_F(WatchEngineTest, AnEventFeedIsReadToItsLastPage) {
  v1::WatchAppConfigExperimentRunRequest request;
  request.set_application_identifier("app");
  request.set_experiment_definition_identifier("exp");
  request.set_run(1);
  auto sink = Subscribe("WatchAppConfigExperimentRun", request);
  clock_->RunPending();
  auto page = [](int first, int count, const std::string& next) {
    aws::appconfig::v1::ListExperimentRunEventsResponse list;
    for (int e = first; e < first + count; ++e) {
      auto* event = list.add_items();
      event->set_description(absl::StrCat("event ", e));
      event->mutable_occurred_at()->set_seconds(1000 + e);
    }
    if (!next.empty()) list.set_next_token(next);
    return list;
  };
  ASSERT_EQ(client_.Open().size(), 2u);
  for (size_t i : client_.Open()) {
    if (client_.calls[i]->request->GetDescriptor() ==
        aws::appconfig::v1::GetExperimentRunRequest::descriptor()) {
      aws::appconfig::v1::GetExperimentRunResponse run;
      run.set_run(1);
      run.set_status(aws::appconfig::v1::EXPERIMENT_RUN_STATUS_RUNNING);
      client_.Reply(i, run);
    } else {
      client_.Reply(i, page(0, 2, "page-2"));
    }
  }
  clock_->RunPending();
  // The second page is asked for with the first page's token, then the third.
  ASSERT_EQ(client_.Open().size(), 1u);
  const auto& second = static_cast<const aws::appconfig::v1::ListExperimentRunEventsRequest&>(
      *client_.calls[client_.Open()[0]]->request);
  EXPECT_EQ(second.next_token(), "page-2");
  EXPECT_EQ(second.run(), 1);
  Reply(page(2, 2, "page-3"));
  Reply(page(4, 1, ""));
  EXPECT_TRUE(client_.Open().empty());
  ASSERT_EQ(Kinds(*sink), (std::vector<U::Kind>{U::KIND_SNAPSHOT, U::KIND_EVENT, U::KIND_EVENT,
                                                U::KIND_EVENT, U::KIND_EVENT, U::KIND_EVENT}));
  EXPECT_EQ(sink->updates[5].appconfig_experiment_run_event().description(), "event 4");
}

}  // namespace
}  // namespace awsgw::gateway::watch
