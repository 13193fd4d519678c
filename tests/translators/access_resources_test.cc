// The resources a call acts on, read from real generated requests.
#include "translators/access_resources.h"

#include "absl/strings/str_cat.h"
#include "aws/amplify/v1/amplify.pb.h"
#include "aws/appconfig/v1/appconfig.pb.h"
#include "aws/apprunner/v1/apprunner.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::translators {
namespace {

using ::testing::ElementsAre;

class AccessResourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = MethodTable::FromGeneratedPool();
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = *std::move(table);
  }

  AccessResources For(absl::string_view path) {
    const MethodEntry* method = table_->FindByPath(path);
    EXPECT_NE(method, nullptr) << path;
    absl::StatusOr<AccessResources> access = AccessResources::Compile(*method);
    EXPECT_TRUE(access.ok()) << access.status();
    return *std::move(access);
  }

  std::unique_ptr<MethodTable> table_;
};

TEST_F(AccessResourcesTest, EveryMethodCompiles) {
  int with_templates = 0;
  for (const ServiceEntry& service : table_->services()) {
    for (const MethodEntry& method : service.methods) {
      absl::StatusOr<AccessResources> access = AccessResources::Compile(method);
      ASSERT_TRUE(access.ok()) << access.status();
      if (method.operation->resources_size() > 0) ++with_templates;
    }
  }
  // Most operations name a resource; List* and Create* of top-level kinds do not.
  EXPECT_GT(with_templates, 180);
}

TEST_F(AccessResourcesTest, EcsServicesInTheirCluster) {
  AccessResources access = For("/aws.ecs.v1.EcsService/DescribeServices");
  EXPECT_EQ(access.action(), "ecs:DescribeServices");
  aws::ecs::v1::DescribeServicesRequest request;
  request.set_cluster("prod");
  request.add_services("web");
  request.add_services("arn:aws:ecs:us-east-1:123456789012:service/prod/api");
  auto arns = access.Resolve(request, "us-east-1", "123456789012");
  ASSERT_TRUE(arns.ok()) << arns.status();
  // The services, not also their cluster: its template is covered.
  EXPECT_THAT(*arns, ElementsAre("arn:aws:ecs:us-east-1:123456789012:service/prod/web",
                                 "arn:aws:ecs:us-east-1:123456789012:service/prod/api"));
}

TEST_F(AccessResourcesTest, NoClusterIsTheDefaultClusterAndAClusterArnItsName) {
  AccessResources access = For("/aws.ecs.v1.EcsService/DescribeServices");
  aws::ecs::v1::DescribeServicesRequest request;
  request.add_services("web");
  EXPECT_THAT(*access.Resolve(request, "eu-west-1", "1"),
              ElementsAre("arn:aws:ecs:eu-west-1:1:service/default/web"));
  request.set_cluster("arn:aws:ecs:eu-west-1:1:cluster/blue");
  EXPECT_THAT(*access.Resolve(request, "eu-west-1", "1"),
              ElementsAre("arn:aws:ecs:eu-west-1:1:service/blue/web"));
}

TEST_F(AccessResourcesTest, EveryResourceTheCallTouchesCounts) {
  AccessResources access = For("/aws.ecs.v1.EcsService/RunTask");
  aws::ecs::v1::RunTaskRequest request;
  request.set_cluster("prod");
  request.set_task_definition("web:3");
  EXPECT_THAT(*access.Resolve(request, "us-east-1", "1"),
              ElementsAre("arn:aws:ecs:us-east-1:1:task-definition/web:3",
                          "arn:aws:ecs:us-east-1:1:cluster/prod"));
  // Without a cluster, ECS runs it in "default", and that is what is checked.
  request.clear_cluster();
  EXPECT_THAT(*access.Resolve(request, "us-east-1", "1"),
              ElementsAre("arn:aws:ecs:us-east-1:1:task-definition/web:3",
                          "arn:aws:ecs:us-east-1:1:cluster/default"));
}

TEST_F(AccessResourcesTest, AnEmptyListTakesItsDefault) {
  AccessResources access = For("/aws.ecs.v1.EcsService/DescribeClusters");
  aws::ecs::v1::DescribeClustersRequest request;  // ECS describes "default"
  EXPECT_THAT(*access.Resolve(request, "us-east-1", "1"),
              ElementsAre("arn:aws:ecs:us-east-1:1:cluster/default"));
}

TEST_F(AccessResourcesTest, ArnsMustNameWhatTheCallReaches) {
  AccessResources access = For("/aws.ecs.v1.EcsService/DescribeTasks");
  auto refused = [&](absl::string_view cluster, absl::string_view task) {
    aws::ecs::v1::DescribeTasksRequest request;
    if (!cluster.empty()) request.set_cluster(std::string(cluster));
    request.add_tasks(std::string(task));
    absl::StatusOr<std::vector<std::string>> arns = access.Resolve(request, "us-east-1", "42");
    return arns.status().code() == absl::StatusCode::kInvalidArgument;
  };
  EXPECT_FALSE(refused("prod", "arn:aws:ecs:us-east-1:42:task/prod/abc"));
  EXPECT_TRUE(refused("prod", "arn:aws:ecs:us-east-1:42:task/dev/abc"));    // another cluster
  EXPECT_TRUE(refused("", "arn:aws:ecs:us-east-1:42:task/prod/abc"));       // ECS: "default"
  EXPECT_TRUE(refused("prod", "arn:aws:ecs:eu-west-1:42:task/prod/abc"));   // another region
  EXPECT_TRUE(refused("prod", "arn:aws:ecs:us-east-1:43:task/prod/abc"));   // another account
  EXPECT_TRUE(refused("prod", "arn:aws:s3:us-east-1:42:task/prod/abc"));    // another service
  EXPECT_TRUE(refused("prod", "arn:aws:ecs:us-east-1:42:task/prod/../x"));  // dot segments
  EXPECT_TRUE(refused("prod", "arn:aws:ecs"));                              // not an ARN
  EXPECT_TRUE(refused("arn:aws:ecs:eu-west-1:42:cluster/prod", "abc"));     // the cluster's too
}

