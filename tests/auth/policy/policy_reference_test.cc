// Property test: a random 100-statement policy decides exactly as a naive
// evaluator that walks every statement for every resource (no index, no
// early exits), over many random requests. Fixed seed, bounded count.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "auth/policy/glob.h"
#include "auth/policy/policy.h"
#include "gtest/gtest.h"

namespace awsgw::auth::policy {
namespace {

// The semantics, written as plainly as possible.
bool PrincipalMatches(const Statement& s, absl::string_view principal,
                      const std::vector<std::string>& groups) {
  if (principal.empty()) return false;
  for (const std::string& p : s.principals) {
    if (p == "*") return true;
    if (absl::StartsWith(p, "group:")) {
      for (const std::string& g : groups) {
        if (GlobMatch(p.substr(6), g)) return true;
      }
    } else if (GlobMatch(p, principal)) {
      return true;
    }
  }
  return false;
}

bool ActionMatches(const Statement& s, absl::string_view action) {
  for (const std::string& a : s.actions) {
    if (GlobMatch(absl::AsciiStrToLower(a), absl::AsciiStrToLower(action))) return true;
  }
  return false;
}

bool AnyMatch(const std::vector<std::string>& patterns, absl::string_view text) {
  for (const std::string& p : patterns) {
    if (GlobMatch(p, text)) return true;
  }
  return false;
}

bool ConditionsHold(const Statement& s, absl::string_view region, const RequestFields& fields) {
  for (const Condition& c : s.conditions) {
    std::vector<std::string> values;
    if (c.key == "region") {
      if (!region.empty()) values.emplace_back(region);
    } else if (const auto* v = fields.Find(c.key.substr(8)); v != nullptr) {
      values = *v;
    }
    if (values.empty()) return false;
    for (const std::string& v : values) {
      if (!AnyMatch(c.values, v)) return false;
    }
  }
  return true;
}

bool Applies(const Statement& s, absl::string_view principal,
             const std::vector<std::string>& groups, absl::string_view action,
             absl::string_view resource, absl::string_view region, const RequestFields& fields) {
  return PrincipalMatches(s, principal, groups) && ActionMatches(s, action) &&
         AnyMatch(s.resources, resource) && ConditionsHold(s, region, fields);
}

Decision Reference(const std::vector<Statement>& statements, absl::string_view principal,
                   const std::vector<std::string>& groups, absl::string_view action,
                   const std::vector<std::string>& resources, absl::string_view region,
                   const RequestFields& fields) {
  for (const std::string& r : resources) {
    for (const Statement& s : statements) {
      if (s.effect == Effect::kDeny && Applies(s, principal, groups, action, r, region, fields)) {
        return {false, &s, r};
      }
    }
  }
  const Statement* last = nullptr;
  for (const std::string& r : resources) {
    last = nullptr;
    for (const Statement& s : statements) {
      if (s.effect == Effect::kAllow && Applies(s, principal, groups, action, r, region, fields)) {
        last = &s;
        break;
      }
    }
    if (last == nullptr) return {false, nullptr, r};
  }
  return {true, last, resources.back()};
}

class Random {
 public:
  explicit Random(uint32_t seed) : gen_(seed) {}
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(gen_); }
  bool OneIn(size_t n) { return Below(n) == 0; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }
  template <typename T>
  std::vector<T> Some(const std::vector<T>& v, size_t max) {
    std::vector<T> out;
    const size_t n = 1 + Below(max);
    for (size_t i = 0; i < n; ++i) out.push_back(Pick(v));
    return out;
  }

