// JwtVerifier: each accepted algorithm, the forgeries it must refuse, the
// time edges, issuer/audience/principal/groups rules and the refresh request
// on an unknown kid.
#include "auth/identity/jwt_verifier.h"

#include <boost/json/serialize.hpp>

#include "absl/strings/str_cat.h"
#include "auth/identity/base64url.h"
#include "auth/identity/jwks_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/auth/identity/jwt_test_support.h"

namespace awsgw::auth::identity {
namespace {

using testing::Ec384Key;
using testing::EcKey;
using testing::EdKey;
using ::testing::HasSubstr;
using testing::HmacToken;
using testing::JwksJson;
using ::testing::Not;
using testing::RsaKey;
using testing::RsaKey2;
using testing::SignToken;
using testing::TestKey;
using testing::UnsignedToken;

constexpr absl::string_view kIssuer = "https://idp.example.com";
constexpr absl::string_view kAudience = "aws-gateway";
const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

boost::json::object Header(absl::string_view alg, std::optional<absl::string_view> kid) {
  boost::json::object header{{"alg", boost::json::string_view(alg.data(), alg.size())},
                             {"typ", "JWT"}};
  if (kid.has_value()) header["kid"] = boost::json::string_view(kid->data(), kid->size());
  return header;
}

boost::json::object Claims() {
  return boost::json::object{{"iss", boost::json::string_view(kIssuer.data(), kIssuer.size())},
                             {"aud", boost::json::string_view(kAudience.data(), kAudience.size())},
                             {"sub", "alice"},
                             {"exp", absl::ToUnixSeconds(kNow) + 300},
                             {"iat", absl::ToUnixSeconds(kNow)}};
}

class JwtVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<JsonWebKeySet> set = JsonWebKeySet::Parse(JwksJson(
        {RsaKey().Jwk("rsa"), EcKey().Jwk("ec"), Ec384Key().Jwk("ec384"), EdKey().Jwk("ed")}));
    ASSERT_TRUE(set.ok()) << set.status();
    keys_ = std::make_shared<StaticKeySource>(*std::move(set));
    Build({});
  }

