// Unit tests for stage 3 of SigV4: signing-key derivation, the signature and
// the Authorization value.
#include "auth/signature.h"

#include "auth/crypto.h"
#include "auth/signing_key.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

TEST(SigningKeyTest, MatchesTheAwsDocumentationExample) {
  // "Examples of how to derive a signing key for Signature Version 4" (AWS).
  EXPECT_EQ(HexEncode(DeriveSigningKey(kSecret, "20120215", "us-east-1", "iam").bytes()),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigningKeyTest, EveryScopePartChangesTheKey) {
  const std::string base =
      HexEncode(DeriveSigningKey(kSecret, "20150830", "us-east-1", "ecs").bytes());
  EXPECT_NE(base, HexEncode(DeriveSigningKey("other", "20150830", "us-east-1", "ecs").bytes()));
  EXPECT_NE(base, HexEncode(DeriveSigningKey(kSecret, "20150831", "us-east-1", "ecs").bytes()));
  EXPECT_NE(base, HexEncode(DeriveSigningKey(kSecret, "20150830", "us-east-2", "ecs").bytes()));
  EXPECT_NE(base, HexEncode(DeriveSigningKey(kSecret, "20150830", "us-east-1", "iam").bytes()));
}

TEST(SignatureTest, MatchesTheSuiteVanillaCase) {
  SigningKey key = DeriveSigningKey(kSecret, "20150830", "us-east-1", "service");
  const std::string signature = ComputeSignature(
      key,
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
      "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(BuildAuthorizationValue("AKIDEXAMPLE", "20150830/us-east-1/service/aws4_request",
                                    "host;x-amz-date", signature),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

}  // namespace
}  // namespace awsgw::auth
