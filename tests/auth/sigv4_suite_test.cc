// Conformance: the two published AWS SigV4 test suites, run through the real
// signer (all three stages plus the signed request) and, in reverse, through
// the verifier.
//
// Cases are discovered at run time from AWSGW_SIGV4_TESTDATA_DIR
// (<shared>/testdata/sigv4): every aws-c-auth/v4/<case>/ directory (checked
// as header AND query variants) and every botocore/**/<case>/ directory.
// No case is skipped. If the folder is absent the summary tests skip with a
// message and the parameterized tests have no instances.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "auth/credentials.h"
#include "auth/crypto.h"
#include "auth/http_request.h"
#include "auth/sigv4_signer.h"
#include "auth/sigv4_verifier.h"
#include "boost/json.hpp"
#include "gtest/gtest.h"
#include "tests/auth/sigv4_suite_support.h"

#ifndef AWSGW_SIGV4_TESTDATA_DIR
#error "AWSGW_SIGV4_TESTDATA_DIR must name <shared>/testdata/sigv4"
#endif

namespace awsgw::auth {
namespace {
namespace fs = std::filesystem;
using testing::CompareSignedRequests;
using testing::ParseSuiteRequest;
using testing::ReadCaseFile;

constexpr size_t kExpectedAwsCAuthCases = 38;
constexpr size_t kExpectedBotocoreCases = 34;

const fs::path& SuiteRoot() {
  static const fs::path* const root = new fs::path(AWSGW_SIGV4_TESTDATA_DIR);
  return *root;
}
fs::path AwsCAuthRoot() { return SuiteRoot() / "aws-c-auth" / "v4"; }
fs::path BotocoreRoot() { return SuiteRoot() / "botocore"; }

// Fixed parameters of the botocore layout (it has no context file).
constexpr absl::string_view kSuiteAccessKeyId = "AKIDEXAMPLE";
constexpr absl::string_view kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr absl::string_view kSuiteRegion = "us-east-1";
constexpr absl::string_view kSuiteService = "service";
absl::Time SuiteTime() {
  return absl::FromCivil(absl::CivilSecond(2015, 8, 30, 12, 36, 0), absl::UTCTimeZone());
}

// Appends "<what>: got ... expected ..." to `failures` when they differ.
void ExpectSame(absl::string_view what, absl::string_view actual, absl::string_view expected,
                std::vector<std::string>& failures) {
  if (actual != expected) {
    failures.push_back(absl::StrCat(what, " differs.\n--- got:\n", actual, "\n--- expected:\n",
                                    expected, "\n---"));
  }
}

// Reads `dir/name` or records a failure and returns "".
std::string Read(const fs::path& dir, const std::string& name, std::vector<std::string>& failures) {
  absl::StatusOr<std::string> text = ReadCaseFile(dir / name);
  if (!text.ok()) {
    failures.push_back(std::string(text.status().message()));
    return "";
  }
  return *std::move(text);
}

// ---------------------------------------------------------------------------
// aws-c-auth layout

struct AwsCAuthContext {
  std::string access_key_id;
  std::string secret;
  std::string token;
  std::string region;
  std::string service;
  absl::Time timestamp;
  bool normalize = true;
  bool sign_body = false;
  bool omit_session_token = false;
  int64_t expiration_seconds = 3600;
};

absl::StatusOr<AwsCAuthContext> ParseContext(const std::string& text) {
  boost::json::error_code ec;
  boost::json::value json = boost::json::parse(text, ec);
  if (ec || !json.is_object()) return absl::InvalidArgumentError("context.json is not an object");
  const boost::json::object& object = json.as_object();
  AwsCAuthContext context;
  const boost::json::object& credentials = object.at("credentials").as_object();
  context.access_key_id = credentials.at("access_key_id").as_string().c_str();
  context.secret = credentials.at("secret_access_key").as_string().c_str();
  if (const boost::json::value* token = credentials.if_contains("token")) {
    context.token = token->as_string().c_str();
  }
  context.region = object.at("region").as_string().c_str();
  context.service = object.at("service").as_string().c_str();
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, object.at("timestamp").as_string().c_str(),
                       &context.timestamp, &error)) {
    return absl::InvalidArgumentError(absl::StrCat("timestamp: ", error));
  }
  context.normalize = object.at("normalize").as_bool();
  context.sign_body = object.at("sign_body").as_bool();
  if (const boost::json::value* omit = object.if_contains("omit_session_token")) {
    context.omit_session_token = omit->as_bool();
  }
  context.expiration_seconds = object.at("expiration_in_seconds").to_number<int64_t>();
  return context;
}

