// Unit tests for Sigv4Verifier: requests signed by Sigv4Signer verify, and
// every kind of tampering, staleness or malformation is rejected with the
// AWS error code a service would use and a message that names the problem
// but never a secret.
#include "auth/sigv4_verifier.h"

#include <map>
#include <string>

#include "absl/strings/str_replace.h"
#include "auth/canonical_request.h"
#include "auth/crypto.h"
#include "auth/signature.h"
#include "auth/signing_key.h"
#include "auth/sigv4_signer.h"
#include "auth/string_to_sign.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAkid[] = "AKIDEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kSessionAkid[] = "ASIAEXAMPLE";
constexpr char kSessionSecret[] = "9drTJvcXLB89EXAMPLELB8923FB892xMFI";
constexpr char kToken[] = "AQoXdzELDDY//////////wEaoAK1wvxJY12r2IrDFT2IvAzTCn3zHoZ7YNtpiQLF0MqZye";

absl::Time T0() {
  return absl::FromCivil(absl::CivilSecond(2024, 3, 9, 23, 59, 30), absl::UTCTimeZone());
}

class Sigv4VerifierTest : public ::testing::Test {
 protected:
  Sigv4VerifierTest() : verifier_(Config(), Lookup()) {}

  static VerifierConfig Config() {
    VerifierConfig config;
    config.region = "us-west-2";
    config.service = "ecs";
    return config;
  }

  static CredentialsLookup Lookup() {
    return [](absl::string_view akid) -> absl::StatusOr<Credentials> {
      if (akid == kAkid) return Credentials(kAkid, kSecret);
      if (akid == kSessionAkid) return Credentials(kSessionAkid, kSessionSecret, kToken);
      if (akid == "AKIDBROKENSTORE") return absl::UnavailableError("store down");
      return absl::NotFoundError("unknown");
    };
  }

  static HttpRequest EcsRequest() {
    HttpRequest request;
    request.method = "POST";
    request.path = "/";
    request.headers = {{"Host", "ecs.us-west-2.amazonaws.com"},
                       {"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"}};
    request.body = R"({"maxResults":10})";
    return request;
  }

  static SigningConfig SignConfig(absl::Time when = T0()) {
    SigningConfig config;
    config.region = "us-west-2";
    config.service = "ecs";
    config.signing_time = when;
    return config;
  }

  HttpRequest Signed(HttpRequest request, const Credentials& credentials,
                     const SigningConfig& config) {
    absl::StatusOr<SigningResult> result = signer_.Sign(request, credentials, config);
    EXPECT_TRUE(result.ok()) << result.status();
    return request;
  }
  HttpRequest Signed() { return Signed(EcsRequest(), Credentials(kAkid, kSecret), SignConfig()); }

  // Verifies and checks the outcome; every failure message is checked for
  // leaked secrets.
  VerificationResult Verify(const HttpRequest& request, absl::Time now = T0()) {
    VerificationResult result = verifier_.Verify(request, now);
    EXPECT_THAT(result.message(), Not(HasSubstr(kSecret)));
    EXPECT_THAT(result.message(), Not(HasSubstr(kSessionSecret)));
    EXPECT_THAT(result.message(), Not(HasSubstr(kToken)));
    return result;
  }

  void ExpectFailure(const VerificationResult& result, AuthErrorCode code,
                     absl::string_view message_part) {
    ASSERT_FALSE(result.ok()) << "expected " << AuthErrorCodeName(code);
    EXPECT_EQ(result.aws_error_code(), AuthErrorCodeName(code)) << result.message();
    EXPECT_THAT(result.message(), HasSubstr(std::string(message_part)));
  }

  static void ReplaceInAuthorization(HttpRequest& request, absl::string_view from,
                                     absl::string_view to) {
    for (HttpHeader& header : request.headers) {
      if (header.name == "Authorization") {
        header.value = absl::StrReplaceAll(header.value, {{from, to}});
      }
    }
  }

  Sigv4Signer signer_;
  Sigv4Verifier verifier_;
};

