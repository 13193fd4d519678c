// Unit tests for stage 2 of SigV4 (credential scope, string to sign) and the
// SigV4 date formats.
#include "auth/string_to_sign.h"

#include <random>
#include <vector>

#include "auth/sigv4_time.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

absl::Time SuiteTime() {
  return absl::FromCivil(absl::CivilSecond(2015, 8, 30, 12, 36, 0), absl::UTCTimeZone());
}

TEST(Sigv4TimeTest, Formats) {
  EXPECT_EQ(FormatAmzDate(SuiteTime()), "20150830T123600Z");
  EXPECT_EQ(FormatAmzDate(SuiteTime() + absl::Milliseconds(999)), "20150830T123600Z");
  EXPECT_EQ(FormatScopeDate(SuiteTime()), "20150830");
  EXPECT_EQ(FormatAmzDate(absl::UnixEpoch()), "19700101T000000Z");
  EXPECT_EQ(FormatAmzDate(
                absl::FromCivil(absl::CivilSecond(2030, 12, 31, 23, 59, 59), absl::UTCTimeZone())),
            "20301231T235959Z");
}

TEST(Sigv4TimeTest, FormatAgreesWithAbslAcrossTheCalendar) {
  // FormatAmzDate does its own civil-date arithmetic; absl is the oracle.
  std::mt19937_64 rng(42);
  std::vector<absl::Time> times = {absl::FromUnixSeconds(-1), absl::FromUnixMillis(-500),
                                   absl::FromUnixSeconds(951782400),      // 2000-02-29
                                   absl::FromUnixSeconds(4107542399),     // 2100-02-28T23:59:59
                                   absl::FromUnixSeconds(253402300799)};  // 9999-12-31T23:59:59
  for (int i = 0; i < 20000; ++i) {
    // Years 1000-9999 (absl's %Y does not zero-pad earlier years).
    times.push_back(
        absl::FromUnixSeconds(-30610224000 + static_cast<int64_t>(rng() % 284012524800)) +
        absl::Milliseconds(rng() % 1000));
  }
  for (absl::Time time : times) {
    ASSERT_EQ(FormatAmzDate(time), absl::FormatTime("%Y%m%dT%H%M%SZ", time, absl::UTCTimeZone()))
        << time;
  }
  EXPECT_EQ(FormatAmzDate(absl::FromUnixSeconds(-62135596800)), "00010101T000000Z");
}

TEST(Sigv4TimeTest, ParsesStrictly) {
  absl::StatusOr<absl::Time> time = ParseAmzDate("20150830T123600Z");
  ASSERT_TRUE(time.ok());
  EXPECT_EQ(*time, SuiteTime());
  for (const char* bad : {"", "20150830", "20150830T123600", "20150830t123600Z", "20150830T123600z",
                          "2015-08-30T12:36:00Z", "20151330T123600Z", "20150230T123600Z",
                          "20150830T253600Z", "20150830T126000Z", "2015083OT123600Z",
                          "20150830T123600ZZ", " 20150830T123600Z", "+0150830T123600Z"}) {
    EXPECT_EQ(ParseAmzDate(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(Sigv4TimeTest, ParsesHttpDate) {
  absl::StatusOr<absl::Time> time = ParseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT");
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(*time, SuiteTime());
  EXPECT_FALSE(ParseHttpDate("30 Aug 2015 12:36:00").ok());
  EXPECT_FALSE(ParseHttpDate("20150830T123600Z").ok());
}

TEST(CredentialScopeTest, ToString) {
  CredentialScope scope = MakeCredentialScope(SuiteTime(), "us-east-1", "service");
  EXPECT_EQ(scope.date, "20150830");
  EXPECT_EQ(scope.ToString(), "20150830/us-east-1/service/aws4_request");
}

TEST(StringToSignTest, MatchesTheSuiteVanillaCase) {
  // get-vanilla from the AWS SigV4 test suite.
  const char* canonical =
      "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  EXPECT_EQ(
      BuildStringToSign(canonical, "20150830T123600Z", "20150830/us-east-1/service/aws4_request"),
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
      "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}

}  // namespace
}  // namespace awsgw::auth
