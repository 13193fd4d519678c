// The `callers` section and the policy file: every key read, every mistake
// named with its file, line and key, and no hash or key ever quoted back.
#include "gateway/config/callers_loader.h"

#include <cstdlib>
#include <fstream>

#include "gateway/config/config_loader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kHash[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

const std::string& TestDir() {
  static const std::string* const dir = [] {
    char name[] = "/tmp/awsgw-callers-test-XXXXXX";
    if (mkdtemp(name) == nullptr) std::abort();
    return new std::string(std::string(name) + "/");
  }();
  return *dir;
}

void WriteFile(const std::string& name, absl::string_view text) {
  std::ofstream(TestDir() + name) << text;
}

absl::StatusOr<GatewayConfig> Load(absl::string_view yaml) {
  return ParseGatewayConfig(yaml, "gateway.yaml", TestDir(), LoadOptions{});
}

std::string ErrorOf(absl::string_view yaml) {
  absl::StatusOr<GatewayConfig> config = Load(yaml);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << yaml;
  return std::string(config.status().message());
}

TEST(CallersLoaderTest, ReadsEveryKey) {
  WriteFile("jwks.json", R"({"keys": []})");
  WriteFile("policy.yaml",
            "statements:\n  - effect: deny\n    principals: '*'\n    actions: ['ecs:Delete*']\n"
            "    resources: ['*']\n");
  absl::StatusOr<GatewayConfig> config = Load(absl::StrCat(R"(
callers:
  allow_unauthenticated: true
  account_id: "123456789012"
  authentication:
    mtls:
      principal_from: spiffe
    jwt:
      max_token_bytes: 4096
      issuers:
        - issuer: https://kubernetes.default.svc
          audiences: [gateway]
          jwks_file: jwks.json
          principal_claim: sub
          groups_claim: groups
          leeway: 45s
          refresh_interval: 10m
          min_refresh_interval: 30s
        - issuer: https://idp.example.com
          audiences: gateway
          jwks_url: https://idp.example.com/keys
    api_keys:
      - sha256: )",
                                                           kHash, R"(
        principal: ci
        groups: [builders, ci]
  policy:
    - id: read
      effect: allow
      principals: [group:builders, alice]
      actions: ["ecs:Describe*"]
      resources: ["arn:aws:ecs:*:123456789012:service/prod/*"]
      conditions:
        region: [us-east-1, eu-*]
        request.cluster: prod
  policy_file: policy.yaml
  limits:
    max_watch_streams_per_principal: 5
    rules:
      - id: describe
        principals: ["*"]
        actions: ["ecs:Describe*"]
        rate: 2.5
        burst: 5
        max_in_flight: 3
        per: group
  audit:
    file: audit.jsonl
)"));
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->callers.has_value());
  const CallersConfig& callers = *config->callers;
  EXPECT_TRUE(callers.allow_unauthenticated);
  EXPECT_EQ(callers.account_id, "123456789012");
  ASSERT_TRUE(callers.authentication.mtls.has_value());
  EXPECT_EQ(callers.authentication.mtls->principal_from, MtlsAuthConfig::PrincipalFrom::kSpiffe);
  ASSERT_EQ(callers.authentication.jwt->issuers.size(), 2u);
  const JwtIssuerConfig& k8s = callers.authentication.jwt->issuers[0];
  EXPECT_EQ(k8s.jwks_file, TestDir() + "jwks.json");
  EXPECT_EQ(k8s.leeway, absl::Seconds(45));
  EXPECT_EQ(k8s.min_refresh_interval, absl::Seconds(30));
  EXPECT_EQ(k8s.origin, "gateway.yaml:11");
  EXPECT_THAT(callers.authentication.jwt->issuers[1].audiences, ElementsAre("gateway"));
  ASSERT_EQ(callers.authentication.api_keys.size(), 1u);
  EXPECT_THAT(callers.authentication.api_keys[0].groups, ElementsAre("builders", "ci"));
  ASSERT_EQ(callers.statements.size(), 1u);
  const auth::policy::Statement& read = callers.statements[0];
  EXPECT_EQ(read.origin, "gateway.yaml:27");
  EXPECT_THAT(read.principals, ElementsAre("group:builders", "alice"));
  ASSERT_EQ(read.conditions.size(), 2u);
  EXPECT_EQ(read.conditions[1].key, "request.cluster");
  EXPECT_EQ(callers.policy_file, TestDir() + "policy.yaml");
  ASSERT_EQ(callers.limits.rules.size(), 1u);
  EXPECT_DOUBLE_EQ(callers.limits.rules[0].rate_per_second, 2.5);
  EXPECT_TRUE(callers.limits.rules[0].shared_by_group);
  EXPECT_EQ(callers.limits.max_watch_streams_per_principal, 5);
  EXPECT_EQ(callers.audit.file, TestDir() + "audit.jsonl");
}

