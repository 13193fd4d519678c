// Unit tests for stage 1 of SigV4, the canonical request.
#include "auth/canonical_request.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

using ::testing::HasSubstr;

constexpr char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string Uri(absl::string_view path, bool normalize = true, bool double_encode = true) {
  absl::StatusOr<std::string> uri = CanonicalUri(path, normalize, double_encode);
  return uri.ok() ? *uri : "<error: " + uri.status().ToString() + ">";
}

TEST(CanonicalUriTest, DoubleEncodesTheWirePath) {
  EXPECT_EQ(Uri("/x/a%2Fb"), "/x/a%252Fb");  // restJson1 label "a/b"
  EXPECT_EQ(Uri("/example space/"), "/example%20space/");
  EXPECT_EQ(Uri("/\xE1\x88\xB4"), "/%E1%88%B4");
  EXPECT_EQ(Uri("/example/$delete"), "/example/%24delete");
  EXPECT_EQ(Uri("/-._~azAZ09"), "/-._~azAZ09");
}

TEST(CanonicalUriTest, SingleEncodingUsesTheWirePathAsIs) {
  EXPECT_EQ(Uri("/x/a%2Fb", true, false), "/x/a%2Fb");
  EXPECT_EQ(Uri("//a/./b", false, false), "//a/./b");
}

TEST(CanonicalUriTest, NormalizationIsOptional) {
  EXPECT_EQ(Uri("//example//"), "/example/");
  EXPECT_EQ(Uri("//example//", false), "//example//");
  EXPECT_EQ(Uri("/example1/example2/../.."), "/");
  EXPECT_EQ(Uri("/example1/example2/../..", false), "/example1/example2/../..");
  EXPECT_EQ(Uri(""), "/");
}

TEST(CanonicalUriTest, RejectsRelativePaths) {
  EXPECT_EQ(CanonicalUri("a/b", true, true).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CanonicalUri("*", false, false).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CanonicalQueryTest, SortsByEncodedKeyThenValue) {
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("Param-3=Value3&Param=Value2&%E1%88%B4=Value1")),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("Param1=value2&Param1=Value1")),
            "Param1=Value1&Param1=value2");
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("b=1&B=2&a=3")), "B=2&a=3&b=1");
}

TEST(CanonicalQueryTest, RawAndEncodedInputAgree) {
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("\xE1\x88\xB4=bar")),
            CanonicalQueryString(ParseQueryString("%E1%88%B4=bar")));
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("k=a b")), "k=a%20b");
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("k=a%20b")), "k=a%20b");
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("k=a+b")), "k=a%2Bb");
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("k=%7e%2f")), "k=~%2F");
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("flag&empty=")), "empty=&flag=");
}

TEST(CanonicalQueryTest, LeavesOutTheExcludedKey) {
  EXPECT_EQ(CanonicalQueryString(ParseQueryString("a=1&X-Amz-Signature=ff&b=2"), "X-Amz-Signature"),
            "a=1&b=2");
}

TEST(CanonicalHeaderValueTest, TrimsAndCollapses) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"value1", "value1"},
      {"  value1  ", "value1"},
      {"\"a   b   c\"", "\"a b c\""},
      {"a\t\t b", "a b"},
      {"", ""},
      {" \t ", ""},
      {"x", "x"},
      {"value1 value2   value3", "value1 value2 value3"}};
  for (const auto& [in, out] : cases) {
    std::string result;
    EXPECT_TRUE(AppendCanonicalHeaderValue(in, result));
    EXPECT_EQ(result, out) << "input '" << in << "'";
  }
}

TEST(CanonicalHeaderValueTest, RejectsLineBreaksAndNul) {
  for (const std::string& bad : {std::string("a\r\nb"), std::string("a\nb"), std::string("\r"),
                                 std::string("a  \n"), std::string("a\0b", 3)}) {
    std::string result;
    EXPECT_FALSE(AppendCanonicalHeaderValue(bad, result)) << bad;
  }
}

HttpRequest BaseRequest() {
  HttpRequest request;
  request.method = "GET";
  request.path = "/";
  request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  return request;
}

TEST(BuildCanonicalRequestTest, VanillaMatchesTheSuite) {
  absl::StatusOr<CanonicalRequest> canonical = BuildCanonicalRequest(BaseRequest(), kEmptyHash, {});
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  EXPECT_EQ(canonical->text,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n" +
                std::string(kEmptyHash));
  EXPECT_EQ(canonical->signed_headers, "host;x-amz-date");
}

