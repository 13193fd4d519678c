// Unit tests for the HttpRequest model helpers.
#include "auth/http_request.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

using ::testing::ElementsAre;

TEST(HttpHeadersTest, LookupIsCaseInsensitiveAndOrdered) {
  HttpHeaders headers = {{"Host", "h"}, {"X-Foo", "1"}, {"x-foo", "2"}, {"Other", "3"}};
  ASSERT_NE(FindHeader(headers, "x-FOO"), nullptr);
  EXPECT_EQ(FindHeader(headers, "x-FOO")->value, "1");
  EXPECT_EQ(CountHeaders(headers, "X-FOO"), 2);
  EXPECT_EQ(FindHeader(headers, "missing"), nullptr);
  RemoveHeaders(headers, "X-FOO");
  EXPECT_THAT(headers, ElementsAre(HttpHeader{"Host", "h"}, HttpHeader{"Other", "3"}));
  SetHeader(headers, "host", "new");
  EXPECT_THAT(headers, ElementsAre(HttpHeader{"Other", "3"}, HttpHeader{"host", "new"}));
}

TEST(QueryStringTest, SplitsWithoutDecoding) {
  EXPECT_THAT(ParseQueryString("a=1&b=%20x&a=2"),
              ElementsAre(QueryParam{"a", "1"}, QueryParam{"b", "%20x"}, QueryParam{"a", "2"}));
  EXPECT_THAT(ParseQueryString("flag&k="),
              ElementsAre(QueryParam{"flag", ""}, QueryParam{"k", ""}));
  EXPECT_THAT(ParseQueryString("a=b=c"), ElementsAre(QueryParam{"a", "b=c"}));
  EXPECT_THAT(ParseQueryString("&&a=1&&"), ElementsAre(QueryParam{"a", "1"}));
  EXPECT_TRUE(ParseQueryString("").empty());
  EXPECT_EQ(FormatQueryString(ParseQueryString("a=1&b=&c=%2F")), "a=1&b=&c=%2F");
  const QueryParams query = ParseQueryString("a=1&b=2&a=3");
  EXPECT_EQ(CountQueryParams(query, "a"), 2);
  EXPECT_EQ(FindQueryParam(query, "b")->value, "2");
  EXPECT_EQ(FindQueryParam(query, "A"), nullptr);  // query keys are case-sensitive
}

TEST(RequestTargetTest, SplitsAndJoins) {
  HttpRequest request;
  SetRequestTarget(request, "/a%20b/c?x=1&y");
  EXPECT_EQ(request.path, "/a%20b/c");
  EXPECT_THAT(request.query, ElementsAre(QueryParam{"x", "1"}, QueryParam{"y", ""}));
  EXPECT_EQ(RequestTarget(request), "/a%20b/c?x=1&y=");
  SetRequestTarget(request, "/only");
  EXPECT_TRUE(request.query.empty());
  EXPECT_EQ(RequestTarget(request), "/only");
}

}  // namespace
}  // namespace awsgw::auth