  void Build(IssuerSettings settings, JwtVerifierOptions options = {}) {
    if (settings.issuer.empty()) settings.issuer = std::string(kIssuer);
    if (settings.audiences.empty()) settings.audiences = {std::string(kAudience)};
    std::vector<JwtIssuer> issuers;
    issuers.push_back(JwtIssuer{settings, keys_});
    absl::StatusOr<std::unique_ptr<JwtVerifier>> verifier =
        JwtVerifier::Create(std::move(issuers), options);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  AuthOutcome Verify(const std::string& token, absl::Time now = kNow) {
    return verifier_->Verify(token, now);
  }

  void ExpectRefused(const std::string& token, absl::string_view reason, absl::Time now = kNow) {
    AuthOutcome outcome = Verify(token, now);
    ASSERT_FALSE(outcome.ok()) << "accepted";
    EXPECT_EQ(outcome.failure.reason, reason) << outcome.failure.message;
    EXPECT_FALSE(outcome.failure.message.empty());
  }

  std::shared_ptr<StaticKeySource> keys_;
  std::unique_ptr<JwtVerifier> verifier_;
};

struct AlgCase {
  const char* alg;
  const char* kid;
  const TestKey& (*key)();
};

class JwtAlgorithmTest : public JwtVerifierTest, public ::testing::WithParamInterface<AlgCase> {};

TEST_P(JwtAlgorithmTest, AcceptsWithKid) {
  const AlgCase& c = GetParam();
  AuthOutcome outcome = Verify(SignToken(Header(c.alg, c.kid), Claims(), c.key()));
  ASSERT_TRUE(outcome.ok()) << outcome.failure.message;
  EXPECT_EQ(outcome.identity->principal, "alice");
  EXPECT_EQ(outcome.identity->method, AuthMethod::kJwt);
  EXPECT_TRUE(outcome.identity->groups.empty());
}

TEST_P(JwtAlgorithmTest, AcceptsWithoutKidByTryingKeysOfTheType) {
  const AlgCase& c = GetParam();
  AuthOutcome outcome = Verify(SignToken(Header(c.alg, std::nullopt), Claims(), c.key()));
  EXPECT_TRUE(outcome.ok()) << outcome.failure.message;
}

TEST_P(JwtAlgorithmTest, RefusesForgedSignature) {
  const AlgCase& c = GetParam();
  std::string token = SignToken(Header(c.alg, c.kid), Claims(), c.key());
  // Flip one bit in the middle of the signature (still valid base64url).
  const size_t dot = token.rfind('.');
  std::string signature = *Base64UrlDecode(token.substr(dot + 1));
  signature[signature.size() / 2] ^= 0x01;
  token = absl::StrCat(token.substr(0, dot + 1), Base64UrlEncode(signature));
  ExpectRefused(token, failure_reason::kBadSignature);
}

TEST_P(JwtAlgorithmTest, RefusesTamperedPayload) {
  const AlgCase& c = GetParam();
  const std::string token = SignToken(Header(c.alg, c.kid), Claims(), c.key());
  boost::json::object evil = Claims();
  evil["sub"] = "admin";
  const std::string forged =
      absl::StrCat(token.substr(0, token.find('.') + 1),
                   Base64UrlEncode(boost::json::serialize(evil)), token.substr(token.rfind('.')));
  ExpectRefused(forged, failure_reason::kBadSignature);
}

TEST_P(JwtAlgorithmTest, RefusesSignatureOfAnotherKeyOfTheSameType) {
  const AlgCase& c = GetParam();
  const TestKey other = std::string(c.alg) == "EdDSA"   ? TestKey::Ed25519()
                        : std::string(c.alg) == "ES256" ? TestKey::EcP256()
                        : std::string(c.alg) == "ES384" ? TestKey::EcP384()
                                                        : RsaKey2();
  ExpectRefused(SignToken(Header(c.alg, c.kid), Claims(), other), failure_reason::kBadSignature);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, JwtAlgorithmTest,
                         ::testing::Values(AlgCase{"RS256", "rsa", &RsaKey},
                                           AlgCase{"PS256", "rsa", &RsaKey},
                                           AlgCase{"ES256", "ec", &EcKey},
                                           AlgCase{"ES384", "ec384", &Ec384Key},
                                           AlgCase{"EdDSA", "ed", &EdKey}),
                         [](const auto& info) { return std::string(info.param.alg); });

TEST_F(JwtVerifierTest, RefusesAlgNone) {
  ExpectRefused(UnsignedToken(Header("none", "rsa"), Claims()),
                failure_reason::kMalformedToken);  // empty signature part
  ExpectRefused(UnsignedToken(Header("none", "rsa"), Claims(), "x"),
                failure_reason::kUnsupportedAlgorithm);
  ExpectRefused(UnsignedToken(Header("None", std::nullopt), Claims(), "x"),
                failure_reason::kUnsupportedAlgorithm);
}

TEST_F(JwtVerifierTest, RefusesHmacSignedWithThePublicKey) {
  // The classic confusion: HS256 with the RSA public key (PEM, or the raw
  // JWK modulus) as the shared secret.
  for (const std::string& secret :
       {RsaKey().PublicPem(), std::string(RsaKey().Jwk("rsa").at("n").as_string())}) {
    for (const char* alg : {"HS256", "HS384", "HS512"}) {
      ExpectRefused(HmacToken(Header(alg, "rsa"), Claims(), secret),
                    failure_reason::kUnsupportedAlgorithm);
    }
  }
}

TEST_F(JwtVerifierTest, RefusesKeyOfTheWrongTypeForTheAlgorithm) {
  // An ES256 header naming the RSA key, and vice versa: never tried.
  ExpectRefused(SignToken(Header("ES256", "rsa"), Claims(), EcKey()),
                failure_reason::kUnsupportedAlgorithm);
  ExpectRefused(SignToken(Header("RS256", "ec"), Claims(), RsaKey()),
                failure_reason::kUnsupportedAlgorithm);
  ExpectRefused(SignToken(Header("EdDSA", "ec"), Claims(), EdKey()),
                failure_reason::kUnsupportedAlgorithm);
  ExpectRefused(SignToken(Header("ES384", "ec"), Claims(), Ec384Key()),
                failure_reason::kUnsupportedAlgorithm);
  EXPECT_EQ(keys_->refresh_requests(), 0);
}

TEST_F(JwtVerifierTest, EcdsaSignatureOfTheWrongLengthIsBadSignature) {
  const std::string token = SignToken(Header("ES256", "ec"), Claims(), EcKey());
  const std::string input = token.substr(0, token.rfind('.'));
  const std::string der_like = *Base64UrlDecode(token.substr(token.rfind('.') + 1)) + "x";
  ExpectRefused(absl::StrCat(input, ".", Base64UrlEncode(der_like)), failure_reason::kBadSignature);
}

TEST_F(JwtVerifierTest, KeyRestrictedToOneAlgorithmRefusesTheOther) {
  absl::StatusOr<JsonWebKeySet> set =
      JsonWebKeySet::Parse(JwksJson({RsaKey().Jwk("rsa", "PS256")}));
  ASSERT_TRUE(set.ok());
  keys_ = std::make_shared<StaticKeySource>(*std::move(set));
  Build({});
  EXPECT_TRUE(Verify(SignToken(Header("PS256", "rsa"), Claims(), RsaKey())).ok());
  ExpectRefused(SignToken(Header("RS256", "rsa"), Claims(), RsaKey()),
                failure_reason::kUnsupportedAlgorithm);
}

TEST_F(JwtVerifierTest, UnknownKidRequestsRefresh) {
  ExpectRefused(SignToken(Header("RS256", "rotated"), Claims(), RsaKey()),
                failure_reason::kUnknownKey);
  EXPECT_EQ(keys_->refresh_requests(), 1);
  AuthOutcome outcome = Verify(SignToken(Header("RS256", "rotated"), Claims(), RsaKey()));
  EXPECT_THAT(outcome.failure.message, HasSubstr("\"rotated\""));
  EXPECT_THAT(outcome.failure.message, HasSubstr(kIssuer));
  EXPECT_EQ(keys_->refresh_requests(), 2);
}

TEST_F(JwtVerifierTest, EmptyKeySetIsUnknownKeyAndRequestsRefresh) {
  keys_ = std::make_shared<StaticKeySource>(JsonWebKeySet());
  Build({});
  ExpectRefused(SignToken(Header("RS256", std::nullopt), Claims(), RsaKey()),
                failure_reason::kUnknownKey);
  EXPECT_EQ(keys_->refresh_requests(), 1);
}

TEST_F(JwtVerifierTest, ExpiryEdges) {
  // Leeway 60 s; exp = now + 300. Valid while now < exp + leeway.
  const absl::Time exp = kNow + absl::Seconds(300);
  const std::string token = SignToken(Header("ES256", "ec"), Claims(), EcKey());
  EXPECT_TRUE(Verify(token, exp).ok());
  EXPECT_TRUE(Verify(token, exp + absl::Seconds(59)).ok());
  EXPECT_TRUE(Verify(token, exp + absl::Seconds(60) - absl::Milliseconds(1)).ok());
  ExpectRefused(token, failure_reason::kExpired, exp + absl::Seconds(60));  // the boundary
  ExpectRefused(token, failure_reason::kExpired, exp + absl::Hours(1));
}

TEST_F(JwtVerifierTest, ZeroLeewayExpiresExactlyAtExp) {
  Build(IssuerSettings{.leeway = absl::ZeroDuration()});
  const std::string token = SignToken(Header("ES256", "ec"), Claims(), EcKey());
  EXPECT_TRUE(Verify(token, kNow + absl::Seconds(299)).ok());
  ExpectRefused(token, failure_reason::kExpired, kNow + absl::Seconds(300));
}

TEST_F(JwtVerifierTest, NotBeforeEdges) {
  boost::json::object claims = Claims();
  claims["nbf"] = absl::ToUnixSeconds(kNow) + 100;
  const std::string token = SignToken(Header("ES256", "ec"), claims, EcKey());
  // Valid from nbf - leeway (= now + 40 s) on, inclusive.
  ExpectRefused(token, failure_reason::kNotYetValid, kNow);
  ExpectRefused(token, failure_reason::kNotYetValid,
                kNow + absl::Seconds(40) - absl::Milliseconds(1));
  EXPECT_TRUE(Verify(token, kNow + absl::Seconds(40)).ok());
  EXPECT_TRUE(Verify(token, kNow + absl::Seconds(100)).ok());
}

TEST_F(JwtVerifierTest, NumericDatesMayBeFloats) {
  boost::json::object claims = Claims();
  claims["exp"] = static_cast<double>(absl::ToUnixSeconds(kNow)) + 0.5;
  claims["nbf"] = static_cast<double>(absl::ToUnixSeconds(kNow)) - 0.5;
  Build(IssuerSettings{.leeway = absl::ZeroDuration()});
  const std::string token = SignToken(Header("ES256", "ec"), claims, EcKey());
  EXPECT_TRUE(Verify(token, kNow).ok());
  ExpectRefused(token, failure_reason::kExpired, kNow + absl::Milliseconds(500));
}

TEST_F(JwtVerifierTest, ExpIsRequiredAndNumeric) {
  boost::json::object claims = Claims();
  claims.erase("exp");
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMissingClaim);
  claims["exp"] = "tomorrow";
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMalformedToken);
  claims["exp"] = true;
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMalformedToken);
}

