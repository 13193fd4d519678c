// Unit tests for Credentials' redacting printers and SecretString wiping.
#include "auth/credentials.h"

#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kToken[] = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWL";

Credentials SessionCredentials() {
  return Credentials("ASIAEXAMPLE", kSecret, kToken,
                     absl::FromUnixSeconds(1440938160));  // 2015-08-30T12:36:00Z
}

// A minimal AbslStringify sink, as newer abseil passes one.
struct StringSink {
  void Append(absl::string_view text) { absl::StrAppend(&out, text); }
  std::string out;
};

void ExpectRedacted(const std::string& printed) {
  EXPECT_THAT(printed, HasSubstr("ASIAEXAMPLE"));
  EXPECT_THAT(printed, HasSubstr("<redacted>"));
  EXPECT_THAT(printed, Not(HasSubstr(kSecret)));
  EXPECT_THAT(printed, Not(HasSubstr(kToken)));
  // Not even a recognizable prefix of either.
  EXPECT_THAT(printed, Not(HasSubstr("wJalr")));
  EXPECT_THAT(printed, Not(HasSubstr("AQoDY")));
}

TEST(CredentialsTest, DebugStringRedacts) {
  const std::string printed = SessionCredentials().DebugString();
  ExpectRedacted(printed);
  EXPECT_EQ(printed,
            "Credentials{access_key_id=ASIAEXAMPLE, secret_access_key=<redacted>, "
            "session_token=<redacted>, expiration=2015-08-30T12:36:00+00:00}");
}

TEST(CredentialsTest, StreamOperatorRedacts) {
  std::ostringstream os;
  os << SessionCredentials();
  ExpectRedacted(os.str());
}

TEST(CredentialsTest, AbslStringifyRedacts) {
  StringSink sink;
  AbslStringify(sink, SessionCredentials());
  ExpectRedacted(sink.out);
}

TEST(CredentialsTest, GoogleTestPrinterRedacts) {
  ExpectRedacted(::testing::PrintToString(SessionCredentials()));
}

TEST(CredentialsTest, LongTermCredentialsSayNoToken) {
  Credentials credentials("AKIDEXAMPLE", kSecret);
  EXPECT_FALSE(credentials.has_session_token());
  EXPECT_THAT(credentials.DebugString(), HasSubstr("session_token=<none>"));
  EXPECT_THAT(credentials.DebugString(), HasSubstr("expiration=<never>"));
  EXPECT_THAT(credentials.DebugString(), Not(HasSubstr(kSecret)));
}

TEST(CredentialsTest, AccessorsAndExpiry) {
  Credentials credentials = SessionCredentials();
  EXPECT_EQ(credentials.access_key_id(), "ASIAEXAMPLE");
  EXPECT_EQ(credentials.secret_access_key(), kSecret);
  EXPECT_EQ(credentials.session_token(), kToken);
  const absl::Time expiry = absl::FromUnixSeconds(1440938160);
  EXPECT_FALSE(credentials.IsExpiredAt(expiry - absl::Seconds(1)));
  EXPECT_TRUE(credentials.IsExpiredAt(expiry));
  EXPECT_FALSE(Credentials("A", "s").IsExpiredAt(absl::InfiniteFuture()));
}

TEST(CredentialsTest, MovedFromCredentialsHoldNoSecret) {
  Credentials source = SessionCredentials();
  Credentials target = std::move(source);
  EXPECT_EQ(target.secret_access_key(), kSecret);
  EXPECT_TRUE(source.secret_access_key().empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(source.session_token().empty());      // NOLINT(bugprone-use-after-move)
}

TEST(SecretStringTest, WipeAssignAndMove) {
  SecretString secret("short");  // small-string buffer
  SecretString copy = secret;
  EXPECT_EQ(copy.view(), "short");
  SecretString moved = std::move(secret);
  EXPECT_EQ(moved.view(), "short");
  EXPECT_TRUE(secret.empty());  // NOLINT(bugprone-use-after-move)
  copy = SecretString(std::string(100, 'k'));
  EXPECT_EQ(copy.size(), 100u);
  copy.Wipe();
  EXPECT_TRUE(copy.empty());
}

}  // namespace
}  // namespace awsgw::auth
