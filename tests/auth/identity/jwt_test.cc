// ParseCompactJwt and the strict base64url under it: syntax only, no
// signatures (jwt_verifier_test.cc has those).
#include "auth/identity/jwt.h"

#include <boost/json/serialize.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "auth/identity/base64url.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::identity {
namespace {

using ::testing::HasSubstr;

std::string Part(absl::string_view json) { return Base64UrlEncode(json); }

std::string Token(absl::string_view header, absl::string_view payload,
                  absl::string_view signature = "sig") {
  return absl::StrCat(Part(header), ".", Part(payload), ".", Part(signature));
}

TEST(Base64UrlTest, RoundTripsAllLengths) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(bytes)), bytes) << i;
    bytes.push_back(static_cast<char>(i * 37 + 200));
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64UrlTest, RefusesPaddingForeignCharactersAndNonCanonicalForms) {
  EXPECT_EQ(Base64UrlDecode("YQ=="), std::nullopt);  // padding
  EXPECT_EQ(Base64UrlDecode("YQ"), "a");
  EXPECT_EQ(Base64UrlDecode("Y+8"), std::nullopt);  // standard alphabet
  EXPECT_EQ(Base64UrlDecode("Y/8"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Y Q"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("Y"), std::nullopt);   // 1 mod 4
  EXPECT_EQ(Base64UrlDecode("YR"), std::nullopt);  // unused bits set
  EXPECT_EQ(Base64UrlDecode(std::string("Y\0", 2)), std::nullopt);
}

TEST(ParseCompactJwtTest, ParsesHeaderClaimsAndSigningInput) {
  const std::string token = Token(R"({"alg":"RS256","kid":"k1","typ":"JWT"})", R"({"sub":"a"})");
  absl::StatusOr<ParsedJwt> jwt = ParseCompactJwt(token);
  ASSERT_TRUE(jwt.ok()) << jwt.status();
  EXPECT_EQ(jwt->alg, "RS256");
  EXPECT_EQ(jwt->kid, "k1");
  EXPECT_EQ(jwt->claims.at("sub"), "a");
  EXPECT_EQ(jwt->signature, "sig");
  EXPECT_EQ(jwt->signing_input, token.substr(0, token.rfind('.')));
}

TEST(ParseCompactJwtTest, KidIsOptional) {
  absl::StatusOr<ParsedJwt> jwt = ParseCompactJwt(Token(R"({"alg":"ES256"})", "{}"));
  ASSERT_TRUE(jwt.ok()) << jwt.status();
  EXPECT_EQ(jwt->kid, std::nullopt);
}

TEST(ParseCompactJwtTest, RefusesOversizedTokenBeforeDecoding) {
  // Not even base64url: the size check must come first.
  const std::string token(9000, '!');
  absl::StatusOr<ParsedJwt> jwt = ParseCompactJwt(token, 8192);
  EXPECT_EQ(jwt.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(ParseCompactJwt(Token(R"({"alg":"RS256"})", "{}"), 10).status().code() ==
              absl::StatusCode::kResourceExhausted);
}

TEST(ParseCompactJwtTest, RefusesWrongShapes) {
  const std::string header = Part(R"({"alg":"RS256"})");
  const std::string payload = Part("{}");
  for (const std::string& token : {
           std::string(""), header, absl::StrCat(header, ".", payload),
           absl::StrCat(header, ".", payload, ".sig.extra"),
           absl::StrCat(header, ".", payload, "."),       // empty signature
           absl::StrCat(".", payload, ".c2ln"),           // empty header
           absl::StrCat(header, "..c2ln"),                // empty payload
           absl::StrCat(header, "=.", payload, ".c2ln"),  // padding
           absl::StrCat(header, ".", payload, ".c2ln="),  // padding
           absl::StrCat(header, ".", payload, ".c2l+"),   // standard alphabet
           absl::StrCat(header, " .", payload, ".c2ln"),  // whitespace
       }) {
    absl::StatusOr<ParsedJwt> jwt = ParseCompactJwt(token);
    EXPECT_EQ(jwt.status().code(), absl::StatusCode::kInvalidArgument) << token;
  }
}

TEST(ParseCompactJwtTest, RefusesBadHeaders) {
  for (const char* header : {
           R"({})",                              // no alg
           R"({"alg":5})",                       // alg not a string
           R"({"alg":"RS256","kid":7})",         // kid not a string
           R"({"alg":"RS256","crit":["exp"]})",  // crit extensions
           R"(["alg","RS256"])",                 // not an object
           R"({"alg":"RS256")",                  // not JSON
           "{\"alg\":\"RS256\xff\"}",            // not UTF-8
       }) {
    EXPECT_EQ(ParseCompactJwt(Token(header, "{}")).status().code(),
              absl::StatusCode::kInvalidArgument)
        << header;
  }
  EXPECT_THAT(ParseCompactJwt(Token(R"({"alg":"RS256","crit":["x"]})", "{}")).status().message(),
              HasSubstr("crit"));
}

TEST(ParseCompactJwtTest, RefusesNonObjectPayloadAndDeepNesting) {
  EXPECT_FALSE(ParseCompactJwt(Token(R"({"alg":"RS256"})", "[1]")).ok());
  EXPECT_FALSE(ParseCompactJwt(Token(R"({"alg":"RS256"})", "\"x\"")).ok());
  std::string deep = R"({"a":)";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "}";
  EXPECT_FALSE(ParseCompactJwt(Token(R"({"alg":"RS256"})", deep)).ok());
}

TEST(ParseCompactJwtTest, MessagesNeverQuoteTheToken) {
  const std::string token = Token(R"({"alg":"RS256"})", "not json", "secret-signature");
  absl::StatusOr<ParsedJwt> jwt = ParseCompactJwt(token);
  ASSERT_FALSE(jwt.ok());
  EXPECT_THAT(std::string(jwt.status().message()), ::testing::Not(HasSubstr(Part("not json"))));
}

TEST(ParseCompactJwtTest, SurvivesArbitraryBytes) {
  // A poor man's fuzz pass: prefixes and byte flips of a valid token.
  const std::string token = Token(R"({"alg":"RS256","kid":"k"})", R"({"sub":"a","n":[1,{"b":2}]})");
  for (size_t i = 0; i <= token.size(); ++i) (void)ParseCompactJwt(token.substr(0, i));
  for (size_t i = 0; i < token.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string mutated = token;
      mutated[i] = static_cast<char>(mutated[i] ^ (1 << bit));
      (void)ParseCompactJwt(mutated);
    }
  }
}

}  // namespace
}  // namespace awsgw::auth::identity
