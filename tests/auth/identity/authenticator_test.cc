// Authenticator: the fixed order of methods and the no-fall-through rule.
#include "auth/identity/authenticator.h"

#include "absl/strings/str_cat.h"
#include "auth/crypto.h"
#include "auth/identity/jwks_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/auth/identity/jwt_test_support.h"

namespace awsgw::auth::identity {
namespace {

using testing::EdKey;
using testing::JwksJson;
using testing::SignToken;

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

std::string GoodToken() {
  return SignToken({{"alg", "EdDSA"}, {"kid", "ed"}},
                   {{"iss", "iss"}, {"aud", "gw"}, {"sub", "jwt-user"}, {"exp", 1'700'000'100}},
                   EdKey());
}

std::vector<JwtIssuer> Issuers() {
  absl::StatusOr<JsonWebKeySet> set = JsonWebKeySet::Parse(JwksJson({EdKey().Jwk("ed")}));
  return {{IssuerSettings{.issuer = "iss", .audiences = {"gw"}},
           std::make_shared<StaticKeySource>(*std::move(set))}};
}

std::vector<ApiKeyEntry> ApiKeys() { return {{Sha256("the-key"), "key-user", {"g"}}}; }

PresentedCredentials Certificate() {
  PresentedCredentials presented;
  presented.has_client_certificate = true;
  presented.uri_sans = {"spiffe://example/cert-user"};
  return presented;
}

std::unique_ptr<Authenticator> Make(bool mtls, bool jwt, bool api_keys) {
  AuthenticatorSettings settings;
  if (mtls) settings.mtls = MtlsSettings{};
  if (jwt) settings.jwt_issuers = Issuers();
  if (api_keys) settings.api_keys = ApiKeys();
  absl::StatusOr<std::unique_ptr<Authenticator>> authenticator =
      Authenticator::Create(std::move(settings));
  EXPECT_TRUE(authenticator.ok()) << authenticator.status();
  return authenticator.ok() ? *std::move(authenticator) : nullptr;
}

// "principal/method" or the failure reason.
std::string Who(const Authenticator& authenticator, const PresentedCredentials& presented) {
  AuthOutcome outcome = authenticator.Authenticate(presented, kNow);
  if (!outcome.ok()) return std::string(outcome.failure.reason);
  return absl::StrCat(outcome.identity->principal, "/", AuthMethodName(outcome.identity->method));
}

TEST(AuthenticatorTest, EachMethodAlone) {
  PresentedCredentials bearer;
  bearer.bearer_token = GoodToken();
  PresentedCredentials key;
  key.api_key = "the-key";
  EXPECT_EQ(Who(*Make(true, false, false), Certificate()), "spiffe://example/cert-user/mtls");
  EXPECT_EQ(Who(*Make(false, true, false), bearer), "jwt-user/jwt");
  EXPECT_EQ(Who(*Make(false, false, true), key), "key-user/api_key");
}

TEST(AuthenticatorTest, MtlsComesFirst) {
  PresentedCredentials all = Certificate();
  all.bearer_token = "not even a token";
  all.api_key = "wrong";
  EXPECT_EQ(Who(*Make(true, true, true), all), "spiffe://example/cert-user/mtls");
}

TEST(AuthenticatorTest, FailingCertificateDoesNotFallThrough) {
  PresentedCredentials all;
  all.has_client_certificate = true;  // but no usable name in it
  all.bearer_token = GoodToken();
  EXPECT_EQ(Who(*Make(true, true, true), all), "no_certificate_identity");
}

TEST(AuthenticatorTest, CertificateIgnoredWhenMtlsIsNotConfigured) {
  PresentedCredentials presented = Certificate();
  presented.bearer_token = GoodToken();
  EXPECT_EQ(Who(*Make(false, true, false), presented), "jwt-user/jwt");
  EXPECT_EQ(Who(*Make(false, true, false), Certificate()), "no_credentials");
}

TEST(AuthenticatorTest, NoCertificateMovesOnToBearer) {
  PresentedCredentials presented;
  presented.bearer_token = GoodToken();
  EXPECT_EQ(Who(*Make(true, true, false), presented), "jwt-user/jwt");
}

TEST(AuthenticatorTest, BearerBeforeApiKeyAndNoFallThrough) {
  PresentedCredentials both;
  both.bearer_token = GoodToken();
  both.api_key = "the-key";
  const auto authenticator = Make(false, true, true);
  EXPECT_EQ(Who(*authenticator, both), "jwt-user/jwt");
  // A token signed by someone else, beside a valid API key.
  both.bearer_token =
      SignToken({{"alg", "EdDSA"}, {"kid", "ed"}},
                {{"iss", "iss"}, {"aud", "gw"}, {"sub", "jwt-user"}, {"exp", 1'700'000'100}},
                testing::TestKey::Ed25519());
  EXPECT_EQ(Who(*authenticator, both), "bad_signature");
}

TEST(AuthenticatorTest, CredentialOfAnUnconfiguredMethodFails) {
  PresentedCredentials bearer;
  bearer.bearer_token = GoodToken();
  AuthOutcome outcome = Make(false, false, true)->Authenticate(bearer, kNow);
  EXPECT_EQ(outcome.failure.reason, failure_reason::kMethodNotAccepted);
  EXPECT_EQ(outcome.failure.message, "bearer tokens are not accepted by this gateway");

  PresentedCredentials key;
  key.api_key = "the-key";
  EXPECT_EQ(Who(*Make(false, true, false), key), "method_not_accepted");

  // A bearer token is examined before the API key, so an unaccepted bearer
  // fails the call even beside a valid key.
  PresentedCredentials both = bearer;
  both.api_key = "the-key";
  EXPECT_EQ(Who(*Make(false, false, true), both), "method_not_accepted");
}

TEST(AuthenticatorTest, NothingCarried) {
  EXPECT_EQ(Who(*Make(true, true, true), PresentedCredentials{}), "no_credentials");
}

TEST(AuthenticatorTest, WrongApiKey) {
  PresentedCredentials key;
  key.api_key = "nope";
  EXPECT_EQ(Who(*Make(false, false, true), key), "unknown_api_key");
}

TEST(AuthenticatorTest, MaxTokenBytesApplies) {
  AuthenticatorSettings settings;
  settings.jwt_issuers = Issuers();
  settings.max_token_bytes = 64;
  auto authenticator = Authenticator::Create(std::move(settings));
  ASSERT_TRUE(authenticator.ok());
  PresentedCredentials bearer;
  bearer.bearer_token = GoodToken();
  EXPECT_EQ(Who(**authenticator, bearer), "token_too_large");
}

TEST(AuthenticatorTest, RefusesEmptyOrBadConfiguration) {
  EXPECT_FALSE(Authenticator::Create(AuthenticatorSettings{}).ok());
  AuthenticatorSettings duplicate_keys;
  duplicate_keys.api_keys = {ApiKeys()[0], ApiKeys()[0]};
  EXPECT_FALSE(Authenticator::Create(std::move(duplicate_keys)).ok());
}

TEST(AuthenticatorTest, FailureStatusIsUnauthenticated) {
  AuthOutcome outcome = Make(false, false, true)->Authenticate(PresentedCredentials{}, kNow);
  absl::Status status = ToStatus(outcome.failure);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status.message(), outcome.failure.message);
}

}  // namespace
}  // namespace awsgw::auth::identity
