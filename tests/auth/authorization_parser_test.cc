// Unit and fuzz-style tests for the Authorization header parser: valid forms
// parse, and every broken input is rejected with an explanation, never a
// crash (run under the normal build; a table of hand-written breakages plus
// seeded random mutations of a valid header).
#include "auth/authorization_parser.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kValid[] =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
    "SignedHeaders=host;x-amz-date, "
    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

TEST(AuthorizationParserTest, ParsesTheCanonicalForm) {
  absl::StatusOr<ParsedAuthorization> parsed = ParseAuthorizationHeader(kValid);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->credential.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(parsed->credential.scope, (CredentialScope{"20150830", "us-east-1", "service"}));
  EXPECT_THAT(parsed->signed_headers, ElementsAre("host", "x-amz-date"));
  EXPECT_EQ(parsed->signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(AuthorizationParserTest, AcceptsAnyOrderAndSpacing) {
  absl::StatusOr<ParsedAuthorization> parsed = ParseAuthorizationHeader(
      "  AWS4-HMAC-SHA256   "
      "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
      ",SignedHeaders=host ,\tCredential=AKID/20150830/eu-west-1/ecs/aws4_request  ");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->credential.scope.service, "ecs");
  EXPECT_THAT(parsed->signed_headers, ElementsAre("host"));
}

struct BrokenCase {
  const char* name;
  std::string input;
  const char* message_part;  // the explanation must mention this
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class BrokenAuthorizationTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenAuthorizationTest, RejectedWithExplanation) {
  absl::StatusOr<ParsedAuthorization> parsed = ParseAuthorizationHeader(GetParam().input);
  ASSERT_FALSE(parsed.ok()) << "accepted: " << GetParam().input;
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr(GetParam().message_part));
}

const std::string kV = kValid;

