// The generic resource store: classification from operation names, and
// create/read/list/update/delete/tag behaviour on the generated messages.
#include "emulator/resource_handler.h"

#include "aws/amplify/v1/amplify.pb.h"
#include "aws/appconfig/v1/appconfig.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "emulator/error_replies.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::emulator {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

absl::Time Now() {
  return absl::FromCivil(absl::CivilSecond(2026, 1, 2, 3, 4, 5), absl::UTCTimeZone());
}

class ResourceHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = ServiceRegistry::FromGeneratedPool();
    ASSERT_TRUE(registry.ok());
    registry_ = std::make_unique<ServiceRegistry>(*std::move(registry));
    uint64_t counter = 0;
    handler_ = std::make_unique<ResourceHandler>(
        *registry_,
        ResourceMinter("us-west-2", "111122223333",
                       [counter]() mutable { return counter += 0x9e3779b97f4a7c15ULL; }),
        [] { return Now(); });
  }

  const EmulatedService& Service(absl::string_view model) {
    for (const EmulatedService& s : registry_->services()) {
      if (s.info->model_name() == model) return s;
    }
    ADD_FAILURE() << "no service " << model;
    return registry_->services().front();
  }

  const google::protobuf::MethodDescriptor* Method(absl::string_view model,
                                                   absl::string_view name) {
    return Service(model).descriptor->FindMethodByName(std::string(name));
  }

  template <typename Request, typename Response>
  absl::Status Call(absl::string_view model, absl::string_view op, const Request& request,
                    Response* response) {
    return handler_->Handle(Service(model), Method(model, op), request, response);
  }

  std::unique_ptr<ServiceRegistry> registry_;
  std::unique_ptr<ResourceHandler> handler_;
};

TEST_F(ResourceHandlerTest, ClassifiesByVerbAndCreatableKind) {
  auto klass = [&](absl::string_view model, absl::string_view op) {
    const OperationClass& c = handler_->ClassOf(Method(model, op));
    return absl::StrCat(VerbName(c.verb), ":", c.kind);
  };
  EXPECT_EQ(klass("ecs", "CreateCluster"), "create:Cluster");
  EXPECT_EQ(klass("ecs", "DescribeClusters"), "read:Cluster");
  EXPECT_EQ(klass("ecs", "RegisterTaskDefinition"), "create:TaskDefinition");
  EXPECT_EQ(klass("ecs", "DeregisterTaskDefinition"), "delete:TaskDefinition");
  EXPECT_EQ(klass("ecs", "ListTaskDefinitionFamilies"), "other:");  // nothing creates families
  EXPECT_EQ(klass("amplify", "ListBranches"), "list:Branch");
  EXPECT_EQ(klass("appconfig", "ListTagsForResource"), "list-tags:");
  EXPECT_EQ(klass("apprunner", "PauseService"), "action:Service");  // lifecycles.cc
}

TEST_F(ResourceHandlerTest, NamingForms) {
  EXPECT_EQ(SnakeCase("TaskDefinition"), "task_definition");
  EXPECT_EQ(KebabCase("TaskDefinition"), "task-definition");
  EXPECT_EQ(FlatCase("AutoScalingConfiguration"), "autoscalingconfiguration");
  EXPECT_THAT(SingularForms("Policies"), ElementsAre("Policy", "Polici", "Policie", "Policies"));
}

TEST_F(ResourceHandlerTest, EcsClusterLifecycle) {
  aws::ecs::v1::CreateClusterRequest create;
  create.set_cluster_name("alpha");
  create.add_tags()->set_key("k");
  aws::ecs::v1::CreateClusterResponse created;
  ASSERT_TRUE(Call("ecs", "CreateCluster", create, &created).ok());
  EXPECT_EQ(created.cluster().cluster_arn(), "arn:aws:ecs:us-west-2:111122223333:cluster/alpha");
  EXPECT_EQ(created.cluster().status(), "ACTIVE");
  ASSERT_EQ(created.cluster().tags_size(), 1);

  aws::ecs::v1::DescribeClustersRequest describe;
  describe.add_clusters("alpha");
  describe.add_clusters("missing");
  aws::ecs::v1::DescribeClustersResponse described;
  ASSERT_TRUE(Call("ecs", "DescribeClusters", describe, &described).ok());
  ASSERT_EQ(described.clusters_size(), 1);
  EXPECT_EQ(described.clusters(0).cluster_name(), "alpha");
  ASSERT_EQ(described.failures_size(), 1);
  EXPECT_EQ(described.failures(0).arn(), "missing");

  aws::ecs::v1::DeleteClusterRequest remove;
  remove.set_cluster(created.cluster().cluster_arn());
  aws::ecs::v1::DeleteClusterResponse removed;
  ASSERT_TRUE(Call("ecs", "DeleteCluster", remove, &removed).ok());
  EXPECT_EQ(removed.cluster().status(), "INACTIVE");
  absl::Status again = Call("ecs", "DeleteCluster", remove, &removed);
  EXPECT_EQ(again.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MissingKind(again), "Cluster");
}