TEST_F(AccessResourcesTest, LongListsAreRefusedBeforeAnyPolicyWork) {
  AccessResources access = For("/aws.ecs.v1.EcsService/DescribeTasks");
  aws::ecs::v1::DescribeTasksRequest request;
  for (size_t i = 0; i <= AccessResources::kMaxResourcesPerCall; ++i) {
    request.add_tasks(absl::StrCat("t", i));
  }
  absl::StatusOr<std::vector<std::string>> arns = access.Resolve(request, "us-east-1", "1");
  EXPECT_EQ(arns.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(arns.status().message(), ::testing::HasSubstr("tasks: at most 100"));
}

TEST_F(AccessResourcesTest, ConditionsSeeValuesAsAwsTakesThem) {
  AccessResources access = For("/aws.ecs.v1.EcsService/ListServices");
  aws::ecs::v1::ListServicesRequest request;
  EXPECT_THAT(access.ConditionValues(request, "cluster"), ElementsAre("default"));
  request.set_cluster("arn:aws:ecs:us-east-1:1:cluster/prod");
  EXPECT_THAT(access.ConditionValues(request, "cluster"), ElementsAre("prod"));
}

TEST_F(AccessResourcesTest, AnEmptyListFallsBackToTheNextTemplate) {
  AccessResources access = For("/aws.ecs.v1.EcsService/DescribeServices");
  aws::ecs::v1::DescribeServicesRequest request;
  request.set_cluster("prod");
  EXPECT_THAT(*access.Resolve(request, "us-east-1", "1"),
              ElementsAre("arn:aws:ecs:us-east-1:1:cluster/prod"));
}

TEST_F(AccessResourcesTest, AnOperationWithoutATemplateActsOnEverything) {
  AccessResources access = For("/aws.ecs.v1.EcsService/ListClusters");
  aws::ecs::v1::ListClustersRequest request;
  EXPECT_THAT(*access.Resolve(request, "us-east-1", "1"), ElementsAre("*"));
}

TEST_F(AccessResourcesTest, RestJsonLabelsAndNumbers) {
  AccessResources branch = For("/aws.amplify.v1.AmplifyService/GetBranch");
  aws::amplify::v1::GetBranchRequest get_branch;
  get_branch.set_app_id("d123");
  get_branch.set_branch_name("main");
  EXPECT_THAT(*branch.Resolve(get_branch, "us-west-2", "42"),
              ElementsAre("arn:aws:amplify:us-west-2:42:apps/d123/branches/main"));

  AccessResources deployment = For("/aws.appconfig.v1.AppConfigService/GetDeployment");
  aws::appconfig::v1::GetDeploymentRequest get_deployment;
  get_deployment.set_application_id("app1");
  get_deployment.set_environment_id("env1");
  get_deployment.set_deployment_number(7);
  EXPECT_THAT(*deployment.Resolve(get_deployment, "cn-north-1", "42"),
              ElementsAre("arn:aws-cn:appconfig:cn-north-1:42:application/app1/environment/env1/"
                          "deployment/7"));
}

TEST_F(AccessResourcesTest, AnArnNamesItselfAndANameGetsAWildcardTail) {
  AccessResources access = For("/aws.apprunner.v1.AppRunnerService/PauseService");
  aws::apprunner::v1::PauseServiceRequest pause;
  pause.set_service_arn("arn:aws:apprunner:us-east-1:42:service/web/abc");
  EXPECT_THAT(*access.Resolve(pause, "us-east-1", "42"),
              ElementsAre("arn:aws:apprunner:us-east-1:42:service/web/abc"));

  AccessResources create = For("/aws.apprunner.v1.AppRunnerService/CreateService");
  aws::apprunner::v1::CreateServiceRequest request;
  request.set_service_name("web");
  EXPECT_THAT(*create.Resolve(request, "us-east-1", "42"),
              ElementsAre("arn:aws:apprunner:us-east-1:42:service/web/*"));
}

TEST_F(AccessResourcesTest, DotSegmentsAreRefusedNamingTheField) {
  AccessResources access = For("/aws.amplify.v1.AmplifyService/GetBranch");
  aws::amplify::v1::GetBranchRequest request;
  request.set_app_id("d123");
  request.set_branch_name("..");
  absl::StatusOr<std::vector<std::string>> arns = access.Resolve(request, "us-east-1", "1");
  EXPECT_EQ(arns.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(arns.status().message(), ::testing::HasSubstr("branch_name"));
  request.set_branch_name("feature/../main");
  EXPECT_FALSE(access.Resolve(request, "us-east-1", "1").ok());
  request.set_branch_name("feature/x");  // a branch name may hold a slash
  EXPECT_TRUE(access.Resolve(request, "us-east-1", "1").ok());
}

TEST_F(AccessResourcesTest, MemberValuesByAwsName) {
  aws::ecs::v1::DescribeServicesRequest request;
  request.set_cluster("prod");
  request.add_services("a");
  request.add_services("b");
  EXPECT_THAT(MemberValues(request, "cluster"), ElementsAre("prod"));
  EXPECT_THAT(MemberValues(request, "services"), ElementsAre("a", "b"));
  EXPECT_TRUE(MemberValues(request, "nope").empty());
  aws::ecs::v1::DescribeServicesRequest empty;
  EXPECT_TRUE(MemberValues(empty, "cluster").empty());
}

}  // namespace
}  // namespace awsgw::translators
