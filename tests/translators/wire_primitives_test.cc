// Timestamps, percent-encoding, URI templates and header lists.
#include "gtest/gtest.h"
#include "http/uri_encoding.h"
#include "translators/timestamp_format.h"
#include "translators/uri_template.h"
#include "translators/wire_values.h"

namespace awsgw::translators {
namespace {

google::protobuf::Timestamp Ts(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(seconds);
  ts.set_nanos(nanos);
  return ts;
}

TEST(TimestampFormatTest, FormatsTheThreeForms) {
  EXPECT_EQ(FormatTimestamp(Ts(1576540098), TIMESTAMP_FORMAT_ISO8601), "2019-12-16T23:48:18Z");
  EXPECT_EQ(FormatTimestamp(Ts(1576540098, 123000000), TIMESTAMP_FORMAT_ISO8601),
            "2019-12-16T23:48:18.123000Z");
  EXPECT_EQ(FormatTimestamp(Ts(1576540098), TIMESTAMP_FORMAT_RFC822),
            "Mon, 16 Dec 2019 23:48:18 GMT");
  EXPECT_EQ(FormatTimestamp(Ts(1576540098, 500000000), TIMESTAMP_FORMAT_UNIX), "1576540098.5");
  EXPECT_EQ(FormatTimestamp(Ts(-2, 500000000), TIMESTAMP_FORMAT_UNIX), "-1.5");
}

TEST(TimestampFormatTest, ParsesEveryFormWithOffsetsAndFractions) {
  for (const char* text : {"1576540098", "1576540098.0", "2019-12-16T23:48:18Z",
                           "2019-12-16T22:48:18-01:00", "Mon, 16 Dec 2019 23:48:18 GMT"}) {
    auto ts = ParseTimestamp(text);
    ASSERT_TRUE(ts.ok()) << text << ": " << ts.status();
    EXPECT_EQ(ts->seconds(), 1576540098) << text;
  }
  auto fractional = ParseTimestamp("2019-12-16T23:48:18.123Z");
  ASSERT_TRUE(fractional.ok());
  EXPECT_EQ(fractional->nanos(), 123000000);
  EXPECT_FALSE(ParseTimestamp("yesterday").ok());
  EXPECT_FALSE(ParseTimestamp("").ok());
  EXPECT_FALSE(ParseTimestamp("1e300").ok());
}

TEST(TimestampFormatTest, DefaultsDependOnLocation) {
  EXPECT_EQ(EffectiveFormat(TIMESTAMP_FORMAT_DEFAULT, LOCATION_BODY), TIMESTAMP_FORMAT_UNIX);
  EXPECT_EQ(EffectiveFormat(TIMESTAMP_FORMAT_DEFAULT, LOCATION_HEADER), TIMESTAMP_FORMAT_RFC822);
  EXPECT_EQ(EffectiveFormat(TIMESTAMP_FORMAT_DEFAULT, LOCATION_QUERYSTRING),
            TIMESTAMP_FORMAT_ISO8601);
  EXPECT_EQ(EffectiveFormat(TIMESTAMP_FORMAT_ISO8601, LOCATION_HEADER), TIMESTAMP_FORMAT_ISO8601);
}

TEST(PercentEncodingTest, KeepsOnlyUnreservedAndOptionallySlash) {
  EXPECT_EQ(http::UriEncode("a b/c~d"), "a%20b%2Fc~d");
  EXPECT_EQ(http::UriEncode("a b/c", /*keep_slash=*/true), "a%20b/c");
  EXPECT_EQ(http::UriEncode("\xE1\x88\xB4"), "%E1%88%B4");
  EXPECT_EQ(*http::UriDecodeStrict("a%20b%2fc+d"), "a b/c+d");
  EXPECT_FALSE(http::UriDecodeStrict("bad%2").ok());
  EXPECT_FALSE(http::UriDecodeStrict("bad%zz").ok());
}

TEST(UriTemplateTest, ExpandsLabelsSoValuesCannotChangeThePath) {
  auto t = UriTemplate::Parse("/apps/{appId}/files/{Path+}?x-id=Get");
  ASSERT_TRUE(t.ok());
  auto path = t->Expand({{"appId", "../x"}, {"Path", "a b/c"}});
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, "/apps/..%2Fx/files/a%20b/c");
  ASSERT_EQ(t->constant_query().size(), 1u);
  EXPECT_EQ(t->constant_query()[0].key, "x-id");
  EXPECT_FALSE(t->Expand({{"appId", ""}, {"Path", "p"}}).ok());
  EXPECT_FALSE(t->Expand({{"Path", "p"}}).ok());
}

TEST(UriTemplateTest, DotSegmentsCannotBeLabelValues) {
  auto t = UriTemplate::Parse("/apps/{appId}/files/{Path+}");
  ASSERT_TRUE(t.ok());
  for (const char* dots : {".", ".."}) {
    EXPECT_FALSE(t->Expand({{"appId", dots}, {"Path", "p"}}).ok()) << dots;
    EXPECT_FALSE(t->Expand({{"appId", "a"}, {"Path", dots}}).ok()) << dots;
  }
  // A greedy label keeps '/', so its inner segments count; a plain one
  // encodes '/', so "a/.." is one harmless segment there.
  EXPECT_FALSE(t->Expand({{"appId", "a"}, {"Path", "x/../y"}}).ok());
  EXPECT_FALSE(t->Expand({{"appId", "a"}, {"Path", "x/."}}).ok());
  auto path = t->Expand({{"appId", "a/.."}, {"Path", "x/..y/z."}});
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(*path, "/apps/a%2F../files/x/..y/z.");
  EXPECT_TRUE(t->IsGreedy("Path"));
  EXPECT_FALSE(t->IsGreedy("appId"));
}

TEST(UriTemplateTest, MatchesAndDecodesLabels) {
  auto t = UriTemplate::Parse("/apps/{appId}/files/{Path+}");
  ASSERT_TRUE(t.ok());
  auto labels = t->Match("/apps/my%20app/files/a/b/c");
  ASSERT_TRUE(labels.has_value());
  EXPECT_EQ(labels->at("appId"), "my app");
  EXPECT_EQ(labels->at("Path"), "a/b/c");
  EXPECT_FALSE(t->Match("/apps//files/x").has_value());
  EXPECT_FALSE(t->Match("/apps/a/b/files/x").has_value());
  EXPECT_FALSE(t->Match("/other").has_value());
}

TEST(UriTemplateTest, RejectsMalformedTemplates) {
  EXPECT_FALSE(UriTemplate::Parse("/a/{b").ok());
  EXPECT_FALSE(UriTemplate::Parse("/a/b}").ok());
  EXPECT_FALSE(UriTemplate::Parse("/a/{}").ok());
}

TEST(HeaderListTest, QuotesAndSplits) {
  const std::string joined = JoinHeaderList({"a", "b,c", "\"d\""}, /*quote_items=*/true);
  EXPECT_EQ(joined, R"(a, "b,c", "\"d\"")");
  EXPECT_EQ(SplitHeaderList(joined, false), (std::vector<std::string>{"a", "b,c", "\"d\""}));
  EXPECT_EQ(
      SplitHeaderList("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT", true),
      (std::vector<std::string>{"Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"}));
}

}  // namespace
}  // namespace awsgw::translators