TEST(BuildCanonicalRequestTest, RepeatedHeadersJoinInOrderAndNamesLowercase) {
  HttpRequest request = BaseRequest();
  request.headers.push_back({"My-Header1", "value4"});
  request.headers.push_back({"my-header1", " value1 "});
  request.headers.push_back({"MY-HEADER1", "value3"});
  request.headers.push_back({"A-First", "z"});
  absl::StatusOr<CanonicalRequest> canonical = BuildCanonicalRequest(request, kEmptyHash, {});
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  EXPECT_THAT(canonical->text, HasSubstr("\na-first:z\nhost:example.amazonaws.com\n"
                                         "my-header1:value4,value1,value3\nx-amz-date:"));
  EXPECT_EQ(canonical->signed_headers, "a-first;host;my-header1;x-amz-date");
}

TEST(BuildCanonicalRequestTest, NeverSignedHeadersAreLeftOut) {
  HttpRequest request = BaseRequest();
  request.headers.push_back({"User-Agent", "aws-sdk"});
  request.headers.push_back({"X-Amzn-Trace-Id", "Root=1"});
  request.headers.push_back({"Expect", "100-continue"});
  request.headers.push_back({"Authorization", "old"});
  absl::StatusOr<CanonicalRequest> canonical = BuildCanonicalRequest(request, kEmptyHash, {});
  ASSERT_TRUE(canonical.ok());
  EXPECT_EQ(canonical->signed_headers, "host;x-amz-date");
  EXPECT_EQ(SignedHeaderList(request.headers), "host;x-amz-date");
}

TEST(BuildCanonicalRequestTest, ExplicitSignedHeadersSelectExactlyThose) {
  HttpRequest request = BaseRequest();
  request.headers.push_back({"X-Unsigned", "added by a proxy"});
  request.headers.push_back({"User-Agent", "signed by this client"});
  const std::vector<std::string> names = {"host", "user-agent", "x-amz-date"};
  CanonicalRequestOptions options;
  options.signed_headers = std::span<const std::string>(names);
  absl::StatusOr<CanonicalRequest> canonical = BuildCanonicalRequest(request, kEmptyHash, options);
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  EXPECT_EQ(canonical->signed_headers, "host;user-agent;x-amz-date");
  EXPECT_THAT(canonical->text, HasSubstr("user-agent:signed by this client\n"));
  EXPECT_THAT(canonical->text, ::testing::Not(HasSubstr("x-unsigned")));
}

TEST(BuildCanonicalRequestTest, ExplicitSignedHeaderMustBePresent) {
  const std::vector<std::string> names = {"host", "x-amz-date", "x-missing"};
  CanonicalRequestOptions options;
  options.signed_headers = std::span<const std::string>(names);
  EXPECT_EQ(BuildCanonicalRequest(BaseRequest(), kEmptyHash, options).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(BuildCanonicalRequestTest, ExplicitSignedHeadersMustBeSortedLowercase) {
  for (const std::vector<std::string>& names :
       {std::vector<std::string>{"x-amz-date", "host"}, std::vector<std::string>{"Host"},
        std::vector<std::string>{"host", "host"}, std::vector<std::string>{},
        std::vector<std::string>{"ho st"}}) {
    CanonicalRequestOptions options;
    options.signed_headers = std::span<const std::string>(names);
    EXPECT_EQ(BuildCanonicalRequest(BaseRequest(), kEmptyHash, options).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST(BuildCanonicalRequestTest, RejectsInvalidInput) {
  HttpRequest bad_name = BaseRequest();
  bad_name.headers.push_back({"Bad Name", "x"});
  HttpRequest bad_value = BaseRequest();
  bad_value.headers.push_back({"X-Injected", "a\r\nEvil: 1"});
  HttpRequest bad_method = BaseRequest();
  bad_method.method = "GE T";
  HttpRequest empty_method = BaseRequest();
  empty_method.method = "";
  HttpRequest bad_path = BaseRequest();
  bad_path.path = "relative";
  for (const HttpRequest& request : {bad_name, bad_value, bad_method, empty_method, bad_path}) {
    EXPECT_EQ(BuildCanonicalRequest(request, kEmptyHash, {}).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(BuildCanonicalRequest(BaseRequest(), "", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildCanonicalRequest(BaseRequest(), "ab\ncd", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BuildCanonicalRequestTest, UsesGivenPayloadHashVerbatim) {
  absl::StatusOr<CanonicalRequest> canonical =
      BuildCanonicalRequest(BaseRequest(), kUnsignedPayload, {});
  ASSERT_TRUE(canonical.ok());
  EXPECT_THAT(canonical->text, ::testing::EndsWith("\nhost;x-amz-date\nUNSIGNED-PAYLOAD"));
}

}  // namespace
}  // namespace awsgw::auth