TEST_F(ResourceHandlerTest, ListPagesInCreationOrder) {
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    aws::ecs::v1::CreateClusterRequest create;
    create.set_cluster_name(name);
    aws::ecs::v1::CreateClusterResponse created;
    ASSERT_TRUE(Call("ecs", "CreateCluster", create, &created).ok());
  }
  std::vector<std::string> seen;
  aws::ecs::v1::ListClustersRequest list;
  list.set_max_results(2);
  for (int pages = 1;; ++pages) {
    aws::ecs::v1::ListClustersResponse page;
    ASSERT_TRUE(Call("ecs", "ListClusters", list, &page).ok());
    EXPECT_LE(page.cluster_arns_size(), 2);
    for (const std::string& arn : page.cluster_arns())
      seen.push_back(arn.substr(arn.rfind('/') + 1));
    if (!page.has_next_token()) {
      EXPECT_EQ(pages, 3);
      break;
    }
    list.set_next_token(page.next_token());
  }
  EXPECT_THAT(seen, ElementsAre("a", "b", "c", "d", "e"));
  list.set_next_token("garbage");
  aws::ecs::v1::ListClustersResponse bad;
  EXPECT_EQ(Call("ecs", "ListClusters", list, &bad).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ResourceHandlerTest, ChildrenAreScopedByParent) {
  aws::amplify::v1::CreateAppRequest app_request;
  app_request.set_name("web");
  aws::amplify::v1::CreateAppResponse app;
  ASSERT_TRUE(Call("amplify", "CreateApp", app_request, &app).ok());
  const std::string app_id = app.app().app_id();
  EXPECT_EQ(app.app().default_domain(), app_id + ".amplifyapp.com");

  aws::amplify::v1::CreateBranchRequest branch_request;
  branch_request.set_app_id(app_id);
  branch_request.set_branch_name("main");
  aws::amplify::v1::CreateBranchResponse branch;
  ASSERT_TRUE(Call("amplify", "CreateBranch", branch_request, &branch).ok());
  EXPECT_EQ(branch.branch().branch_arn(),
            "arn:aws:amplify:us-west-2:111122223333:apps/" + app_id + "/branches/main");

  branch_request.set_app_id("dnotanapp00000");
  aws::amplify::v1::CreateBranchResponse orphan;
  absl::Status status = Call("amplify", "CreateBranch", branch_request, &orphan);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MissingKind(status), "App");

  aws::amplify::v1::ListBranchesRequest list;
  list.set_app_id("dnotanapp00000");
  aws::amplify::v1::ListBranchesResponse none;
  status = Call("amplify", "ListBranches", list, &none);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << "the parent must exist";
  EXPECT_EQ(MissingKind(status), "App");
  list.set_app_id(app_id);
  aws::amplify::v1::ListBranchesResponse one;
  ASSERT_TRUE(Call("amplify", "ListBranches", list, &one).ok());
  EXPECT_EQ(one.branches_size(), 1);
}

TEST_F(ResourceHandlerTest, UpdateMergesAndTagsFollowTheArn) {
  aws::appconfig::v1::CreateApplicationRequest create;
  create.set_name("cfg");
  (*create.mutable_tags())["a"] = "1";
  aws::appconfig::v1::CreateApplicationResponse created;
  ASSERT_TRUE(Call("appconfig", "CreateApplication", create, &created).ok());
  EXPECT_EQ(created.id().size(), 7u);

  aws::appconfig::v1::UpdateApplicationRequest update;
  update.set_application_id(created.id());
  update.set_description("new");
  aws::appconfig::v1::UpdateApplicationResponse updated;
  ASSERT_TRUE(Call("appconfig", "UpdateApplication", update, &updated).ok());
  EXPECT_EQ(updated.id(), created.id());
  EXPECT_EQ(updated.name(), "cfg");
  EXPECT_EQ(updated.description(), "new");

  const std::string arn = "arn:aws:appconfig:us-west-2:111122223333:application/" + created.id();
  aws::appconfig::v1::TagResourceRequest tag;
  tag.set_resource_arn(arn);
  (*tag.mutable_tags())["b"] = "2";
  aws::appconfig::v1::TagResourceResponse tagged;
  ASSERT_TRUE(Call("appconfig", "TagResource", tag, &tagged).ok());
  aws::appconfig::v1::ListTagsForResourceRequest list_tags;
  list_tags.set_resource_arn(arn);
  aws::appconfig::v1::ListTagsForResourceResponse tags;
  ASSERT_TRUE(Call("appconfig", "ListTagsForResource", list_tags, &tags).ok());
  std::vector<std::string> keys;
  for (const auto& [k, v] : tags.tags()) keys.push_back(k + "=" + v);
  EXPECT_THAT(keys, UnorderedElementsAre("a=1", "b=2"));

  list_tags.set_resource_arn(arn + "x");
  EXPECT_EQ(Call("appconfig", "ListTagsForResource", list_tags, &tags).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace awsgw::emulator
