// Observations: locating the resource, terminal detection by status values
// and goals, change digests and event feeds.
#include "gateway/watch/observation.h"

#include "aws/apprunner/v1/apprunner.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "gtest/gtest.h"
#include "tests/gateway/watch/watch_test_support.h"

namespace awsgw::gateway::watch {
namespace {

class ObservationTest : public ::testing::Test {
 protected:
  static const CompiledWatch& Watch(absl::string_view rpc) { return *testing::FindWatch(rpc); }
  static const CompiledGoal* Goal(const CompiledWatch& watch, int number) {
    return &watch.goals.at(number);
  }
};

aws::ecs::v1::Service EcsService(const std::string& status, int deployments, int running,
                                 int desired) {
  aws::ecs::v1::Service s;
  s.set_service_arn("arn:aws:ecs:us-east-1:1:service/c1/web");
  s.set_service_name("web");
  s.set_status(status);
  s.set_running_count(running);
  s.set_desired_count(desired);
  for (int i = 0; i < deployments; ++i) s.add_deployments()->set_id(absl::StrCat("d", i));
  return s;
}

TEST_F(ObservationTest, LocatesByKeyOrArnSuffixAndReportsMissing) {
  const CompiledWatch& watch = Watch("WatchEcsService");
  aws::ecs::v1::DescribeServicesResponse response;
  *response.add_services() = EcsService("ACTIVE", 1, 1, 1);
  auto* failure = response.add_failures();
  failure->set_arn("arn:aws:ecs:us-east-1:1:service/c1/gone");
  failure->set_reason("MISSING");
  EXPECT_NE(Locate(watch, response, "web").resource, nullptr);
  EXPECT_NE(Locate(watch, response, "arn:aws:ecs:us-east-1:1:service/c1/web").resource, nullptr);
  Located gone = Locate(watch, response, "gone");
  EXPECT_EQ(gone.resource, nullptr);
  EXPECT_EQ(gone.missing, "MISSING");
  Located absent = Locate(watch, response, "other");
  EXPECT_EQ(absent.resource, nullptr);
  EXPECT_EQ(absent.missing, "");
  EXPECT_FALSE(KeyMatches("arn:x/web", "eb"));  // a suffix must be a whole segment
}

TEST_F(ObservationTest, FirstElementWhenTheKeyIsEmpty) {
  const CompiledWatch& watch = Watch("WatchAppRunnerOperation");
  aws::apprunner::v1::ListOperationsResponse response;
  response.add_operation_summary_list()->set_id("newest");
  response.add_operation_summary_list()->set_id("older");
  const auto* found = Locate(watch, response, "").resource;
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(static_cast<const aws::apprunner::v1::OperationSummary*>(found)->id(), "newest");
  response.clear_operation_summary_list();
  EXPECT_EQ(Locate(watch, response, "").resource, nullptr);
}

TEST_F(ObservationTest, StatusValuesDecideTheOutcome) {
  const CompiledWatch& watch = Watch("WatchAppRunnerOperation");
  aws::apprunner::v1::OperationSummary op;
  op.set_status(aws::apprunner::v1::OPERATION_STATUS_IN_PROGRESS);
  Observation o = Observe(watch, nullptr, op);
  EXPECT_EQ(o.status, "IN_PROGRESS");
  EXPECT_FALSE(o.terminal);
  op.set_status(aws::apprunner::v1::OPERATION_STATUS_ROLLBACK_SUCCEEDED);
  o = Observe(watch, nullptr, op);
  EXPECT_TRUE(o.terminal);
  EXPECT_EQ(o.outcome, v1::WatchUpdate::OUTCOME_FAILED);
  op.set_status(aws::apprunner::v1::OPERATION_STATUS_SUCCEEDED);
  EXPECT_EQ(Observe(watch, nullptr, op).outcome, v1::WatchUpdate::OUTCOME_SUCCEEDED);
}

TEST_F(ObservationTest, ServicesStableGoalIsTheSdkWaiter) {
  const CompiledWatch& watch = Watch("WatchEcsService");
  const CompiledGoal* stable = Goal(watch, v1::ECS_SERVICE_GOAL_STABLE);
  EXPECT_FALSE(Observe(watch, stable, EcsService("ACTIVE", 2, 2, 2)).terminal);
  EXPECT_FALSE(Observe(watch, stable, EcsService("ACTIVE", 1, 1, 2)).terminal);
  Observation done = Observe(watch, stable, EcsService("ACTIVE", 1, 2, 2));
  EXPECT_TRUE(done.terminal);
  EXPECT_EQ(done.outcome, v1::WatchUpdate::OUTCOME_SUCCEEDED);
  // Zero desired and zero running is stable too (unset counts read as 0).
  aws::ecs::v1::Service scaled = EcsService("ACTIVE", 1, 0, 0);
  scaled.clear_running_count();
  EXPECT_TRUE(Observe(watch, stable, scaled).terminal);
  Observation draining = Observe(watch, stable, EcsService("DRAINING", 1, 2, 2));
  EXPECT_EQ(draining.outcome, v1::WatchUpdate::OUTCOME_FAILED);
  // Without a goal an ECS service watch never ends by itself.
  EXPECT_FALSE(Observe(watch, nullptr, EcsService("INACTIVE", 0, 0, 0)).terminal);
  EXPECT_TRUE(
      Observe(watch, Goal(watch, v1::ECS_SERVICE_GOAL_INACTIVE), EcsService("INACTIVE", 0, 0, 0))
          .terminal);
}

TEST_F(ObservationTest, TasksStopWithoutAVerdictUnlessAGoalWasSet) {
  const CompiledWatch& watch = Watch("WatchEcsTask");
  aws::ecs::v1::Task task;
  task.set_last_status("STOPPED");
  task.set_stopped_reason("Essential container in task exited");
  Observation o = Observe(watch, nullptr, task);
  EXPECT_EQ(o.outcome, v1::WatchUpdate::OUTCOME_ENDED);
  EXPECT_EQ(o.reason, "Essential container in task exited");
  EXPECT_EQ(Observe(watch, Goal(watch, v1::ECS_TASK_GOAL_RUNNING), task).outcome,
            v1::WatchUpdate::OUTCOME_FAILED);
  EXPECT_EQ(Observe(watch, Goal(watch, v1::ECS_TASK_GOAL_STOPPED), task).outcome,
            v1::WatchUpdate::OUTCOME_SUCCEEDED);
}

TEST_F(ObservationTest, DigestIgnoresTheEventFeedButNotOtherFields) {
  const CompiledWatch& watch = Watch("WatchEcsService");
  aws::ecs::v1::Service a = EcsService("ACTIVE", 1, 1, 2);
  aws::ecs::v1::Service b = a;
  b.add_events()->set_id("e1");
  EXPECT_EQ(Observe(watch, nullptr, a).digest, Observe(watch, nullptr, b).digest);
  b.set_pending_count(1);
  EXPECT_NE(Observe(watch, nullptr, a).digest, Observe(watch, nullptr, b).digest);
}

TEST_F(ObservationTest, EventsAreSortedOldestFirstWithStableIds) {
  const CompiledWatch& watch = Watch("WatchEcsService");
  aws::ecs::v1::Service s;
  for (int i : {3, 1, 2}) {
    auto* e = s.add_events();  // ECS lists newest first; any order works
    e->set_id(absl::StrCat("e", i));
    e->mutable_created_at()->set_seconds(100 + i);
    e->set_message(absl::StrCat("event ", i));
  }
  std::vector<Event> events = ExtractEvents(*watch.events, s);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].summary, "event 1");
  EXPECT_EQ(events[2].order_nanos, 103000000000);
  EXPECT_EQ(events[0].id, StableDigest(absl::string_view("e1")));
}

// Events of one instant keep the order in which they happened: ECS and
// AppConfig list newest first, so the reverse of their place in the list.
TEST_F(ObservationTest, EventsOfOneInstantKeepTheOrderTheyHappenedIn) {
  const CompiledWatch& watch = Watch("WatchEcsService");
  aws::ecs::v1::Service s;
  // Newest first; e3 twice, as pages that overlap while the list grows do.
  for (const char* id : {"e4", "e8", "e3", "e3", "e5", "e1", "e7", "e2", "e9"}) {
    auto* e = s.add_events();
    e->set_id(id);
    e->mutable_created_at()->set_seconds(100);
  }
  std::vector<Event> events = ExtractEvents(*watch.events, s);
  std::vector<uint64_t> ids;
  for (const Event& event : events) ids.push_back(event.id);
  std::vector<uint64_t> expected;
  for (const char* id : {"e9", "e2", "e7", "e1", "e5", "e3", "e8", "e4"}) {
    expected.push_back(StableDigest(absl::string_view(id)));
  }
  EXPECT_EQ(ids, expected);
}

}  // namespace
}  // namespace awsgw::gateway::watch
