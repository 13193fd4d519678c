// Policy: validation messages, deny wins, implicit deny, every resource,
// principals, conditions, and the by-service index.
#include "auth/policy/policy.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::policy {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

Statement Allow(std::string id, std::vector<std::string> actions,
                std::vector<std::string> resources = {"*"},
                std::vector<std::string> principals = {"*"}) {
  Statement s;
  s.id = std::move(id);
  s.effect = Effect::kAllow;
  s.principals = std::move(principals);
  s.actions = std::move(actions);
  s.resources = std::move(resources);
  return s;
}

Statement Deny(std::string id, std::vector<std::string> actions,
               std::vector<std::string> resources = {"*"},
               std::vector<std::string> principals = {"*"}) {
  Statement s =
      Allow(std::move(id), std::move(actions), std::move(resources), std::move(principals));
  s.effect = Effect::kDeny;
  return s;
}

std::shared_ptr<const Policy> Make(std::vector<Statement> statements) {
  auto policy = Policy::Create(std::move(statements));
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

// A request builder that owns what the AccessRequest views.
struct Call {
  std::string principal = "alice";
  std::vector<std::string> groups;
  std::string action = "ecs:DescribeServices";
  std::vector<std::string> resources = {"*"};
  std::string region = "us-east-1";
  RequestFields fields;

  Decision On(const Policy& policy) const {
    return policy.Decide({principal, groups, action, resources, region, &fields});
  }
};

const std::string kProdWeb = "arn:aws:ecs:us-east-1:123456789012:service/prod/web";
const std::string kProdDb = "arn:aws:ecs:us-east-1:123456789012:service/prod/db";
const std::string kDevWeb = "arn:aws:ecs:us-east-1:123456789012:service/dev/web";

TEST(PolicyTest, EmptyPolicyDeniesEverything) {
  auto policy = Make({});
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->size(), 0u);
  const Decision d = Call{}.On(*policy);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.statement, nullptr);
  EXPECT_EQ(d.resource, "*");
}

TEST(PolicyTest, MatchingAllowAllowsAndNamesTheStatement) {
  auto policy = Make({Allow("read", {"ecs:Describe*"})});
  const Decision d = Call{}.On(*policy);
  EXPECT_TRUE(d.allowed);
  ASSERT_NE(d.statement, nullptr);
  EXPECT_EQ(d.statement->id, "read");
}

TEST(PolicyTest, NoMatchingAllowIsAnImplicitDeny) {
  auto policy = Make({Allow("read", {"ecs:Describe*"})});
  Call call;
  call.action = "ecs:DeleteService";
  const Decision d = call.On(*policy);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.statement, nullptr);
}

TEST(PolicyTest, ActionsMatchCaseInsensitively) {
  auto policy = Make({Allow("read", {"ECS:describe*"})});
  EXPECT_TRUE(Call{}.On(*policy).allowed);
  Call lower;
  lower.action = "ecs:describeservices";
  EXPECT_TRUE(lower.On(*policy).allowed);
  Call upper_service;
  upper_service.action = "ECS:DescribeServices";
  EXPECT_TRUE(upper_service.On(*policy).allowed);
}

TEST(PolicyTest, ResourcesMatchCaseSensitively) {
  auto policy = Make({Allow("read", {"ecs:*"}, {"arn:aws:ecs:*:service/prod/*"})});
  Call call;
  call.resources = {kProdWeb};
  EXPECT_TRUE(call.On(*policy).allowed);
  call.resources = {"arn:aws:ecs:us-east-1:123456789012:service/PROD/web"};
  EXPECT_FALSE(call.On(*policy).allowed);
}

TEST(PolicyTest, ExplicitDenyWinsOverAnyAllow) {
  auto policy = Make({Allow("all", {"*"}), Deny("no-delete", {"ecs:Delete*"}),
                      Allow("delete", {"ecs:DeleteService"})});
  Call call;
  call.action = "ecs:DeleteService";
  const Decision d = call.On(*policy);
  EXPECT_FALSE(d.allowed);
  ASSERT_NE(d.statement, nullptr);
  EXPECT_EQ(d.statement->id, "no-delete");
  EXPECT_TRUE(Call{}.On(*policy).allowed);
}

TEST(PolicyTest, EveryResourceMustBeAllowed) {
  auto policy = Make({Allow("prod", {"ecs:*"}, {"arn:aws:ecs:*:service/prod/*"})});
  Call call;
  call.resources = {kProdWeb, kProdDb};
  Decision d = call.On(*policy);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.resource, kProdDb);
  ASSERT_NE(d.statement, nullptr);
  EXPECT_EQ(d.statement->id, "prod");

  call.resources = {kProdWeb, kDevWeb, kProdDb};
  d = call.On(*policy);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.statement, nullptr);
  EXPECT_EQ(d.resource, kDevWeb);
}