TEST_F(JwtVerifierTest, WrongOrMissingIssuer) {
  boost::json::object claims = Claims();
  claims["iss"] = "https://evil.example.com";
  AuthOutcome outcome = Verify(SignToken(Header("ES256", "ec"), claims, EcKey()));
  EXPECT_EQ(outcome.failure.reason, failure_reason::kWrongIssuer);
  EXPECT_THAT(outcome.failure.message, HasSubstr("evil.example.com"));
  claims["iss"] = "https://idp.example.com/";  // exact match only
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kWrongIssuer);
  claims.erase("iss");
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMissingClaim);
}

TEST_F(JwtVerifierTest, SelectsTheIssuerByIss) {
  absl::StatusOr<JsonWebKeySet> other_set = JsonWebKeySet::Parse(JwksJson({RsaKey2().Jwk("k")}));
  ASSERT_TRUE(other_set.ok());
  auto other = std::make_shared<StaticKeySource>(*std::move(other_set));
  std::vector<JwtIssuer> issuers;
  issuers.push_back(
      {IssuerSettings{.issuer = std::string(kIssuer), .audiences = {"aws-gateway"}}, keys_});
  issuers.push_back(
      {IssuerSettings{.issuer = "https://other.example.com", .audiences = {"gw"}}, other});
  auto verifier = JwtVerifier::Create(std::move(issuers));
  ASSERT_TRUE(verifier.ok());
  boost::json::object claims = Claims();
  claims["iss"] = "https://other.example.com";
  claims["aud"] = "gw";
  EXPECT_TRUE((*verifier)->Verify(SignToken(Header("RS256", "k"), claims, RsaKey2()), kNow).ok());
  // A token of the other issuer signed with the first issuer's key fails.
  AuthOutcome crossed =
      (*verifier)->Verify(SignToken(Header("RS256", "rsa"), claims, RsaKey()), kNow);
  EXPECT_EQ(crossed.failure.reason, failure_reason::kUnknownKey);
  crossed = (*verifier)->Verify(SignToken(Header("RS256", std::nullopt), claims, RsaKey()), kNow);
  EXPECT_EQ(crossed.failure.reason, failure_reason::kBadSignature);
}

