// Unit tests for Sigv4Signer: what it adds to a request in each mode, re-
// signing, options, and the errors it reports. Suite-level conformance is in
// sigv4_suite_test.cc; these tests need no test data.
#include "auth/sigv4_signer.h"

#include <string>

#include "auth/canonical_request.h"
#include "auth/crypto.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kToken[] = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

absl::Time SuiteTime() {
  return absl::FromCivil(absl::CivilSecond(2015, 8, 30, 12, 36, 0), absl::UTCTimeZone());
}

HttpRequest Vanilla() {
  HttpRequest request;
  request.method = "GET";
  request.path = "/";
  request.headers = {{"Host", "example.amazonaws.com"}};
  return request;
}

SigningConfig SuiteConfig() {
  SigningConfig config;
  config.region = "us-east-1";
  config.service = "service";
  config.signing_time = SuiteTime();
  return config;
}

const Credentials kLongTerm("AKIDEXAMPLE", kSecret);
const Credentials kSession("AKIDEXAMPLE", kSecret, kToken);

TEST(Sigv4SignerTest, SignsVanillaLikeTheSuite) {
  Sigv4Signer signer;
  HttpRequest request = Vanilla();
  absl::StatusOr<SigningResult> result = signer.Sign(request, kLongTerm, SuiteConfig());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(FindHeader(request.headers, "X-Amz-Date")->value, "20150830T123600Z");
  EXPECT_EQ(FindHeader(request.headers, "Authorization")->value, result->authorization);
  EXPECT_EQ(FindHeader(request.headers, "X-Amz-Security-Token"), nullptr);
  EXPECT_EQ(request.headers.size(), 3u);
}