INSTANTIATE_TEST_SUITE_P(
    Table, BrokenAuthorizationTest,
    ::testing::Values(
        BrokenCase{"Empty", "", "algorithm"},
        BrokenCase{"OnlyAlgorithm", "AWS4-HMAC-SHA256", "requires 'Credential'"},
        BrokenCase{"OtherAlgorithm", Replace(kV, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
                   "algorithm"},
        BrokenCase{"LowercaseAlgorithm", Replace(kV, "AWS4-HMAC-SHA256", "aws4-hmac-sha256"),
                   "algorithm"},
        BrokenCase{"SigV2", "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", "algorithm"},
        BrokenCase{"NoSpaceAfterAlgorithm", Replace(kV, "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256"),
                   "algorithm"},
        BrokenCase{
            "MissingCredential",
            Replace(kV, "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ", ""),
            "requires 'Credential'"},
        BrokenCase{"MissingSignedHeaders", Replace(kV, "SignedHeaders=host;x-amz-date, ", ""),
                   "requires 'SignedHeaders'"},
        BrokenCase{"MissingSignature", kV.substr(0, kV.find(", Signature=")),
                   "requires 'Signature'"},
        BrokenCase{"DuplicateSignature", kV + ", Signature=" + std::string(64, 'a'),
                   "more than once"},
        BrokenCase{"UnknownParameter", kV + ", Foo=bar", "Unknown"},
        BrokenCase{"LowercaseKey", Replace(kV, "Signature=", "signature="), "Unknown"},
        BrokenCase{"NoEquals", Replace(kV, "SignedHeaders=", "SignedHeaders "), "key=value"},
        BrokenCase{"SemicolonSeparators", Replace(Replace(kV, ", S", "; S"), ", S", "; S"),
                   "SignedHeaders"},
        BrokenCase{"TrailingComma", kV + ",", "key=value"},
        BrokenCase{"CredentialFourParts", Replace(kV, "/service/aws4_request", "/aws4_request"),
                   "5 parts"},
        BrokenCase{"CredentialSixParts", Replace(kV, "/aws4_request", "/aws4_request/x"),
                   "5 parts"},
        BrokenCase{"CredentialEmptyKeyId", Replace(kV, "AKIDEXAMPLE/", "/"), "empty part"},
        BrokenCase{"CredentialEmptyRegion", Replace(kV, "/us-east-1/", "//"), "empty part"},
        BrokenCase{"CredentialBadDate", Replace(kV, "20150830", "2015-08-30"), "YYYYMMDD"},
        BrokenCase{"CredentialShortDate", Replace(kV, "20150830", "2015083"), "YYYYMMDD"},
        BrokenCase{"CredentialTerminator", Replace(kV, "aws4_request", "aws4_requests"),
                   "terminator"},
        BrokenCase{"SignedHeadersUppercase", Replace(kV, "host;x-amz-date", "Host;x-amz-date"),
                   "lowercase"},
        BrokenCase{"SignedHeadersUnsorted", Replace(kV, "host;x-amz-date", "x-amz-date;host"),
                   "sorted"},
        BrokenCase{"SignedHeadersRepeated", Replace(kV, "host;x-amz-date", "host;host"), "sorted"},
        BrokenCase{"SignedHeadersEmptyName", Replace(kV, "host;x-amz-date", "host;;x-amz-date"),
                   "lowercase"},
        BrokenCase{"SignedHeadersEmpty", Replace(kV, "host;x-amz-date", ""), "lowercase"},
        BrokenCase{"SignatureShort", kV.substr(0, kV.size() - 1), "64 lowercase hex"},
        BrokenCase{"SignatureLong", kV + "a", "64 lowercase hex"},
        BrokenCase{"SignatureUppercase", Replace(kV, "5fa00fa", "5FA00FA"), "64 lowercase hex"},
        BrokenCase{"SignatureNotHex", Replace(kV, "5fa00fa", "5fa00fz"), "64 lowercase hex"},
        BrokenCase{"ControlCharacters", Replace(kV, "AKIDEXAMPLE", std::string("AKID\0X", 6)),
                   "empty part or one with whitespace"},
        BrokenCase{"Huge", kV + std::string(9000, ' '), "longer than"}),
    [](const ::testing::TestParamInfo<BrokenCase>& info) { return std::string(info.param.name); });

TEST(AuthorizationParserTest, MessagesQuoteOnlyAShortPrefix) {
  std::string huge_credential = Replace(kV, "AKIDEXAMPLE", std::string(4000, 'A') + "/x");
  absl::Status status = ParseAuthorizationHeader(huge_credential).status();
  ASSERT_FALSE(status.ok());
  EXPECT_LT(status.message().size(), 300u);
}

TEST(AuthorizationParserTest, RandomMutationsNeverCrashAndAlwaysExplain) {
  std::mt19937 rng(20150830);
  const std::string alphabet = "AWS4-HMAC-SHA256 Credential=/,;=SignedHeaders Signature \t\0\xff";
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string input = kValid;
    const int edits = 1 + rng() % 4;
    for (int e = 0; e < edits && !input.empty(); ++e) {
      const size_t at = rng() % input.size();
      switch (rng() % 4) {
        case 0:
          input.erase(at, 1 + rng() % 8);
          break;
        case 1:
          input.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:
          input[at] = alphabet[rng() % alphabet.size()];
          break;
        default:
          input.resize(at);
          break;
      }
    }
    absl::StatusOr<ParsedAuthorization> parsed = ParseAuthorizationHeader(input);
    if (parsed.ok()) {
      ++accepted;
      // Anything accepted must be well-formed.
      EXPECT_EQ(parsed->signature.size(), 64u);
      EXPECT_FALSE(parsed->signed_headers.empty());
      EXPECT_FALSE(parsed->credential.access_key_id.empty());
    } else {
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_FALSE(parsed.status().message().empty());
    }
  }
  EXPECT_LT(accepted, 20000);  // the mutations did break things
}

TEST(ParseCredentialTest, Pieces) {
  EXPECT_TRUE(ParseCredential("AKID/20150830/us-east-1/ecs/aws4_request").ok());
  EXPECT_FALSE(ParseCredential("AKID/20150830/us-east-1/ecs").ok());
  EXPECT_FALSE(ParseCredential("AKID/20150830/us east/ecs/aws4_request").ok());
  EXPECT_FALSE(ParseCredential("").ok());
}

TEST(ValidateSignatureFormatTest, Pieces) {
  EXPECT_TRUE(ValidateSignatureFormat(std::string(64, 'f')).ok());
  EXPECT_FALSE(ValidateSignatureFormat(std::string(64, 'g')).ok());
  EXPECT_FALSE(ValidateSignatureFormat("").ok());
}

}  // namespace
}  // namespace awsgw::auth