TEST_F(JwtVerifierTest, Audience) {
  boost::json::object claims = Claims();
  claims["aud"] = "someone-else";
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kWrongAudience);
  claims["aud"] = boost::json::array{"a", "aws-gateway", "b"};
  EXPECT_TRUE(Verify(SignToken(Header("ES256", "ec"), claims, EcKey())).ok());
  claims["aud"] = boost::json::array{"a", "b"};
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kWrongAudience);
  claims["aud"] = boost::json::array{};
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kWrongAudience);
  claims["aud"] = boost::json::array{"aws-gateway", 5};
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMalformedToken);
  claims.erase("aud");
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMissingClaim);
}

TEST_F(JwtVerifierTest, AnyConfiguredAudienceMatches) {
  Build(IssuerSettings{.audiences = {"first", "aws-gateway"}});
  EXPECT_TRUE(Verify(SignToken(Header("ES256", "ec"), Claims(), EcKey())).ok());
}

TEST_F(JwtVerifierTest, Principal) {
  boost::json::object claims = Claims();
  claims.erase("sub");
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMissingClaim);
  for (const boost::json::value& bad :
       {boost::json::value(""), boost::json::value(12), boost::json::value("two words"),
        boost::json::value("line\nbreak"), boost::json::value(std::string(257, 'a'))}) {
    claims["sub"] = bad;
    ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMissingClaim);
  }
  claims["email"] = "alice@example.com";
  Build(IssuerSettings{.principal_claim = "email"});
  AuthOutcome outcome = Verify(SignToken(Header("ES256", "ec"), claims, EcKey()));
  ASSERT_TRUE(outcome.ok()) << outcome.failure.message;
  EXPECT_EQ(outcome.identity->principal, "alice@example.com");
}