TEST(Sigv4SignerTest, ResigningReplacesEarlierSigningHeaders) {
  Sigv4Signer signer;
  HttpRequest request = Vanilla();
  SigningConfig config = SuiteConfig();
  config.signing_time = SuiteTime() - absl::Hours(30);
  ASSERT_TRUE(signer.Sign(request, kSession, config).ok());
  absl::StatusOr<SigningResult> second = signer.Sign(request, kSession, SuiteConfig());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(CountHeaders(request.headers, "Authorization"), 1);
  EXPECT_EQ(CountHeaders(request.headers, "X-Amz-Date"), 1);
  EXPECT_EQ(CountHeaders(request.headers, "X-Amz-Security-Token"), 1);
  EXPECT_EQ(second->signature, "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
}

TEST(Sigv4SignerTest, SessionTokenSignedOrAddedAfter) {
  Sigv4Signer signer;
  HttpRequest signed_request = Vanilla();
  absl::StatusOr<SigningResult> with = signer.Sign(signed_request, kSession, SuiteConfig());
  ASSERT_TRUE(with.ok());
  EXPECT_THAT(with->canonical_request, HasSubstr("x-amz-security-token:" + std::string(kToken)));
  EXPECT_THAT(with->authorization,
              HasSubstr("SignedHeaders=host;x-amz-date;x-amz-security-token,"));

  HttpRequest after_request = Vanilla();
  SigningConfig config = SuiteConfig();
  config.session_token_mode = SessionTokenMode::kAddedAfterSigning;
  absl::StatusOr<SigningResult> after = signer.Sign(after_request, kSession, config);
  ASSERT_TRUE(after.ok());
  EXPECT_THAT(after->canonical_request, Not(HasSubstr("x-amz-security-token")));
  EXPECT_EQ(FindHeader(after_request.headers, "X-Amz-Security-Token")->value, kToken);
  EXPECT_EQ(after->signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(Sigv4SignerTest, PayloadHashOptions) {
  Sigv4Signer signer;
  HttpRequest request = Vanilla();
  request.method = "POST";
  request.body = "Param1=value1";
  SigningConfig config = SuiteConfig();
  config.add_content_sha256_header = true;
  absl::StatusOr<SigningResult> hashed = signer.Sign(request, kLongTerm, config);
  ASSERT_TRUE(hashed.ok());
  const std::string body_hash = Sha256Hex("Param1=value1");
  EXPECT_EQ(FindHeader(request.headers, "x-amz-content-sha256")->value, body_hash);
  EXPECT_THAT(hashed->canonical_request, ::testing::EndsWith("\n" + body_hash));

  config.payload_hash_mode = PayloadHashMode::kUnsignedPayload;
  absl::StatusOr<SigningResult> unsigned_payload = signer.Sign(request, kLongTerm, config);
  ASSERT_TRUE(unsigned_payload.ok());
  EXPECT_EQ(FindHeader(request.headers, "x-amz-content-sha256")->value, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(CountHeaders(request.headers, "x-amz-content-sha256"), 1);
  EXPECT_THAT(unsigned_payload->canonical_request, ::testing::EndsWith("\nUNSIGNED-PAYLOAD"));

  HttpRequest streamed = Vanilla();
  streamed.payload_hash = std::string(64, 'a');  // body not held in memory
  absl::StatusOr<SigningResult> precomputed = signer.Sign(streamed, kLongTerm, SuiteConfig());
  ASSERT_TRUE(precomputed.ok());
  EXPECT_THAT(precomputed->canonical_request, ::testing::EndsWith("\n" + std::string(64, 'a')));
}

TEST(Sigv4SignerTest, QuerySigningAddsParametersNotHeaders) {
  Sigv4Signer signer;
  HttpRequest request = Vanilla();
  SigningConfig config = SuiteConfig();
  config.location = SignatureLocation::kQueryString;
  config.expires = absl::Seconds(3600);
  absl::StatusOr<SigningResult> result = signer.Sign(request, kSession, config);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(request.headers.size(), 1u);  // Host only
  EXPECT_TRUE(result->authorization.empty());
  EXPECT_EQ(FindQueryParam(request.query, "X-Amz-Algorithm")->value, "AWS4-HMAC-SHA256");
  EXPECT_EQ(FindQueryParam(request.query, "X-Amz-Credential")->value,
            "AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request");
  EXPECT_EQ(FindQueryParam(request.query, "X-Amz-Expires")->value, "3600");
  EXPECT_EQ(FindQueryParam(request.query, "X-Amz-SignedHeaders")->value, "host");
  EXPECT_EQ(FindQueryParam(request.query, "X-Amz-Security-Token")->value, kToken);
  EXPECT_EQ(FindQueryParam(request.query, "X-Amz-Signature")->value,
            "7ff2b50b376cb4d151970630573d6291dc128cc5c2a12ffb237f73cc53f67b6c");
  EXPECT_THAT(result->canonical_request, Not(HasSubstr("X-Amz-Signature")));

  // Presigning again replaces the parameters instead of adding a second set.
  ASSERT_TRUE(signer.Sign(request, kSession, config).ok());
  EXPECT_EQ(CountQueryParams(request.query, "X-Amz-Signature"), 1);
  EXPECT_EQ(request.query.size(), 7u);
}

TEST(Sigv4SignerTest, SingleEncodingForS3StylePaths) {
  Sigv4Signer signer;
  HttpRequest request = Vanilla();
  request.path = "/bucket/a%2Fb//c";
  SigningConfig config = SuiteConfig();
  config.double_uri_encode = false;
  config.normalize_path = false;
  absl::StatusOr<SigningResult> result = signer.Sign(request, kLongTerm, config);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->canonical_request, ::testing::StartsWith("GET\n/bucket/a%2Fb//c\n"));
  request.headers.resize(1);
  absl::StatusOr<SigningResult> doubled = signer.Sign(request, kLongTerm, SuiteConfig());
  ASSERT_TRUE(doubled.ok());
  EXPECT_THAT(doubled->canonical_request, ::testing::StartsWith("GET\n/bucket/a%252Fb/c\n"));
}

TEST(Sigv4SignerTest, CachesSigningKeys) {
  Sigv4Signer signer;
  for (int i = 0; i < 3; ++i) {
    HttpRequest request = Vanilla();
    ASSERT_TRUE(signer.Sign(request, kLongTerm, SuiteConfig()).ok());
  }
  EXPECT_EQ(signer.key_cache().stats().misses, 1u);
  EXPECT_EQ(signer.key_cache().stats().hits, 2u);
}

TEST(Sigv4SignerTest, ReportsInvalidInput) {
  Sigv4Signer signer;
  auto code = [&](HttpRequest request, const Credentials& credentials,
                  const SigningConfig& config) {
    return signer.Sign(request, credentials, config).status().code();
  };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;

  HttpRequest no_host = Vanilla();
  no_host.headers.clear();
  EXPECT_EQ(code(no_host, kLongTerm, SuiteConfig()), kInvalid);

  SigningConfig no_region = SuiteConfig();
  no_region.region = "";
  EXPECT_EQ(code(Vanilla(), kLongTerm, no_region), kInvalid);
  SigningConfig slash_service = SuiteConfig();
  slash_service.service = "a/b";
  EXPECT_EQ(code(Vanilla(), kLongTerm, slash_service), kInvalid);
  SigningConfig infinite = SuiteConfig();
  infinite.signing_time = absl::InfiniteFuture();
  EXPECT_EQ(code(Vanilla(), kLongTerm, infinite), kInvalid);
  for (absl::Duration expires :
       {absl::ZeroDuration(), absl::Hours(24 * 7 + 1), absl::Milliseconds(1500)}) {
    SigningConfig presign = SuiteConfig();
    presign.location = SignatureLocation::kQueryString;
    presign.expires = expires;
    EXPECT_EQ(code(Vanilla(), kLongTerm, presign), kInvalid) << expires;
  }

  EXPECT_EQ(code(Vanilla(), Credentials("", kSecret), SuiteConfig()), kInvalid);
  EXPECT_EQ(code(Vanilla(), Credentials("AKID/X", kSecret), SuiteConfig()), kInvalid);
  EXPECT_EQ(code(Vanilla(), Credentials("AKID", ""), SuiteConfig()), kInvalid);

  HttpRequest bad_header = Vanilla();
  bad_header.headers.push_back({"Bad:Name", "x"});
  EXPECT_EQ(code(bad_header, kLongTerm, SuiteConfig()), kInvalid);
}

TEST(Sigv4SignerTest, ErrorsNeverMentionTheSecret) {
  Sigv4Signer signer;
  HttpRequest request = Vanilla();
  request.headers.push_back({"X-Bad", "a\nb"});
  absl::Status status = signer.Sign(request, kSession, SuiteConfig()).status();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.ToString(), Not(HasSubstr(kSecret)));
  EXPECT_THAT(status.ToString(), Not(HasSubstr(kToken)));
}

}  // namespace
}  // namespace awsgw::auth
