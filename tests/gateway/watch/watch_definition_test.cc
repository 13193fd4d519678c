// Every watch rpc's definition resolves against the protos this build
// serves, and watch requests become poll targets (with their batching key).
#include "gateway/watch/watch_definition.h"

#include "aws/appconfig/v1/appconfig.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "awsgw/watch/v1/watch.pb.h"
#include "gtest/gtest.h"
#include "tests/gateway/watch/watch_test_support.h"

namespace awsgw::gateway::watch {
namespace {

class WatchDefinitionTest : public ::testing::Test {
 protected:
  static const CompiledWatch& Watch(absl::string_view rpc) {
    const CompiledWatch* watch = testing::FindWatch(rpc);
    EXPECT_NE(watch, nullptr) << rpc;
    return *watch;
  }
};

TEST_F(WatchDefinitionTest, EveryRpcCompiles) {
  EXPECT_EQ(testing::Watches().watches().size(), 15u);
  for (const auto& watch : testing::Watches().watches()) {
    EXPECT_NE(watch->poll, nullptr) << watch->path;
    EXPECT_NE(watch->snapshot_field, nullptr) << watch->path;
    EXPECT_FALSE(watch->status.empty()) << watch->path;
    EXPECT_NE(watch->options_field, nullptr) << watch->path;
    const auto& def = *watch->definition;
    // Every kind either ends by itself or is given goals.
    EXPECT_TRUE(def.success_values_size() + def.ended_values_size() + def.goals_size() > 0)
        << watch->path;
  }
}

TEST_F(WatchDefinitionTest, EcsKindsAreBatchedByTheirApiLimits) {
  EXPECT_TRUE(Watch("WatchEcsTask").batched);
  EXPECT_EQ(Watch("WatchEcsTask").batch_max, 100);
  EXPECT_EQ(Watch("WatchEcsService").batch_max, 10);
  EXPECT_EQ(Watch("WatchEcsService").goals.size(), 2u);
  EXPECT_FALSE(Watch("WatchAmplifyJob").batched);
  EXPECT_NE(Watch("WatchAppConfigExperimentRun").events->method, nullptr);
  EXPECT_EQ(Watch("WatchAppConfigDeployment").events->method, nullptr);
}

TEST_F(WatchDefinitionTest, TasksOfOneClusterShareTheirPollRequest) {
  const CompiledWatch& watch = Watch("WatchEcsTask");
  v1::WatchEcsTaskRequest a, b, c;
  a.set_cluster("c1");
  a.set_task("t1");
  b.set_cluster("c1");
  b.set_task("arn:aws:ecs:us-east-1:1:task/c1/t2");
  b.set_goal(v1::ECS_TASK_GOAL_RUNNING);
  c.set_cluster("c2");
  c.set_task("t1");
  auto ta = BuildTarget(watch, a), tb = BuildTarget(watch, b), tc = BuildTarget(watch, c);
  ASSERT_TRUE(ta.ok() && tb.ok() && tc.ok());
  EXPECT_EQ(ta->request_digest, tb->request_digest);
  EXPECT_NE(ta->request_digest, tc->request_digest);
  EXPECT_EQ(ta->resource_key, "t1");
  EXPECT_EQ(tb->goal_name, "ECS_TASK_GOAL_RUNNING");
  EXPECT_EQ(ta->goal, nullptr);
  const auto& request = static_cast<const aws::ecs::v1::DescribeTasksRequest&>(*ta->poll_request);
  EXPECT_EQ(request.cluster(), "c1");
  EXPECT_EQ(request.tasks_size(), 0);  // keys are added per batch
  EXPECT_EQ(ta->display, "c1/t1");
}

TEST_F(WatchDefinitionTest, MissingIdentifiersAreNamed) {
  v1::WatchAppConfigDeploymentRequest request;
  request.set_application_id("app");
  auto target = BuildTarget(Watch("WatchAppConfigDeployment"), request);
  EXPECT_EQ(target.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(target.status().message(), "environment_id is required");
  request.set_environment_id("env");
  request.set_deployment_number(4);
  target = BuildTarget(Watch("WatchAppConfigDeployment"), request);
  ASSERT_TRUE(target.ok());
  const auto& poll =
      static_cast<const aws::appconfig::v1::GetDeploymentRequest&>(*target->poll_request);
  EXPECT_EQ(poll.deployment_number(), 4);
  // ECS clusters may be left to the default; the task may not.
  v1::WatchEcsTaskRequest task;
  EXPECT_EQ(BuildTarget(Watch("WatchEcsTask"), task).status().message(), "task is required");
  task.set_task("t1");
  EXPECT_TRUE(BuildTarget(Watch("WatchEcsTask"), task).ok());
  // An App Runner operation watch without an id follows the newest one.
  v1::WatchAppRunnerOperationRequest op;
  op.set_service_arn("arn:s");
  EXPECT_TRUE(BuildTarget(Watch("WatchAppRunnerOperation"), op).ok());
}

TEST_F(WatchDefinitionTest, UnknownGoalsAreRefused) {
  v1::WatchEcsServiceRequest request;
  request.set_service("web");
  request.set_goal(static_cast<v1::EcsServiceGoal>(42));
  EXPECT_EQ(BuildTarget(Watch("WatchEcsService"), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace awsgw::gateway::watch