// Checks one variant ("header" or "query") of an aws-c-auth case: canonical
// request, string to sign, signature and signed request from the signer, and
// the expected signed request through the verifier.
std::vector<std::string> CheckAwsCAuthVariant(const fs::path& dir, absl::string_view variant) {
  std::vector<std::string> failures;
  const std::string prefix(variant);
  absl::StatusOr<AwsCAuthContext> context = ParseContext(Read(dir, "context.json", failures));
  if (!context.ok()) return {std::string(context.status().message())};
  absl::StatusOr<HttpRequest> request = ParseSuiteRequest(Read(dir, "request.txt", failures));
  absl::StatusOr<HttpRequest> expected_signed =
      ParseSuiteRequest(Read(dir, prefix + "-signed-request.txt", failures));
  if (!request.ok() || !expected_signed.ok()) return {"cannot parse request files"};

  const bool header = variant == "header";
  SigningConfig config;
  config.region = context->region;
  config.service = context->service;
  config.signing_time = context->timestamp;
  config.location = header ? SignatureLocation::kHeaders : SignatureLocation::kQueryString;
  config.normalize_path = context->normalize;
  config.double_uri_encode = true;  // the reference runner always double-encodes
  config.add_content_sha256_header = header && context->sign_body;
  config.session_token_mode = context->omit_session_token ? SessionTokenMode::kAddedAfterSigning
                                                          : SessionTokenMode::kSigned;
  config.expires = absl::Seconds(context->expiration_seconds);
  // sign_body=false means "hash the empty string" whatever the body is.
  if (!context->sign_body) request->payload_hash = Sha256Hex("");
  Credentials credentials(context->access_key_id, context->secret, context->token);

  Sigv4Signer signer;
  absl::StatusOr<SigningResult> result = signer.Sign(*request, credentials, config);
  if (!result.ok()) return {absl::StrCat(variant, ": Sign failed: ", result.status().ToString())};
  ExpectSame(prefix + " canonical request", result->canonical_request,
             Read(dir, prefix + "-canonical-request.txt", failures), failures);
  ExpectSame(prefix + " string to sign", result->string_to_sign,
             Read(dir, prefix + "-string-to-sign.txt", failures), failures);
  ExpectSame(prefix + " signature", result->signature,
             Read(dir, prefix + "-signature.txt", failures), failures);
  request->payload_hash.reset();  // the signed request has no such field
  for (const std::string& diff : CompareSignedRequests(*request, *expected_signed, false)) {
    failures.push_back(absl::StrCat(prefix, " signed request: ", diff));
  }

  // Reverse direction: the published signed request must verify.
  VerifierConfig verifier_config;
  verifier_config.region = context->region;
  verifier_config.service = context->service;
  verifier_config.normalize_path = context->normalize;
  Sigv4Verifier verifier(verifier_config, [&](absl::string_view) { return credentials; });
  VerificationResult verified = verifier.Verify(*expected_signed, context->timestamp);
  if (!header && context->omit_session_token) {
    // Not a skip: a presigned URL whose X-Amz-Security-Token was appended
    // after signing (post-sts-header-after, query variant) cannot be told
    // apart from a tampered one, because the token is an ordinary query
    // parameter; the verifier signs it like every other parameter (see
    // sigv4_verifier.h), so it must reject this request.
    if (verified.ok() || verified.error_code() != AuthErrorCode::kInvalidSignature) {
      failures.push_back(
          "query variant with an unsigned token should fail verification with "
          "InvalidSignatureException");
    }
  } else if (!verified.ok()) {
    failures.push_back(absl::StrCat(prefix, " signed request does not verify: ",
                                    verified.aws_error_code(), ": ", verified.message()));
  }
  return failures;
}