TEST(PolicyTest, ADenyOnOneResourceDeniesTheCallNamingTheFirstDenied) {
  auto policy = Make({Allow("all", {"ecs:*"}), Deny("no-db", {"ecs:*"}, {"*/db"}),
                      Deny("no-dev", {"ecs:*"}, {"*/dev/*"})});
  Call call;
  call.resources = {kProdWeb, kDevWeb, kProdDb};
  const Decision d = call.On(*policy);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.resource, kDevWeb);
  ASSERT_NE(d.statement, nullptr);
  EXPECT_EQ(d.statement->id, "no-dev");
}

TEST(PolicyTest, AllowOfTheLastResourceIsReported) {
  auto policy = Make({Allow("web", {"ecs:*"}, {"*/web"}), Allow("db", {"ecs:*"}, {"*/db"})});
  Call call;
  call.resources = {kProdWeb, kProdDb};
  const Decision d = call.On(*policy);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.statement->id, "db");
  EXPECT_EQ(d.resource, kProdDb);
}

TEST(PolicyTest, ACallWithoutResourceMatchesOnlyStarResources) {
  auto policy = Make({Allow("prod", {"ecs:*"}, {"arn:*"})});
  Call call;
  call.action = "ecs:ListClusters";
  EXPECT_FALSE(call.On(*policy).allowed);
  call.resources.clear();  // treated as {"*"}
  EXPECT_FALSE(call.On(*policy).allowed);
  auto any = Make({Allow("any", {"ecs:*"}, {"*"})});
  EXPECT_TRUE(call.On(*any).allowed);
}

TEST(PolicyTest, PrincipalsByNameGlobAndGroup) {
  auto policy = Make({Allow("alice", {"ecs:*"}, {"*"}, {"alice"}),
                      Allow("services", {"appconfig:*"}, {"*"}, {"svc-*"}),
                      Allow("ops", {"lambda:*"}, {"*"}, {"group:ops-*"})});
  Call call;
  EXPECT_TRUE(call.On(*policy).allowed);
  call.principal = "bob";
  EXPECT_FALSE(call.On(*policy).allowed);

  call.action = "appconfig:GetConfiguration";
  call.principal = "svc-web";
  EXPECT_TRUE(call.On(*policy).allowed);
  call.principal = "web-svc";
  EXPECT_FALSE(call.On(*policy).allowed);

  call.action = "lambda:Invoke";
  call.principal = "carol";
  EXPECT_FALSE(call.On(*policy).allowed);
  call.groups = {"eng", "ops-oncall"};
  EXPECT_TRUE(call.On(*policy).allowed);
  call.principal = "";  // unauthenticated callers match nothing
  EXPECT_FALSE(call.On(*policy).allowed);
}

TEST(PolicyTest, RegionCondition) {
  Statement s = Allow("east", {"ecs:*"});
  s.conditions = {{"region", {"us-east-*", "eu-west-1"}}};
  auto policy = Make({s});
  Call call;
  EXPECT_TRUE(call.On(*policy).allowed);
  call.region = "eu-west-1";
  EXPECT_TRUE(call.On(*policy).allowed);
  call.region = "us-west-2";
  EXPECT_FALSE(call.On(*policy).allowed);
  call.region = "";
  EXPECT_FALSE(call.On(*policy).allowed) << "an absent region satisfies nothing";
}

TEST(PolicyTest, RequestFieldConditionsWithListsAndAbsentFields) {
  Statement s = Allow("prod-services", {"ecs:DescribeServices"});
  s.conditions = {{"request.cluster", {"prod"}}, {"request.services", {"web", "api-*"}}};
  auto policy = Make({s});
  Call call;
  call.fields.Set("cluster", "prod");
  call.fields.Set("services", std::vector<std::string>{"web", "api-v2"});
  EXPECT_TRUE(call.On(*policy).allowed);

  call.fields.Set("services", std::vector<std::string>{"web", "db"});
  EXPECT_FALSE(call.On(*policy).allowed) << "every list element must be allowed";

  call.fields.Set("services", std::vector<std::string>{});
  EXPECT_FALSE(call.On(*policy).allowed) << "an empty list holds no allowed value";

  RequestFields only_cluster;
  only_cluster.Set("cluster", "prod");
  call.fields = only_cluster;
  EXPECT_FALSE(call.On(*policy).allowed) << "absent field";

  EXPECT_FALSE(
      policy->Decide({"alice", {}, "ecs:DescribeServices", {}, "us-east-1", nullptr}).allowed);
}

TEST(PolicyTest, FieldNamesCompareCaseInsensitively) {
  Statement s = Allow("app", {"appconfig:*"});
  s.conditions = {{"request.ApplicationId", {"abc*"}}};
  auto policy = Make({s});
  Call call;
  call.action = "appconfig:GetConfiguration";
  call.fields.Set("applicationId", "abc123");
  EXPECT_TRUE(call.On(*policy).allowed);
}

TEST(PolicyTest, ADenyWithAnUnmetConditionDoesNotApply) {
  Statement deny = Deny("no-prod", {"ecs:*"});
  deny.conditions = {{"request.cluster", {"prod"}}};
  auto policy = Make({Allow("all", {"*"}), deny});
  Call call;
  call.fields.Set("cluster", "dev");
  EXPECT_TRUE(call.On(*policy).allowed);
  call.fields.Set("cluster", "prod");
  EXPECT_FALSE(call.On(*policy).allowed);
}

