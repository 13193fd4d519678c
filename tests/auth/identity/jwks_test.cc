// JsonWebKeySet::Parse: which keys are taken, which are skipped and why.
#include "auth/identity/jwks.h"

#include <boost/json/serialize.hpp>

#include "auth/identity/base64url.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/auth/identity/jwt_test_support.h"

namespace awsgw::auth::identity {
namespace {

using testing::Ec384Key;
using testing::EcKey;
using testing::EdKey;
using ::testing::HasSubstr;
using testing::JwksJson;
using testing::RsaKey;

TEST(JwksTest, ParsesEveryKeyType) {
  absl::StatusOr<JsonWebKeySet> set =
      JsonWebKeySet::Parse(JwksJson({RsaKey().Jwk("rsa", "RS256", "sig"), EcKey().Jwk("ec"),
                                     Ec384Key().Jwk("ec384"), EdKey().Jwk("ed", "EdDSA")}));
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->keys().size(), 4u);
  EXPECT_TRUE(set->skipped().empty());
  EXPECT_EQ(set->keys()[0].kind(), JwkKind::kRsa);
  EXPECT_EQ(set->keys()[0].alg(), JwsAlgorithm::kRs256);
  EXPECT_EQ(set->keys()[1].kind(), JwkKind::kEcP256);
  EXPECT_EQ(set->keys()[2].kind(), JwkKind::kEcP384);
  EXPECT_EQ(set->keys()[3].kind(), JwkKind::kEd25519);
  EXPECT_TRUE(set->HasKid("ec"));
  EXPECT_FALSE(set->HasKid("nope"));
}

TEST(JwksTest, KeyTypeBindsAlgorithms) {
  absl::StatusOr<JsonWebKeySet> set =
      JsonWebKeySet::Parse(JwksJson({RsaKey().Jwk("rsa"), EcKey().Jwk("ec"), EdKey().Jwk("ed"),
                                     RsaKey().Jwk("rsa-pss-only", "PS256")}));
  ASSERT_TRUE(set.ok()) << set.status();
  const JsonWebKey& rsa = set->keys()[0];
  EXPECT_TRUE(rsa.CanVerify(JwsAlgorithm::kRs256));
  EXPECT_TRUE(rsa.CanVerify(JwsAlgorithm::kPs256));
  EXPECT_FALSE(rsa.CanVerify(JwsAlgorithm::kEs256));
  EXPECT_FALSE(rsa.CanVerify(JwsAlgorithm::kEdDsa));
  const JsonWebKey& ec = set->keys()[1];
  EXPECT_TRUE(ec.CanVerify(JwsAlgorithm::kEs256));
  EXPECT_FALSE(ec.CanVerify(JwsAlgorithm::kEs384));
  EXPECT_FALSE(ec.CanVerify(JwsAlgorithm::kRs256));
  const JsonWebKey& ed = set->keys()[2];
  EXPECT_TRUE(ed.CanVerify(JwsAlgorithm::kEdDsa));
  EXPECT_FALSE(ed.CanVerify(JwsAlgorithm::kEs256));
  const JsonWebKey& pss = set->keys()[3];
  EXPECT_TRUE(pss.CanVerify(JwsAlgorithm::kPs256));
  EXPECT_FALSE(pss.CanVerify(JwsAlgorithm::kRs256));
}

TEST(JwksTest, AlgorithmAllowList) {
  for (const char* name : {"RS256", "PS256", "ES256", "ES384", "EdDSA"}) {
    ASSERT_TRUE(JwsAlgorithmFromName(name).has_value()) << name;
    EXPECT_EQ(JwsAlgorithmName(*JwsAlgorithmFromName(name)), name);
  }
  for (const char* name : {"none", "None", "HS256", "HS384", "HS512", "RS384", "rs256", ""}) {
    EXPECT_FALSE(JwsAlgorithmFromName(name).has_value()) << name;
  }
}

TEST(JwksTest, SkipsBadKeysAndKeepsGoodOnes) {
  boost::json::object enc = RsaKey().Jwk("enc", std::nullopt, "enc");
  boost::json::object no_verify = EcKey().Jwk("ops");
  no_verify["key_ops"] = boost::json::array{"encrypt"};
  boost::json::object bad_n = RsaKey().Jwk("bad-n");
  bad_n["n"] = "not base64url!";
  boost::json::object off_curve = EcKey().Jwk("off-curve");
  off_curve["y"] = Base64UrlEncode(std::string(32, '\x01'));
  boost::json::object short_x = EcKey().Jwk("short-x");
  short_x["x"] = Base64UrlEncode(std::string(31, '\x01'));
  boost::json::object mismatched = RsaKey().Jwk("mismatch", "ES256");
  boost::json::object hmac_alg = RsaKey().Jwk("hs", "HS256");
  boost::json::object oct{{"kty", "oct"}, {"k", "c2VjcmV0"}, {"kid", "oct"}};
  boost::json::object ed448{{"kty", "OKP"}, {"crv", "Ed448"}, {"x", "AAAA"}};
  boost::json::object kid_number = EcKey().Jwk("x");
  kid_number["kid"] = 5;

  absl::StatusOr<JsonWebKeySet> set =
      JsonWebKeySet::Parse(JwksJson({enc, no_verify, bad_n, off_curve, short_x, mismatched,
                                     hmac_alg, oct, ed448, kid_number, EdKey().Jwk("good")}));
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->keys().size(), 1u);
  EXPECT_EQ(set->keys()[0].kid(), "good");
  EXPECT_EQ(set->skipped().size(), 10u);
  EXPECT_THAT(set->skipped()[0], HasSubstr("\"use\""));
  EXPECT_THAT(set->skipped()[3], HasSubstr("curve"));
}