std::vector<std::string> CheckAwsCAuthCase(const fs::path& dir) {
  std::vector<std::string> failures = CheckAwsCAuthVariant(dir, "header");
  for (std::string& failure : CheckAwsCAuthVariant(dir, "query")) failures.push_back(failure);
  return failures;
}

// ---------------------------------------------------------------------------
// botocore layout

std::vector<std::string> CheckBotocoreCase(const fs::path& dir) {
  std::vector<std::string> failures;
  const std::string name = dir.filename().string();
  absl::StatusOr<HttpRequest> request = ParseSuiteRequest(Read(dir, name + ".req", failures));
  absl::StatusOr<HttpRequest> expected_signed =
      ParseSuiteRequest(Read(dir, name + ".sreq", failures));
  const std::string creq = Read(dir, name + ".creq", failures);
  if (!request.ok() || !expected_signed.ok()) return {"cannot parse .req/.sreq"};

  // Session token, as botocore's runner finds it: from the .creq when it is
  // signed; otherwise, when the .sreq carries one the .req does not, it was
  // added after signing (post-sts-header-after).
  std::string token;
  SessionTokenMode token_mode = SessionTokenMode::kSigned;
  const std::string kTokenLine = "\nx-amz-security-token:";
  if (size_t at = creq.find(kTokenLine); at != std::string::npos) {
    size_t begin = at + kTokenLine.size();
    token = creq.substr(begin, creq.find('\n', begin) - begin);
  } else if (const HttpHeader* sreq_token =
                 FindHeader(expected_signed->headers, "X-Amz-Security-Token");
             sreq_token != nullptr &&
             FindHeader(request->headers, "X-Amz-Security-Token") == nullptr) {
    token = sreq_token->value;
    token_mode = SessionTokenMode::kAddedAfterSigning;
  }

  // One upstream data defect, handled explicitly rather than skipped: the
  // Authorization line of get-vanilla-with-session-token.sreq carries a
  // "signature" that is the session token rotated by 32 characters, not a
  // signature. The same case's .authz, .sts and .creq agree with each other and
  // with aws-c-auth's header-signature.txt (07ec1639...), so the .authz is
  // authoritative: the rest of the .sreq is compared as usual with the .authz
  // value in place, and the published line must fail verification.
  const std::string authz = Read(dir, name + ".authz", failures);
  bool defective_sreq = name == "get-vanilla-with-session-token";
  if (defective_sreq) {
    const HttpHeader* published = FindHeader(expected_signed->headers, "Authorization");
    if (published == nullptr || absl::StripAsciiWhitespace(published->value) == authz) {
      failures.push_back("the known .sreq defect is gone upstream; remove this special case");
    }
    Sigv4Verifier verifier(
        {.region = std::string(kSuiteRegion), .service = std::string(kSuiteService)},
        [&](absl::string_view) {
          return Credentials(std::string(kSuiteAccessKeyId), kSuiteSecret, token);
        });
    VerificationResult bogus = verifier.Verify(*expected_signed, SuiteTime());
    if (bogus.ok() || bogus.error_code() != AuthErrorCode::kInvalidSignature) {
      failures.push_back("the defective published .sreq must fail verification");
    }
    SetHeader(expected_signed->headers, "Authorization", authz);
  }

  SigningConfig config;
  config.region = std::string(kSuiteRegion);
  config.service = std::string(kSuiteService);
  config.signing_time = SuiteTime();
  config.session_token_mode = token_mode;
  Credentials credentials(std::string(kSuiteAccessKeyId), kSuiteSecret, token);

  Sigv4Signer signer;
  absl::StatusOr<SigningResult> result = signer.Sign(*request, credentials, config);
  if (!result.ok()) return {absl::StrCat("Sign failed: ", result.status().ToString())};
  ExpectSame(".creq", result->canonical_request, creq, failures);
  ExpectSame(".sts", result->string_to_sign, Read(dir, name + ".sts", failures), failures);
  ExpectSame(".authz", result->authorization, authz, failures);
  for (const std::string& diff : CompareSignedRequests(*request, *expected_signed, true)) {
    failures.push_back(absl::StrCat(".sreq: ", diff));
  }

  VerifierConfig verifier_config;
  verifier_config.region = std::string(kSuiteRegion);
  verifier_config.service = std::string(kSuiteService);
  Sigv4Verifier verifier(verifier_config, [&](absl::string_view) { return credentials; });
  VerificationResult verified = verifier.Verify(*expected_signed, SuiteTime());
  if (!verified.ok()) {
    failures.push_back(absl::StrCat(".sreq does not verify: ", verified.aws_error_code(), ": ",
                                    verified.message()));
  }
  return failures;
}