TEST(PolicyTest, StarActionStatementsApplyToEveryService) {
  // The deny carries a condition so that other calls reach "everything".
  Statement deny = Deny("nothing-in-eu", {"*"});
  deny.conditions = {{"region", {"eu-*"}}};
  auto policy = Make({Allow("ecs", {"ecs:Describe*"}), deny, Allow("everything", {"*"})});
  for (const char* action : {"ecs:DescribeServices", "ecs:DeleteService", "appconfig:GetThing",
                             "neverseen:Action", "noservice"}) {
    Call call;
    call.action = action;
    EXPECT_TRUE(call.On(*policy).allowed) << action;
    call.region = "eu-west-1";
    const Decision d = call.On(*policy);
    EXPECT_FALSE(d.allowed) << action;
    ASSERT_NE(d.statement, nullptr);
    EXPECT_EQ(d.statement->id, "nothing-in-eu");
  }
}

TEST(PolicyTest, IndexKeepsStatementOrderAcrossBuckets) {
  auto policy = Make({Allow("first-any", {"*"}), Allow("second-ecs", {"ecs:*"})});
  const Decision d = Call{}.On(*policy);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.statement->id, "first-any");
}

TEST(PolicyTest, AStatementNamingSeveralServicesIsIndexedUnderEach) {
  auto policy = Make({Allow("two", {"ecs:DescribeServices", "APPCONFIG:Get*", "ecs:List*"})});
  for (const char* action :
       {"ecs:DescribeServices", "ecs:ListClusters", "appconfig:GetConfiguration"}) {
    Call call;
    call.action = action;
    EXPECT_TRUE(call.On(*policy).allowed) << action;
  }
  Call other;
  other.action = "appconfig:ListApplications";
  EXPECT_FALSE(other.On(*policy).allowed);
  other.action = "ecs:GetConfiguration";  // appconfig's name under ecs
  EXPECT_FALSE(other.On(*policy).allowed);
}

TEST(PolicyValidationTest, ErrorsNameTheStatementAndTheProblem) {
  const auto error = [](Statement s) {
    auto policy = Policy::Create({Allow("fine", {"*"}), std::move(s)});
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(policy.status().message());
  };
  Statement s = Allow("bad", {"ecs"});
  s.origin = "policy.yaml:12";
  EXPECT_THAT(error(s), AllOf(HasSubstr("statement \"bad\" (policy.yaml:12)"),
                              HasSubstr("action \"ecs\""), HasSubstr("no service prefix")));

  s = Allow("", {"*"}, {"*"}, {});
  s.origin = "policy.yaml:30";
  EXPECT_THAT(error(s),
              AllOf(HasSubstr("statements[1] (policy.yaml:30)"), HasSubstr("has no principals")));
  EXPECT_THAT(error(Allow("x", {}, {"*"})), HasSubstr("has no actions"));
  EXPECT_THAT(error(Allow("x", {"*"}, {})), HasSubstr("has no resources"));
  EXPECT_THAT(error(Allow("x", {"*"}, {""})), HasSubstr("empty resource pattern"));
  EXPECT_THAT(error(Allow("x", {"*"}, {"*"}, {"group:"})), HasSubstr("names no group"));
  EXPECT_THAT(error(Allow("x", {"e*s:Describe"})), HasSubstr("cannot be a wildcard"));

  for (const char* key : {"Region", "request.", "request", "tag:x", "request.a.b"}) {
    s = Allow("cond", {"*"});
    s.conditions = {{key, {"x"}}};
    EXPECT_THAT(error(s), AllOf(HasSubstr("statement \"cond\""), HasSubstr("condition key"),
                                HasSubstr("request.<Member>")))
        << key;
  }
  s = Allow("cond", {"*"});
  s.conditions = {{"region", {}}};
  EXPECT_THAT(error(s), HasSubstr("condition \"region\" has no values"));
}

TEST(PolicyValidationTest, DuplicateIdsAreRejectedNamingBoth) {
  Statement a = Allow("same", {"*"});
  a.origin = "p.yaml:1";
  Statement b = Allow("same", {"ecs:*"});
  b.origin = "p.yaml:9";
  auto policy = Policy::Create({a, Allow("", {"*"}), Allow("", {"*"}), b});
  ASSERT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(policy.status().message(), AllOf(HasSubstr("statement \"same\" (p.yaml:9)"),
                                               HasSubstr("(p.yaml:1)"), HasSubstr("unique")));
}

TEST(PolicyTest, StatementsAreKeptInOrder) {
  auto policy = Make({Allow("a", {"*"}), Deny("b", {"ecs:*"})});
  ASSERT_EQ(policy->size(), 2u);
  EXPECT_EQ(policy->statements()[1].id, "b");
}

}  // namespace
}  // namespace awsgw::auth::policy
