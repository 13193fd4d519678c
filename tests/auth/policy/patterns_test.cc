// Action and principal pattern validation (what the config loader reuses to
// point at a bad line) and principal matching.
#include "auth/policy/patterns.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::policy {
namespace {

using ::testing::HasSubstr;

TEST(ValidateActionPatternTest, AcceptsIamForms) {
  for (const char* ok :
       {"*", "ecs:DescribeServices", "ecs:Describe*", "appconfig:*", "ECS:describe*",
        "elasticloadbalancing:Describe?oadBalancers", "resource-groups:List*"}) {
    EXPECT_TRUE(ValidateActionPattern(ok).ok()) << ok;
  }
}

TEST(ValidateActionPatternTest, RejectsMalformedPatternsSayingWhy) {
  const struct {
    const char* pattern;
    const char* why;
  } cases[] = {
      {"", "is empty"},
      {"DescribeServices", "no service prefix"},
      {":Describe*", "empty service prefix"},
      {"ecs:", "empty action name"},
      {"ec*:Describe", "cannot be a wildcard"},
      {"ecs_x:Describe", "letters, digits and '-'"},
      {"ecs:Describe Services", "letters, digits, '*' and '?'"},
      {"ecs:Describe:Services", "letters, digits, '*' and '?'"},
      {"**", "no service prefix"},
  };
  for (const auto& c : cases) {
    const absl::Status status = ValidateActionPattern(c.pattern);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.pattern;
    EXPECT_THAT(status.message(), HasSubstr(c.why)) << c.pattern;
    EXPECT_THAT(status.message(), HasSubstr("ecs:DescribeServices")) << "names the form";
  }
  EXPECT_THAT(ValidateActionPattern(std::string(65, 'a') + ":X").message(),
              HasSubstr("longer than 64"));
}

TEST(ValidatePrincipalPatternTest, AcceptsNamesGlobsGroupsAndStar) {
  for (const char* ok : {"*", "alice", "svc-*", "spiffe://prod/ns/web", "group:eng", "group:ops-*",
                         "arn:aws:iam::1:role/x"}) {
    EXPECT_TRUE(ValidatePrincipalPattern(ok).ok()) << ok;
  }
}

TEST(ValidatePrincipalPatternTest, RejectsEmptyWhitespaceAndBareGroup) {
  EXPECT_THAT(ValidatePrincipalPattern("").message(), HasSubstr("is empty"));
  EXPECT_THAT(ValidatePrincipalPattern("alice ").message(), HasSubstr("whitespace"));
  EXPECT_THAT(ValidatePrincipalPattern("a\nb").message(), HasSubstr("\\n"));  // escaped
  EXPECT_THAT(ValidatePrincipalPattern("group:").message(), HasSubstr("names no group"));
}

TEST(ActionServiceTest, IsThePartBeforeTheFirstColon) {
  EXPECT_EQ(ActionService("ecs:DescribeServices"), "ecs");
  EXPECT_EQ(ActionService("*"), "");
  EXPECT_EQ(ActionService(":x"), "");
}

TEST(PrincipalMatcherTest, NamesGlobsGroupsAndStar) {
  const std::vector<std::string> groups = {"eng", "ops-oncall"};
  EXPECT_TRUE(PrincipalMatcher({"alice"}).Matches("alice", {}));
  EXPECT_FALSE(PrincipalMatcher({"alice"}).Matches("Alice", {}));
  EXPECT_TRUE(PrincipalMatcher({"svc-*"}).Matches("svc-web", {}));
  EXPECT_TRUE(PrincipalMatcher({"*"}).Matches("anyone", {}));
  EXPECT_FALSE(PrincipalMatcher({"*"}).Matches("", groups)) << "* is any authenticated caller";
  EXPECT_FALSE(PrincipalMatcher({"group:eng"}).Matches("eng", {})) << "a group is not a name";
  const PrincipalMatcher::Match by_group = PrincipalMatcher({"group:ops-*"}).Find("bob", groups);
  EXPECT_TRUE(by_group.matched);
  EXPECT_EQ(by_group.group, "ops-oncall");
}

TEST(PrincipalMatcherTest, FirstMatchingPatternDecidesTheGroup) {
  const std::vector<std::string> groups = {"eng"};
  EXPECT_EQ(PrincipalMatcher({"bob", "group:eng"}).Find("bob", groups).group, "");
  EXPECT_EQ(PrincipalMatcher({"group:eng", "bob"}).Find("bob", groups).group, "eng");
  EXPECT_FALSE(PrincipalMatcher({}).Find("bob", groups).matched);
}

}  // namespace
}  // namespace awsgw::auth::policy