// ---------------------------------------------------------------------------
// Tests

std::string CaseName(const fs::path& root, const fs::path& dir) {
  std::string name = fs::relative(dir, root).generic_string();
  return absl::StrReplaceAll(name, {{"-", "_"}, {"/", "__"}});
}

class AwsCAuthSuiteTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(AwsCAuthSuiteTest, HeaderVariantMatches) {
  for (const std::string& failure : CheckAwsCAuthVariant(GetParam(), "header"))
    ADD_FAILURE() << failure;
}

TEST_P(AwsCAuthSuiteTest, QueryVariantMatches) {
  for (const std::string& failure : CheckAwsCAuthVariant(GetParam(), "query"))
    ADD_FAILURE() << failure;
}

INSTANTIATE_TEST_SUITE_P(V4, AwsCAuthSuiteTest,
                         ::testing::ValuesIn(testing::FindAwsCAuthCases(AwsCAuthRoot())),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           return CaseName(AwsCAuthRoot(), info.param);
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(AwsCAuthSuiteTest);

class BotocoreSuiteTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(BotocoreSuiteTest, Matches) {
  for (const std::string& failure : CheckBotocoreCase(GetParam())) ADD_FAILURE() << failure;
}

INSTANTIATE_TEST_SUITE_P(Botocore, BotocoreSuiteTest,
                         ::testing::ValuesIn(testing::FindBotocoreCases(BotocoreRoot())),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           return CaseName(BotocoreRoot(), info.param);
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BotocoreSuiteTest);

// The summaries run every case again in one process, so that the number of
// cases found and passed is reported in one place and a silently empty or
// shrunken suite fails.
TEST(Sigv4SuiteSummary, AllAwsCAuthCasesFoundAndPass) {
  if (!fs::is_directory(AwsCAuthRoot())) {
    GTEST_SKIP() << "aws-c-auth SigV4 suite not found at " << AwsCAuthRoot()
                 << " (the shared testdata folder is absent); nothing to check";
  }
  std::vector<fs::path> cases = testing::FindAwsCAuthCases(AwsCAuthRoot());
  size_t passed = 0;
  for (const fs::path& dir : cases) {
    std::vector<std::string> failures = CheckAwsCAuthCase(dir);
    if (failures.empty()) {
      ++passed;
    } else {
      ADD_FAILURE() << dir.filename() << ": " << failures.front();
    }
  }
  std::cout << "[  SUITE   ] aws-c-auth v4: " << passed << "/" << cases.size()
            << " cases passed (header and query variants each)\n";
  RecordProperty("aws_c_auth_passed", static_cast<int>(passed));
  EXPECT_EQ(cases.size(), kExpectedAwsCAuthCases);
  EXPECT_EQ(passed, cases.size());
}

TEST(Sigv4SuiteSummary, AllBotocoreCasesFoundAndPass) {
  if (!fs::is_directory(BotocoreRoot())) {
    GTEST_SKIP() << "botocore SigV4 suite not found at " << BotocoreRoot()
                 << " (the shared testdata folder is absent); nothing to check";
  }
  std::vector<fs::path> cases = testing::FindBotocoreCases(BotocoreRoot());
  size_t passed = 0;
  for (const fs::path& dir : cases) {
    std::vector<std::string> failures = CheckBotocoreCase(dir);
    if (failures.empty()) {
      ++passed;
    } else {
      ADD_FAILURE() << dir.filename() << ": " << failures.front();
    }
  }
  std::cout << "[  SUITE   ] botocore: " << passed << "/" << cases.size() << " cases passed\n";
  RecordProperty("botocore_passed", static_cast<int>(passed));
  EXPECT_EQ(cases.size(), kExpectedBotocoreCases);
  EXPECT_EQ(passed, cases.size());
}

}  // namespace
}  // namespace awsgw::auth