TEST_F(Sigv4VerifierTest, AcceptsASignedRequest) {
  VerificationResult result = Verify(Signed());
  ASSERT_TRUE(result.ok()) << result.aws_error_code() << ": " << result.message();
  EXPECT_EQ(result.request().access_key_id, kAkid);
  EXPECT_EQ(result.request().scope, (CredentialScope{"20240309", "us-west-2", "ecs"}));
  EXPECT_EQ(result.request().signing_time, T0());
  EXPECT_FALSE(result.request().presigned);
  EXPECT_THAT(result.request().signed_headers,
              ::testing::ElementsAre("content-type", "host", "x-amz-date", "x-amz-target"));
  EXPECT_TRUE(result.ToStatus().ok());
  EXPECT_EQ(result.http_status(), 200);
}

TEST_F(Sigv4VerifierTest, AcceptsWithinSkewAndUnsignedExtraHeaders) {
  HttpRequest request = Signed();
  request.headers.push_back({"User-Agent", "added after signing"});
  request.headers.push_back({"X-Forwarded-For", "10.0.0.1"});
  EXPECT_TRUE(Verify(request, T0() + absl::Minutes(4)).ok());
  EXPECT_TRUE(Verify(request, T0() - absl::Minutes(4)).ok());
}

TEST_F(Sigv4VerifierTest, RejectsTamperedBody) {
  HttpRequest request = Signed();
  request.body = R"({"maxResults":11})";
  ExpectFailure(Verify(request), AuthErrorCode::kInvalidSignature, "does not match");
}

TEST_F(Sigv4VerifierTest, RejectsTamperedSignedHeader) {
  HttpRequest request = Signed();
  SetHeader(request.headers, "X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DeleteCluster");
  ExpectFailure(Verify(request), AuthErrorCode::kInvalidSignature, "does not match");
}

TEST_F(Sigv4VerifierTest, RejectsTamperedPathAndQuery) {
  HttpRequest path = Signed();
  path.path = "/other";
  ExpectFailure(Verify(path), AuthErrorCode::kInvalidSignature, "does not match");
  HttpRequest query = Signed();
  query.query.push_back({"extra", "1"});
  ExpectFailure(Verify(query), AuthErrorCode::kInvalidSignature, "does not match");
}

TEST_F(Sigv4VerifierTest, RejectsRemovedSignedHeader) {
  HttpRequest request = Signed();
  RemoveHeaders(request.headers, "Content-Type");
  ExpectFailure(Verify(request), AuthErrorCode::kInvalidSignature, "content-type");
}

TEST_F(Sigv4VerifierTest, RejectsWrongKey) {
  HttpRequest request = Signed(EcsRequest(), Credentials(kAkid, "not-the-secret"), SignConfig());
  ExpectFailure(Verify(request), AuthErrorCode::kInvalidSignature,
                "signature we calculated does not match");
}

