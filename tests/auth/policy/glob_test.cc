// GlobMatch: the wildcard language, case folding, and no blowup on
// pathological patterns.
#include "auth/policy/glob.h"

#include <string>

#include "gtest/gtest.h"

namespace awsgw::auth::policy {
namespace {

TEST(GlobTest, LiteralsMatchExactly) {
  EXPECT_TRUE(GlobMatch("ecs:DescribeServices", "ecs:DescribeServices"));
  EXPECT_FALSE(GlobMatch("ecs:DescribeServices", "ecs:DescribeService"));
  EXPECT_FALSE(GlobMatch("ecs:DescribeService", "ecs:DescribeServices"));
  EXPECT_FALSE(GlobMatch("ecs:describeservices", "ecs:DescribeServices"));
}

TEST(GlobTest, StarMatchesAnyRunIncludingColonAndSlash) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "anything at all"));
  EXPECT_TRUE(GlobMatch("arn:aws:ecs:*:123456789012:service/prod/*",
                        "arn:aws:ecs:us-east-1:123456789012:service/prod/web"));
  EXPECT_TRUE(GlobMatch("arn:*", "arn:aws:ecs:us-east-1:1:cluster/a/b/c"));
  EXPECT_TRUE(GlobMatch("arn:aws:ecs:*:1:cluster/x", "arn:aws:ecs:a:b:c:1:cluster/x"));
  EXPECT_FALSE(GlobMatch("arn:aws:ecs:*:1:cluster/x", "arn:aws:ecs:us-east-1:2:cluster/x"));
  EXPECT_TRUE(GlobMatch("a*b*c", "abc"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
  EXPECT_TRUE(GlobMatch("**", "x"));
  EXPECT_TRUE(GlobMatch("a**", "a"));
}

TEST(GlobTest, StarBacktracksToTheLastStar) {
  EXPECT_TRUE(GlobMatch("*ab", "aab"));
  EXPECT_TRUE(GlobMatch("*abc", "ababc"));
  EXPECT_TRUE(GlobMatch("a*ba", "abba"));
  EXPECT_FALSE(GlobMatch("a*ba", "abab"));
  EXPECT_TRUE(GlobMatch("*/prod/*", "service/prod/prod/web"));
}

TEST(GlobTest, QuestionMarkMatchesExactlyOneCharacter) {
  EXPECT_TRUE(GlobMatch("us-?ast-1", "us-east-1"));
  EXPECT_FALSE(GlobMatch("us-?ast-1", "us-ast-1"));
  EXPECT_FALSE(GlobMatch("?", ""));
  EXPECT_TRUE(GlobMatch("?", ":"));
  EXPECT_FALSE(GlobMatch("??", "a"));
  EXPECT_TRUE(GlobMatch("*?", "a"));
  EXPECT_FALSE(GlobMatch("*?", ""));
}

TEST(GlobTest, EmptyPatternMatchesOnlyEmptyText) {
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_FALSE(GlobMatch("a", ""));
}

TEST(GlobTest, StarsAndQuestionMarksInTheTextAreLiterals) {
  EXPECT_TRUE(GlobMatch("*", "*a"));
  EXPECT_TRUE(GlobMatch("a*", "a*"));
  EXPECT_FALSE(GlobMatch("a", "*"));
  EXPECT_TRUE(GlobMatch("*", "*"));
  EXPECT_FALSE(GlobMatch("arn:*", "*"));  // a call that names no resource
}

TEST(GlobTest, IgnoreCaseFoldsAsciiLetters) {
  EXPECT_TRUE(GlobMatch("ecs:describe*", "ecs:DescribeServices", true));
  EXPECT_TRUE(GlobMatch("ECS:DESCRIBESERVICES", "ecs:describeservices", true));
  EXPECT_FALSE(GlobMatch("ecs:describe*", "ecs:ListServices", true));
  EXPECT_FALSE(GlobMatch("ecs:describe*", "ecs:DescribeServices", false));
}

TEST(GlobTest, PathologicalPatternsFinishAndAreCorrect) {
  const std::string as(10000, 'a');
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*b", as));
  EXPECT_TRUE(GlobMatch("*a*a*a*a*a*a", as));
  EXPECT_TRUE(GlobMatch("*a*a*a*a*a*b", as + "b"));
  EXPECT_FALSE(GlobMatch("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c", as));
  EXPECT_FALSE(GlobMatch("*?*?*?*?*?*b", as));
  EXPECT_FALSE(GlobMatch(as + "b", as + "a"));
  const std::string stars = std::string(5000, '*') + "b";
  EXPECT_FALSE(GlobMatch(stars, as));
}

TEST(GlobTest, HasWildcard) {
  EXPECT_TRUE(HasWildcard("a*"));
  EXPECT_TRUE(HasWildcard("a?"));
  EXPECT_FALSE(HasWildcard("arn:aws:ecs:us-east-1:1:cluster/x"));
}

}  // namespace
}  // namespace awsgw::auth::policy