TEST(JwksTest, RefusesSmallRsaKeys) {
  const testing::TestKey small = testing::TestKey::Rsa(1024);
  absl::StatusOr<JsonWebKeySet> set =
      JsonWebKeySet::Parse(JwksJson({small.Jwk("small"), EcKey().Jwk("ec")}));
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->keys().size(), 1u);
  ASSERT_EQ(set->skipped().size(), 1u);
  EXPECT_THAT(set->skipped()[0], HasSubstr("1024 bits"));
  EXPECT_THAT(set->skipped()[0], HasSubstr("\"small\""));

  absl::StatusOr<JsonWebKeySet> only_small = JsonWebKeySet::Parse(JwksJson({small.Jwk("small")}));
  EXPECT_EQ(only_small.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(only_small.status().message(), HasSubstr("no usable key"));
}

TEST(JwksTest, RefusesDocumentsThatAreNotJwks) {
  for (const char* document :
       {"", "not json", "[]", "{}", R"({"keys":{}})", R"({"keys":[]})", R"({"keys":[1,2]})"}) {
    EXPECT_EQ(JsonWebKeySet::Parse(document).status().code(), absl::StatusCode::kInvalidArgument)
        << document;
  }
  EXPECT_FALSE(JsonWebKeySet::Parse(std::string(kMaxJwksBytes + 1, ' ')).ok());
}

TEST(JwksTest, BoundsTheNumberOfKeys) {
  std::vector<boost::json::object> keys(kMaxJwksKeys + 3, EdKey().Jwk("ed"));
  absl::StatusOr<JsonWebKeySet> set = JsonWebKeySet::Parse(JwksJson(keys));
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->keys().size(), kMaxJwksKeys);
  EXPECT_THAT(set->skipped().back(), HasSubstr("ignored"));
}

TEST(JwksTest, SurvivesArbitraryBytes) {
  const std::string document = JwksJson({EcKey().Jwk("ec"), EdKey().Jwk("ed")});
  for (size_t i = 0; i < document.size(); ++i) {
    (void)JsonWebKeySet::Parse(document.substr(0, i));
    std::string mutated = document;
    mutated[i] = static_cast<char>(mutated[i] ^ 0x41);
    (void)JsonWebKeySet::Parse(mutated);
  }
}

}  // namespace
}  // namespace awsgw::auth::identity
