// The reflection helpers the generic store is built on: copying a resource
// between its shapes, minting identities in each service's format, and
// writing empty lists back into JSON bodies.
#include "absl/strings/match.h"
#include "aws/apprunner/v1/apprunner.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "emulator/empty_collections.h"
#include "emulator/message_copy.h"
#include "emulator/resource_minting.h"
#include "gtest/gtest.h"

namespace awsgw::emulator {
namespace {

absl::Time Now() {
  return absl::FromCivil(absl::CivilSecond(2026, 1, 2, 3, 4, 5), absl::UTCTimeZone());
}

ResourceMinter Minter() {
  return ResourceMinter("eu-central-1", "111122223333",
                        [n = uint64_t{0}]() mutable { return n += 0x9e3779b97f4a7c15ULL; });
}

TEST(MessageCopyTest, CopiesSameNamedMembersBetweenShapes) {
  aws::apprunner::v1::Service service;
  service.set_service_name("web");
  service.set_service_arn("arn:x");
  service.set_status(aws::apprunner::v1::SERVICE_STATUS_RUNNING);
  service.mutable_created_at()->set_seconds(42);
  aws::apprunner::v1::ServiceSummary summary;
  CopyByName(service, &summary);
  EXPECT_EQ(summary.service_name(), "web");
  EXPECT_EQ(summary.service_arn(), "arn:x");
  EXPECT_EQ(summary.status(), aws::apprunner::v1::SERVICE_STATUS_RUNNING);
  EXPECT_EQ(summary.created_at().seconds(), 42);
  EXPECT_FALSE(summary.has_service_url());
}

TEST(MessageCopyTest, StringAndEnumFieldsByAwsValue) {
  aws::apprunner::v1::Service service;
  EXPECT_TRUE(SetStringField(&service, "status", "PAUSED"));
  EXPECT_EQ(GetStringField(service, "status").value_or(""), "PAUSED");
  EXPECT_FALSE(SetStringField(&service, "status", "NOT_A_STATUS"));
  EXPECT_FALSE(SetStringField(&service, "no_such_field", "x"));
  EXPECT_FALSE(GetStringField(service, "service_url").has_value());
}

TEST(ResourceMintingTest, ArnsFollowEachServicesFormat) {
  ResourceMinter minter = Minter();
  const Identity cluster = minter.Mint(FactsFor("ecs"), "ecs", "Cluster", "prod", "", 1);
  EXPECT_EQ(cluster.arn, "arn:aws:ecs:eu-central-1:111122223333:cluster/prod");
  const Identity service = minter.Mint(FactsFor("ecs"), "ecs", "Service", "web", "default", 1);
  EXPECT_EQ(service.arn, "arn:aws:ecs:eu-central-1:111122223333:service/default/web");
  const Identity family = minter.Mint(FactsFor("ecs"), "ecs", "TaskDefinition", "app", "", 3);
  EXPECT_EQ(family.arn, "arn:aws:ecs:eu-central-1:111122223333:task-definition/app:3");

  const Identity runner = minter.Mint(FactsFor("apprunner"), "apprunner", "Service", "web", "", 1);
  EXPECT_EQ(runner.id.size(), 32u);
  EXPECT_EQ(runner.arn, "arn:aws:apprunner:eu-central-1:111122223333:service/web/" + runner.id);

  const Identity app = minter.Mint(FactsFor("amplify"), "amplify", "App", "site", "", 1);
  EXPECT_EQ(app.id.size(), 14u);
  EXPECT_EQ(app.id[0], 'd');
  const Identity branch = minter.Mint(FactsFor("amplify"), "amplify", "Branch", "main",
                                      "arn:aws:amplify:eu-central-1:111122223333:apps/d1", 1);
  EXPECT_EQ(branch.arn, "arn:aws:amplify:eu-central-1:111122223333:apps/d1/branches/main");

  const Identity env =
      minter.Mint(FactsFor("appconfig"), "appconfig", "Environment", "", "abc1234", 1);
  EXPECT_EQ(env.id.size(), 7u);
  EXPECT_EQ(env.name, env.id) << "an unnamed resource is named by its id";
  EXPECT_EQ(
      env.arn,
      "arn:aws:appconfig:eu-central-1:111122223333:application/abc1234/environment/" + env.id);

  const Identity sar =
      minter.Mint(FactsFor("serverlessrepo"), "serverlessrepo", "Application", "tool", "", 1);
  EXPECT_EQ(sar.arn, "arn:aws:serverlessrepo:eu-central-1:111122223333:applications/tool");
  EXPECT_EQ(sar.id, sar.arn) << "the Serverless Application Repository's ids are ARNs";
}

TEST(ResourceMintingTest, ArnsUseTheRegionsPartition) {
  ResourceMinter minter("cn-north-1", "111122223333", [] { return uint64_t{7}; });
  EXPECT_EQ(minter.Mint(FactsFor("ecs"), "ecs", "Cluster", "c", "", 1).arn,
            "arn:aws-cn:ecs:cn-north-1:111122223333:cluster/c");
}

TEST(ResourceMintingTest, StampsIdentityTimestampsAndStatus) {
  ResourceMinter minter = Minter();
  const Identity identity =
      minter.Mint(FactsFor("apprunner"), "apprunner", "Service", "web", "", 1);
  aws::apprunner::v1::Service service;
  minter.StampCreated(FactsFor("apprunner"), "Service", identity, Now(), &service);
  EXPECT_EQ(service.service_arn(), identity.arn);
  EXPECT_EQ(service.service_id(), identity.id);
  EXPECT_EQ(service.service_name(), "web");
  EXPECT_EQ(service.status(), aws::apprunner::v1::SERVICE_STATUS_RUNNING);
  EXPECT_EQ(service.created_at().seconds(), absl::ToUnixSeconds(Now()));
  EXPECT_EQ(service.updated_at().seconds(), absl::ToUnixSeconds(Now()));
  EXPECT_FALSE(service.has_deleted_at());
  EXPECT_TRUE(absl::EndsWith(service.service_url(), ".eu-central-1.awsapprunner.com"));
  StampDeleted(&service);
  EXPECT_EQ(service.status(), aws::apprunner::v1::SERVICE_STATUS_DELETED);
}

TEST(EmptyCollectionsTest, WritesMissingTopLevelListsAndMaps) {
  http::HttpResponse response;
  response.body = R"({"clusters":[{"clusterName":"a"}]})";
  AddEmptyCollections(aws::ecs::v1::DescribeClustersResponse::descriptor(), &response);
  EXPECT_EQ(response.body, R"({"failures":[],"clusters":[{"clusterName":"a"}]})");
  response.body = "{}";
  AddEmptyCollections(aws::ecs::v1::DescribeClustersResponse::descriptor(), &response);
  EXPECT_EQ(response.body, R"({"clusters":[],"failures":[]})");
  response.body = "not json";
  AddEmptyCollections(aws::ecs::v1::DescribeClustersResponse::descriptor(), &response);
  EXPECT_EQ(response.body, "not json");
}

}  // namespace
}  // namespace awsgw::emulator