TEST(CallersLoaderTest, NoSectionMeansAnOpenGateway) {
  absl::StatusOr<GatewayConfig> config = Load("listen: 127.0.0.1:1\n");
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->callers.has_value());
}

TEST(CallersLoaderTest, MistakesNameTheLineAndKey) {
  EXPECT_THAT(ErrorOf("callers:\n  policy:\n    - effect: allow\n      principals: ['*']\n"
                      "      actions: [ecs]\n      resources: ['*']\n"),
              HasSubstr("gateway.yaml:5: callers.policy[0].actions[0]"));
  EXPECT_THAT(ErrorOf("callers:\n  policy:\n    - effect: maybe\n"),
              HasSubstr("callers.policy[0].effect: expected one of allow, deny"));
  EXPECT_THAT(ErrorOf("callers:\n  policy:\n    - effect: allow\n      actions: ['*']\n"
                      "      resources: ['*']\n"),
              HasSubstr("principals needs at least one entry"));
  EXPECT_THAT(ErrorOf("callers:\n  policy:\n    - effect: allow\n      principals: '*'\n"
                      "      actions: '*'\n      resources: '*'\n      conditions:\n"
                      "        cluster: prod\n"),
              HasSubstr("callers.policy[0].conditions.cluster: a condition key is"));
  EXPECT_THAT(ErrorOf("callers:\n  authentication:\n    jwt:\n      issuers:\n"
                      "        - issuer: x\n          audiences: [a]\n"),
              HasSubstr("set exactly one of jwks_file and jwks_url"));
  EXPECT_THAT(ErrorOf("callers:\n  authentication:\n    jwt:\n      issuers:\n"
                      "        - issuer: x\n          audiences: [a]\n"
                      "          jwks_url: http://idp/keys\n"),
              HasSubstr("expected an https:// URL"));
  EXPECT_THAT(ErrorOf("callers:\n  authentication:\n    jwt:\n      issuers:\n"
                      "        - issuer: x\n          jwks_url: https://idp/keys\n"),
              HasSubstr("audiences needs at least one entry"));
  EXPECT_THAT(ErrorOf("callers:\n  account_id: '12'\n"),
              HasSubstr("expected a 12-digit AWS account id"));
  EXPECT_THAT(ErrorOf("callers:\n  limits:\n    rules:\n      - principals: '*'\n"
                      "        actions: '*'\n"),
              HasSubstr("a rule needs rate, max_in_flight or both"));
  EXPECT_THAT(ErrorOf("callers:\n  policy_file: missing.yaml\n"),
              HasSubstr("callers.policy_file: cannot read"));
}

TEST(CallersLoaderTest, TwoStatementsWithOneIdAreAnError) {
  EXPECT_THAT(
      ErrorOf("callers:\n  policy:\n"
              "    - {id: a, effect: allow, principals: '*', actions: '*', resources: '*'}\n"
              "    - {id: a, effect: deny, principals: '*', actions: '*', resources: '*'}\n"),
      HasSubstr("statement id also used at gateway.yaml:3"));
}

TEST(CallersLoaderTest, ApiKeyHashesAreNeverQuoted) {
  const std::string error = ErrorOf(
      "callers:\n  authentication:\n    api_keys:\n      - sha256: sekrit-looking\n"
      "        principal: x\n");
  EXPECT_THAT(error, HasSubstr("gateway.yaml:4: callers.authentication.api_keys[0].sha256"));
  EXPECT_THAT(error, Not(HasSubstr("sekrit")));
  EXPECT_THAT(ErrorOf("callers:\n  authentication:\n    api_keys:\n      - principal: x\n"),
              HasSubstr("sha256 is required"));
}

TEST(CallersLoaderTest, PolicyFileErrorsNameThePolicyFile) {
  WriteFile("broken.yaml",
            "statements:\n  - id: ok\n    effect: allow\n    principals: ['*']\n"
            "    actions: ['ecs:*']\n    resources: ['*']\n  - effect: allow\n");
  absl::StatusOr<std::vector<auth::policy::Statement>> statements =
      LoadPolicyFile(TestDir() + "broken.yaml");
  ASSERT_FALSE(statements.ok());
  EXPECT_THAT(statements.status().message(), HasSubstr("broken.yaml:7: statements[1]"));
  WriteFile("other-key.yaml", "rules: []\n");
  EXPECT_THAT(LoadPolicyFile(TestDir() + "other-key.yaml").status().message(),
              HasSubstr("unknown key"));
}

}  // namespace
}  // namespace awsgw::gateway::config