 private:
  std::mt19937 gen_;
};

const std::vector<std::string> kServices = {"ecs", "appconfig", "lambda", "s3", "sts"};
const std::vector<std::string> kNames = {"DescribeServices", "DescribeClusters", "ListClusters",
                                         "GetConfiguration", "DeleteService",    "UpdateService",
                                         "Invoke",           "GetObject"};
const std::vector<std::string> kNamePatterns = {
    "Describe*",        "List*",     "Get*",  "*", "*Service*", "DescribeServices",
    "describe?lusters", "GETOBJECT", "Invoke"};
const std::vector<std::string> kPrincipals = {"alice", "bob", "carol", "svc-web", "svc-api"};
const std::vector<std::string> kPrincipalPatterns = {
    "alice", "bob", "svc-*", "*", "group:eng", "group:ops-*", "c?rol", "group:*"};
const std::vector<std::string> kGroups = {"eng", "ops-oncall", "ops-db", "finance"};
const std::vector<std::string> kResources = {
    "arn:aws:ecs:us-east-1:1:service/prod/web", "arn:aws:ecs:us-east-1:1:service/prod/db",
    "arn:aws:ecs:eu-west-1:1:service/dev/web", "arn:aws:s3:::bucket/key", "*"};
const std::vector<std::string> kResourcePatterns = {"*",
                                                    "arn:aws:ecs:*",
                                                    "*/prod/*",
                                                    "*/web",
                                                    "arn:aws:ecs:us-east-1:1:service/prod/db",
                                                    "arn:aws:s3:::bucket/*",
                                                    "arn:*:eu-*"};
const std::vector<std::string> kRegions = {"us-east-1", "us-west-2", "eu-west-1", ""};
const std::vector<std::string> kRegionPatterns = {"us-*", "eu-west-1", "*-west-*"};
const std::vector<std::string> kClusters = {"prod", "dev", "staging"};
const std::vector<std::string> kClusterPatterns = {"prod", "dev*", "*ing"};

Statement RandomStatement(Random& rnd, size_t i) {
  Statement s;
  if (!rnd.OneIn(4)) s.id = absl::StrCat("s", i);
  s.effect = rnd.OneIn(4) ? Effect::kDeny : Effect::kAllow;
  s.principals = rnd.Some(kPrincipalPatterns, 2);
  for (size_t n = 1 + rnd.Below(3); n > 0; --n) {
    if (rnd.OneIn(15)) {
      s.actions.push_back("*");
    } else {
      std::string service = rnd.Pick(kServices);
      if (rnd.OneIn(5)) service = absl::AsciiStrToUpper(service);
      s.actions.push_back(absl::StrCat(service, ":", rnd.Pick(kNamePatterns)));
    }
  }
  s.resources = rnd.Some(kResourcePatterns, 2);
  if (rnd.OneIn(4)) s.conditions.push_back({"region", rnd.Some(kRegionPatterns, 2)});
  if (rnd.OneIn(4)) s.conditions.push_back({"request.cluster", rnd.Some(kClusterPatterns, 2)});
  s.origin = absl::StrCat("random.yaml:", i + 1);
  return s;
}

TEST(PolicyReferenceTest, RandomPolicyDecidesLikeTheNaiveEvaluator) {
  Random rnd(20240611);
  for (int round = 0; round < 5; ++round) {
    std::vector<Statement> statements;
    for (size_t i = 0; i < 100; ++i) statements.push_back(RandomStatement(rnd, i));
    auto created = Policy::Create(statements);
    ASSERT_TRUE(created.ok()) << created.status();
    const Policy& policy = **created;
    const std::vector<Statement>& kept = policy.statements();
    // The same statements with every known action's candidates found up
    // front (as the gateway builds it) must decide identically.
    std::vector<std::string> known;
    for (const std::string& service : kServices) {
      for (const std::string& name : kNames) known.push_back(absl::StrCat(service, ":", name));
    }
    auto indexed_or = Policy::Create(statements, known);
    ASSERT_TRUE(indexed_or.ok()) << indexed_or.status();
    const Policy& indexed = **indexed_or;
    auto position = [](const Policy& p, const Statement* s) {
      return s == nullptr ? -1 : static_cast<int>(s - p.statements().data());
    };

    int allowed = 0;
    for (int n = 0; n < 2000; ++n) {
      const std::string principal = rnd.OneIn(50) ? "" : rnd.Pick(kPrincipals);
      std::vector<std::string> groups;
      if (!rnd.OneIn(3)) groups = rnd.Some(kGroups, 2);
      std::string action = absl::StrCat(rnd.Pick(kServices), ":", rnd.Pick(kNames));
      if (rnd.OneIn(10)) action = absl::AsciiStrToLower(action);
      if (rnd.OneIn(40)) action = "unknown:Thing";
      const std::vector<std::string> resources = rnd.Some(kResources, 3);
      const std::string region = rnd.Pick(kRegions);
      RequestFields fields;
      if (!rnd.OneIn(4)) fields.Set("cluster", rnd.Some(kClusters, 2));

      const Decision want = Reference(kept, principal, groups, action, resources, region, fields);
      const Decision got = policy.Decide({principal, groups, action, resources, region, &fields});
      ASSERT_EQ(got.allowed, want.allowed)
          << "round " << round << " request " << n << ": " << principal << " " << action;
      ASSERT_EQ(got.statement, want.statement) << "round " << round << " request " << n;
      ASSERT_EQ(got.resource, want.resource) << "round " << round << " request " << n;
      const Decision fast = indexed.Decide({principal, groups, action, resources, region, &fields});
      ASSERT_EQ(fast.allowed, got.allowed) << "indexed: round " << round << " request " << n;
      ASSERT_EQ(position(indexed, fast.statement), position(policy, got.statement))
          << "indexed: round " << round << " request " << n;
      ASSERT_EQ(fast.resource, got.resource) << "indexed: round " << round << " request " << n;
      allowed += got.allowed;
    }
    // The generator must exercise both outcomes, or the test proves little.
    EXPECT_GT(allowed, 100) << "round " << round;
    EXPECT_LT(allowed, 1900) << "round " << round;
  }
}

}  // namespace
}  // namespace awsgw::auth::policy
