// RedactSecrets on the texts that carry credentials in practice: AWS's
// signature-mismatch errors, STS errors, credential_process output.
#include "base/secret_redaction.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::base {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kToken =
    "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletokenvalue0123456789";
constexpr absl::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

TEST(RedactSecretsTest, SignatureMismatchDumpsAreCutAndTheTokenGoes) {
  const std::string message = absl::StrCat(
      "The request signature we calculated does not match the signature you provided. Check "
      "your AWS Secret Access Key and signing method. Consult the service documentation for "
      "details.\n\nThe Canonical String for this request should have been\n'POST\n/\n\n"
      "content-type:application/x-amz-json-1.1\nhost:ecs.us-east-1.amazonaws.com\n"
      "x-amz-date:20261207T000000Z\nx-amz-security-token:",
      kToken, "\n'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n...'\n");
  const std::string redacted = RedactSecrets(message, {kToken, kSecret});
  EXPECT_THAT(redacted, Not(HasSubstr(std::string(kToken.substr(0, 16)))));
  EXPECT_THAT(redacted, Not(HasSubstr("x-amz-date")));
  EXPECT_THAT(redacted, HasSubstr("does not match the signature you provided"));
  EXPECT_THAT(redacted, HasSubstr("string to sign are redacted"));
}

TEST(RedactSecretsTest, KnownSecretsGoWhereverTheyAreEvenCutShort) {
  const std::string cut(kToken.substr(0, 40));
  EXPECT_EQ(RedactSecrets(absl::StrCat("token ", kToken, " is bad"), {kToken}),
            "token [redacted] is bad");
  EXPECT_EQ(RedactSecrets(absl::StrCat("starts ", cut, "... (truncated)"), {kToken}),
            "starts [redacted]... (truncated)");
  EXPECT_EQ(RedactSecrets(absl::StrCat("key ", kSecret), {kSecret}), "key [redacted]");
  // Too short to be told from ordinary words.
  EXPECT_EQ(RedactSecrets("a short one", {"short"}), "a short one");
}

TEST(RedactSecretsTest, ValuesOfCredentialKeysGoButOrdinaryWordsStay) {
  EXPECT_EQ(RedactSecrets("X-Amz-Security-Token=abc123&X-Amz-Date=1"),
            "X-Amz-Security-Token=[redacted]&X-Amz-Date=1");
  EXPECT_EQ(RedactSecrets(R"({"AccessKeyId":"x","SecretAccessKey":"s3cr3t","Token":"t0k"})"),
            R"({"AccessKeyId":"x","SecretAccessKey":"[redacted]","Token":"[redacted]"})");
  EXPECT_EQ(RedactSecrets("Authorization: AWS4-HMAC-SHA256 Credential=AK/x, Signature=ff\nnext"),
            "Authorization: [redacted]\nnext");
  EXPECT_EQ(RedactSecrets("SignedHeaders=host, Signature=0a1b2c"),
            "SignedHeaders=host, Signature=[redacted]");
  for (const char* plain :
       {"The security token included in the request is invalid.",
        "Credential should be scoped to a valid region.",
        "The request signature we calculated does not match the signature you provided.",
        R"({"nextToken":"page2"})"}) {
    EXPECT_EQ(RedactSecrets(plain), plain);
  }
}

TEST(RedactSecretsTest, AccessKeyIdsAndJwtsGo) {
  EXPECT_EQ(RedactSecrets("key AKIAIOSFODNN7EXAMPLE used"), "key [redacted] used");
  EXPECT_EQ(RedactSecrets("ASIAIOSFODNN7EXAMPLE."), "[redacted].");
  EXPECT_EQ(RedactSecrets("AKIAIOSFODNN7EXAMPLEX"), "AKIAIOSFODNN7EXAMPLEX");  // 21: not a key id
  EXPECT_EQ(RedactSecrets("bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln rest"),
            "bearer [redacted] rest");
  EXPECT_EQ(RedactSecrets("eyJ only"), "eyJ only");
}

TEST(RedactSecretsTest, HostileTextStaysLinear) {
  // Each rule scans each byte a bounded number of times: 1 MiB of repeated
  // keys, prefixes and token starts finishes (ctest's timeout is the bound).
  std::string hostile;
  for (int i = 0; i < 50000; ++i) hostile += "token=eyJ.";
  const std::string prefix(kToken.substr(0, 16));
  for (int i = 0; i < 20000; ++i) hostile += prefix;
  const std::string redacted = RedactSecrets(hostile, {kToken});
  EXPECT_THAT(redacted, Not(HasSubstr(prefix)));
}

}  // namespace
}  // namespace awsgw::base