TEST_F(JwtVerifierTest, Groups) {
  Build(IssuerSettings{.groups_claim = "groups"});
  boost::json::object claims = Claims();
  AuthOutcome none = Verify(SignToken(Header("ES256", "ec"), claims, EcKey()));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.identity->groups.empty());

  claims["groups"] = "admins";
  AuthOutcome one = Verify(SignToken(Header("ES256", "ec"), claims, EcKey()));
  ASSERT_TRUE(one.ok()) << one.failure.message;
  EXPECT_THAT(one.identity->groups, ::testing::ElementsAre("admins"));

  claims["groups"] = boost::json::array{"dev", "Domain Users"};
  AuthOutcome two = Verify(SignToken(Header("ES256", "ec"), claims, EcKey()));
  ASSERT_TRUE(two.ok()) << two.failure.message;
  EXPECT_THAT(two.identity->groups, ::testing::ElementsAre("dev", "Domain Users"));

  claims["groups"] = boost::json::array{"dev", 3};
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMalformedToken);
  claims["groups"] = boost::json::array{"dev", ""};
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMalformedToken);
  claims["groups"] = boost::json::array{std::string(257, 'g')};
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMalformedToken);
  boost::json::array many;
  for (int i = 0; i < 65; ++i) many.push_back(boost::json::value(absl::StrCat("g", i)));
  claims["groups"] = many;
  ExpectRefused(SignToken(Header("ES256", "ec"), claims, EcKey()), failure_reason::kMalformedToken);
  many.pop_back();
  claims["groups"] = many;
  EXPECT_TRUE(Verify(SignToken(Header("ES256", "ec"), claims, EcKey())).ok());
}

TEST_F(JwtVerifierTest, OversizedTokenRefusedWithoutParsing) {
  // Garbage that would be malformed if parsed: the size check answers first.
  ExpectRefused(std::string(8193, '*'), failure_reason::kTokenTooLarge);
  Build({}, JwtVerifierOptions{.max_token_bytes = 100});
  ExpectRefused(SignToken(Header("ES256", "ec"), Claims(), EcKey()),
                failure_reason::kTokenTooLarge);
}