TEST_F(Sigv4VerifierTest, RejectsUnknownAccessKey) {
  VerificationResult result =
      Verify(Signed(EcsRequest(), Credentials("AKIDUNKNOWN", kSecret), SignConfig()));
  ExpectFailure(result, AuthErrorCode::kUnrecognizedClient, "AKIDUNKNOWN");
  EXPECT_EQ(result.http_status(), 400);
  EXPECT_EQ(result.ToStatus().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(result.ToStatus().message(), HasSubstr("UnrecognizedClientException: "));
}

TEST_F(Sigv4VerifierTest, LookupFailureIsInternal) {
  VerificationResult result =
      Verify(Signed(EcsRequest(), Credentials("AKIDBROKENSTORE", kSecret), SignConfig()));
  ExpectFailure(result, AuthErrorCode::kInternalFailure, "UNAVAILABLE");
  EXPECT_EQ(result.http_status(), 500);
  EXPECT_EQ(result.ToStatus().code(), absl::StatusCode::kInternal);
}

TEST_F(Sigv4VerifierTest, RejectsSkewedDates) {
  HttpRequest request = Signed();
  VerificationResult late = Verify(request, T0() + absl::Minutes(5) + absl::Seconds(1));
  ExpectFailure(late, AuthErrorCode::kRequestTimeTooSkewed,
                "Signature expired: 20240309T235930Z is now earlier than 20240309T235931Z "
                "(20240310T000431Z - 5m).");
  EXPECT_EQ(late.http_status(), 403);
  ExpectFailure(Verify(request, T0() - absl::Minutes(6)), AuthErrorCode::kRequestTimeTooSkewed,
                "Signature not yet current: 20240309T235930Z is still later than");
  EXPECT_TRUE(Verify(request, T0() + absl::Minutes(5)).ok());  // the bound itself is allowed
}

TEST_F(Sigv4VerifierTest, MissingAuthentication) {
  VerificationResult result = Verify(EcsRequest());
  ExpectFailure(result, AuthErrorCode::kMissingAuthenticationToken, "missing Authentication Token");
  EXPECT_EQ(result.http_status(), 403);
}

TEST_F(Sigv4VerifierTest, SignedHeadersMustIncludeHostAndDate) {
  HttpRequest no_host = Signed();
  ReplaceInAuthorization(no_host, "SignedHeaders=content-type;host;",
                         "SignedHeaders=content-type;");
  ExpectFailure(Verify(no_host), AuthErrorCode::kIncompleteSignature, "must include 'host'");
  HttpRequest no_date = Signed();
  ReplaceInAuthorization(no_date, "host;x-amz-date;x-amz-target", "host;x-amz-target");
  ExpectFailure(Verify(no_date), AuthErrorCode::kIncompleteSignature, "must include 'x-amz-date'");
}

TEST_F(Sigv4VerifierTest, NeedsADate) {
  HttpRequest request = Signed();
  RemoveHeaders(request.headers, "X-Amz-Date");
  ExpectFailure(Verify(request), AuthErrorCode::kIncompleteSignature,
                "either a 'X-Amz-Date' or a 'Date' header");
  SetHeader(request.headers, "X-Amz-Date", "2024-03-09T23:59:30Z");
  ExpectFailure(Verify(request), AuthErrorCode::kIncompleteSignature, "ISO 8601 basic format");
  request.headers.push_back({"x-amz-date", "20240309T235930Z"});
  ExpectFailure(Verify(request), AuthErrorCode::kIncompleteSignature, "more than one");
}

TEST_F(Sigv4VerifierTest, AcceptsADateHeaderInsteadOfXAmzDate) {
  // Signed by hand with the stages: a client that sends Date, not X-Amz-Date.
  HttpRequest request = EcsRequest();
  request.headers.push_back({"Date", "Sat, 09 Mar 2024 23:59:30 GMT"});
  const std::vector<std::string> names = {"content-type", "date", "host", "x-amz-target"};
  CanonicalRequestOptions options;
  options.signed_headers = std::span<const std::string>(names);
  absl::StatusOr<CanonicalRequest> canonical =
      BuildCanonicalRequest(request, Sha256Hex(request.body), options);
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  const std::string scope = "20240309/us-west-2/ecs/aws4_request";
  const std::string signature =
      ComputeSignature(DeriveSigningKey(kSecret, "20240309", "us-west-2", "ecs"),
                       BuildStringToSign(canonical->text, "20240309T235930Z", scope));
  request.headers.push_back(
      {"Authorization",
       BuildAuthorizationValue(kAkid, scope, canonical->signed_headers, signature)});
  VerificationResult result = Verify(request);
  EXPECT_TRUE(result.ok()) << result.message();

  ReplaceInAuthorization(request, "content-type;date;host", "content-type;host");
  ExpectFailure(Verify(request), AuthErrorCode::kIncompleteSignature, "must include 'date'");
}

TEST_F(Sigv4VerifierTest, ScopeMustMatchDateRegionAndService) {
  ExpectFailure(Verify(Signed(EcsRequest(), Credentials(kAkid, kSecret),
                              [] {
                                SigningConfig c = SignConfig();
                                c.region = "eu-west-1";
                                return c;
                              }())),
                AuthErrorCode::kInvalidSignature,
                "Credential should be scoped to a valid region, not 'eu-west-1'");
  ExpectFailure(Verify(Signed(EcsRequest(), Credentials(kAkid, kSecret),
                              [] {
                                SigningConfig c = SignConfig();
                                c.service = "apprunner";
                                return c;
                              }())),
                AuthErrorCode::kInvalidSignature, "scoped to correct service: 'ecs'");
  HttpRequest request = Signed();
  ReplaceInAuthorization(request, "/20240309/", "/20240310/");
  ExpectFailure(Verify(request), AuthErrorCode::kInvalidSignature,
                "'20240310' != '20240309', from 'X-Amz-Date'");
}

TEST_F(Sigv4VerifierTest, SessionTokens) {
  const Credentials session(kSessionAkid, kSessionSecret, kToken);
  EXPECT_TRUE(Verify(Signed(EcsRequest(), session, SignConfig())).ok());

  SigningConfig after = SignConfig();
  after.session_token_mode = SessionTokenMode::kAddedAfterSigning;
  EXPECT_TRUE(Verify(Signed(EcsRequest(), session, after)).ok());

  HttpRequest without = Signed(EcsRequest(), session, after);
  RemoveHeaders(without.headers, "X-Amz-Security-Token");
  ExpectFailure(Verify(without), AuthErrorCode::kUnrecognizedClient,
                "must carry X-Amz-Security-Token");

  HttpRequest wrong =
      Signed(EcsRequest(), Credentials(kSessionAkid, kSessionSecret, "forged"), SignConfig());
  ExpectFailure(Verify(wrong), AuthErrorCode::kUnrecognizedClient, "security token included");

  HttpRequest long_term_with_token =
      Signed(EcsRequest(), Credentials(kAkid, kSecret, "unexpected"), SignConfig());
  ExpectFailure(Verify(long_term_with_token), AuthErrorCode::kUnrecognizedClient, "long-term");
}

TEST_F(Sigv4VerifierTest, ContentSha256MustMatchTheBody) {
  SigningConfig config = SignConfig();
  config.add_content_sha256_header = true;
  HttpRequest request = Signed(EcsRequest(), Credentials(kAkid, kSecret), config);
  EXPECT_TRUE(Verify(request).ok());
  request.body = "{}";
  ExpectFailure(Verify(request), AuthErrorCode::kInvalidSignature,
                "x-amz-content-sha256 header does not match");
}

TEST_F(Sigv4VerifierTest, UnsignedPayloadOnlyWhenAllowed) {
  SigningConfig config = SignConfig();
  config.payload_hash_mode = PayloadHashMode::kUnsignedPayload;
  config.add_content_sha256_header = true;
  HttpRequest request = Signed(EcsRequest(), Credentials(kAkid, kSecret), config);
  ExpectFailure(Verify(request), AuthErrorCode::kInvalidSignature, "UNSIGNED-PAYLOAD");
  VerifierConfig allowing = Config();
  allowing.allow_unsigned_payload = true;
  Sigv4Verifier lenient(allowing, Lookup());
  request.body = "anything at all";
  EXPECT_TRUE(lenient.Verify(request, T0()).ok());
}

TEST_F(Sigv4VerifierTest, RejectsMoreThanOneAuthorization) {
  HttpRequest request = Signed();
  request.headers.push_back({"authorization", FindHeader(request.headers, "Authorization")->value});
  ExpectFailure(Verify(request), AuthErrorCode::kIncompleteSignature,
                "more than one Authorization");
}

// --- presigned requests -----------------------------------------------------

SigningConfig Presign(SigningConfig config, absl::Duration expires = absl::Minutes(15)) {
  config.location = SignatureLocation::kQueryString;
  config.expires = expires;
  return config;
}

TEST_F(Sigv4VerifierTest, AcceptsPresignedRequests) {
  HttpRequest request = Signed(EcsRequest(), Credentials(kAkid, kSecret), Presign(SignConfig()));
  VerificationResult result = Verify(request, T0() + absl::Minutes(10));
  ASSERT_TRUE(result.ok()) << result.message();
  EXPECT_TRUE(result.request().presigned);
  const Credentials session(kSessionAkid, kSessionSecret, kToken);
  EXPECT_TRUE(Verify(Signed(EcsRequest(), session, Presign(SignConfig()))).ok());
}

TEST_F(Sigv4VerifierTest, PresignedExpiryAndSkew) {
  HttpRequest request = Signed(EcsRequest(), Credentials(kAkid, kSecret), Presign(SignConfig()));
  EXPECT_TRUE(Verify(request, T0() + absl::Minutes(15)).ok());
  ExpectFailure(Verify(request, T0() + absl::Minutes(15) + absl::Seconds(1)),
                AuthErrorCode::kInvalidSignature,
                "Signature expired: the presigned request was valid until");
  ExpectFailure(Verify(request, T0() - absl::Minutes(6)), AuthErrorCode::kRequestTimeTooSkewed,
                "not yet current");
}

TEST_F(Sigv4VerifierTest, PresignedTamperingAndMissingParameters) {
  const HttpRequest good = Signed(EcsRequest(), Credentials(kAkid, kSecret), Presign(SignConfig()));
  HttpRequest extended = good;
  for (QueryParam& param : extended.query) {
    if (param.key == "X-Amz-Expires") param.value = "604800";
  }
  ExpectFailure(Verify(extended), AuthErrorCode::kInvalidSignature, "does not match");

  for (const char* key : {"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                          "X-Amz-SignedHeaders"}) {
    HttpRequest missing = good;
    RemoveQueryParams(missing.query, key);
    ExpectFailure(Verify(missing), AuthErrorCode::kIncompleteSignature, key);
  }
  HttpRequest no_algorithm = good;
  RemoveQueryParams(no_algorithm.query, "X-Amz-Algorithm");
  ExpectFailure(Verify(no_algorithm), AuthErrorCode::kIncompleteSignature, "X-Amz-Algorithm");

  for (const char* expires : {"0", "604801", "-1", "1e3", "", "99999999999999999999"}) {
    HttpRequest bad = good;
    for (QueryParam& param : bad.query) {
      if (param.key == "X-Amz-Expires") param.value = expires;
    }
    ExpectFailure(Verify(bad), AuthErrorCode::kIncompleteSignature, "X-Amz-Expires");
  }
  HttpRequest both = good;
  both.headers.push_back({"Authorization", "AWS4-HMAC-SHA256 ..."});
  ExpectFailure(Verify(both), AuthErrorCode::kIncompleteSignature, "Only one auth mechanism");
}

// Broken Authorization values: always IncompleteSignature with an
// explanation, never a crash, never a pass.
TEST_F(Sigv4VerifierTest, MalformedAuthorizationTable) {
  const HttpRequest good = Signed();
  const std::string valid = FindHeader(good.headers, "Authorization")->value;
  const std::vector<std::string> broken = {
      "",
      " ",
      "AWS4-HMAC-SHA256",
      "AWS4-HMAC-SHA256 ",
      "AWS4-HMAC-SHA256 Credential=",
      "AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=",
      "Bearer eyJhbGciOiJIUzI1NiJ9",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE, SignedHeaders=host, Signature=00",
      valid.substr(0, valid.size() / 2),
      valid.substr(0, valid.size() - 1),
      absl::StrReplaceAll(valid, {{", ", " "}}),
      absl::StrReplaceAll(valid, {{"=", ":"}}),
      absl::StrReplaceAll(valid, {{"aws4_request", ""}}),
      absl::StrReplaceAll(valid, {{"/", ""}}),
      absl::StrReplaceAll(valid, {{"Credential=", "Credential=a/b/"}}),
      valid + ", Signature=" + std::string(64, '0'),
      std::string(10000, 'A'),
      std::string("AWS4-HMAC-SHA256 \0\0\0", 20),
  };
  for (const std::string& value : broken) {
    HttpRequest request = good;
    SetHeader(request.headers, "Authorization", value);
    VerificationResult result = Verify(request);
    ASSERT_FALSE(result.ok()) << "accepted: " << value;
    EXPECT_EQ(result.error_code(), AuthErrorCode::kIncompleteSignature)
        << value.substr(0, 80) << " -> " << result.message();
    EXPECT_FALSE(result.message().empty());
    EXPECT_EQ(result.http_status(), 400);
  }
}

}  // namespace
}  // namespace awsgw::auth