TEST_F(JwtVerifierTest, MalformedTokens) {
  const std::string token = SignToken(Header("ES256", "ec"), Claims(), EcKey());
  ExpectRefused(absl::StrCat(token, ".x"), failure_reason::kMalformedToken);
  ExpectRefused(absl::StrCat(token, "="), failure_reason::kMalformedToken);
  ExpectRefused(token.substr(0, token.rfind('.')), failure_reason::kMalformedToken);
  ExpectRefused(absl::StrCat("!", token), failure_reason::kMalformedToken);
  ExpectRefused("", failure_reason::kMalformedToken);
  boost::json::object crit = Header("ES256", "ec");
  crit["crit"] = boost::json::array{"exp"};
  ExpectRefused(SignToken(crit, Claims(), EcKey()), failure_reason::kMalformedToken);
}

TEST_F(JwtVerifierTest, MessagesNeverContainTheToken) {
  const std::string token = SignToken(Header("ES256", "ec"), Claims(), EcKey());
  const std::string signature = token.substr(token.rfind('.') + 1);
  for (absl::Time now : {kNow, kNow + absl::Hours(2)}) {
    AuthOutcome outcome = Verify(token + "x", now);
    EXPECT_THAT(outcome.failure.message, Not(HasSubstr(signature)));
    EXPECT_THAT(outcome.failure.message, Not(HasSubstr(token.substr(0, 20))));
  }
}

TEST_F(JwtVerifierTest, AttackerStringsAreNotEchoedRaw) {
  boost::json::object claims = Claims();
  claims["iss"] = "evil\n[ERROR] forged log line";
  AuthOutcome outcome = Verify(SignToken(Header("ES256", "ec"), claims, EcKey()));
  EXPECT_EQ(outcome.failure.reason, failure_reason::kWrongIssuer);
  EXPECT_THAT(outcome.failure.message, Not(HasSubstr("forged")));
}

TEST(JwtVerifierCreateTest, RefusesBadConfiguration) {
  auto keys = std::make_shared<StaticKeySource>(JsonWebKeySet());
  auto create = [&](IssuerSettings settings) {
    std::vector<JwtIssuer> issuers{{std::move(settings), keys}};
    return JwtVerifier::Create(std::move(issuers)).status();
  };
  EXPECT_FALSE(JwtVerifier::Create({}).ok());
  EXPECT_FALSE(create(IssuerSettings{.issuer = "i"}).ok());  // no audience: refused
  EXPECT_FALSE(create(IssuerSettings{.issuer = "i", .audiences = {""}}).ok());
  EXPECT_FALSE(create(IssuerSettings{.issuer = "", .audiences = {"a"}}).ok());
  EXPECT_FALSE(
      create(IssuerSettings{.issuer = "i", .audiences = {"a"}, .principal_claim = ""}).ok());
  EXPECT_FALSE(
      create(IssuerSettings{.issuer = "i", .audiences = {"a"}, .leeway = absl::Seconds(-1)}).ok());
  EXPECT_TRUE(create(IssuerSettings{.issuer = "i", .audiences = {"a"}}).ok());
  std::vector<JwtIssuer> twice{{IssuerSettings{.issuer = "i", .audiences = {"a"}}, keys},
                               {IssuerSettings{.issuer = "i", .audiences = {"b"}}, keys}};
  EXPECT_FALSE(JwtVerifier::Create(std::move(twice)).ok());
  std::vector<JwtIssuer> no_source{{IssuerSettings{.issuer = "i", .audiences = {"a"}}, nullptr}};
  EXPECT_FALSE(JwtVerifier::Create(std::move(no_source)).ok());
}

}  // namespace
}  // namespace awsgw::auth::identity
