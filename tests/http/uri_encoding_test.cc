// Unit tests for SigV4 percent-encoding, decoding and path normalization.
#include "http/uri_encoding.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::http {
namespace {

TEST(UriEncodingTest, UnreservedSetIsExactlyRfc3986) {
  std::string unreserved;
  for (int c = 0; c < 256; ++c) {
    if (http::IsUnreserved(static_cast<unsigned char>(c)))
      unreserved.push_back(static_cast<char>(c));
  }
  EXPECT_EQ(unreserved, "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~");
}

TEST(UriEncodingTest, EncodesEveryOtherByteAsUppercaseHex) {
  for (int c = 0; c < 256; ++c) {
    std::string in(1, static_cast<char>(c));
    std::string out = http::UriEncode(in);
    if (http::IsUnreserved(static_cast<unsigned char>(c))) {
      EXPECT_EQ(out, in);
    } else {
      char expected[4];
      std::snprintf(expected, sizeof(expected), "%%%02X", c);
      EXPECT_EQ(out, expected) << "byte " << c;
    }
  }
}

TEST(UriEncodingTest, SpaceSlashAndUtf8) {
  EXPECT_EQ(http::UriEncode("a b"), "a%20b");
  EXPECT_EQ(http::UriEncode("a+b"), "a%2Bb");
  EXPECT_EQ(http::UriEncode("/a/b"), "%2Fa%2Fb");
  EXPECT_EQ(http::UriEncode("/a/b", /*keep_slash=*/true), "/a/b");
  EXPECT_EQ(http::UriEncode("\xE1\x88\xB4"), "%E1%88%B4");
  EXPECT_EQ(http::UriEncode("%2F", true), "%252F");  // double encoding of a wire escape
}

TEST(UriEncodingTest, DecodesLeniently) {
  EXPECT_EQ(http::UriDecode("%E1%88%B4"), "\xE1\x88\xB4");
  EXPECT_EQ(http::UriDecode("%e1%88%b4"), "\xE1\x88\xB4");
  EXPECT_EQ(http::UriDecode("a+b"), "a+b");  // '+' is not a space in SigV4
  EXPECT_EQ(http::UriDecode("%20"), " ");
  EXPECT_EQ(http::UriDecode("100%"), "100%");
  EXPECT_EQ(http::UriDecode("%4"), "%4");
  EXPECT_EQ(http::UriDecode("%zz%4g"), "%zz%4g");
  EXPECT_EQ(http::UriDecode("%%41"), "%A");
  EXPECT_EQ(http::UriDecode(""), "");
}

TEST(UriEncodingTest, DecodesStrictlyWhatTheEmulatorReceives) {
  EXPECT_EQ(*http::UriDecodeStrict("a%20b%2fc+d"), "a b/c+d");  // '+' stays '+'
  EXPECT_EQ(*http::UriDecodeStrict("abc%41"), "abcA");          // an escape at the end
  EXPECT_EQ(*http::UriDecodeStrict(""), "");
  for (absl::string_view bad : {"%", "%4", "100%", "%zz", "%4g", "%%41", "a%2"}) {
    absl::StatusOr<std::string> decoded = http::UriDecodeStrict(bad);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    if (!decoded.ok()) {
      EXPECT_THAT(decoded.status().message(), testing::HasSubstr("percent-escape"));
    }
  }
}

TEST(UriEncodingTest, DecodeInvertsEncodeForRandomBytes) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(rng() % 32, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 256);
    ASSERT_EQ(http::UriDecode(http::UriEncode(bytes)), bytes);
  }
}

struct NormalizeCase {
  const char* in;
  const char* out;
};

class NormalizePathTest : public ::testing::TestWithParam<NormalizeCase> {};

TEST_P(NormalizePathTest, Normalizes) {
  EXPECT_EQ(http::NormalizePath(GetParam().in), GetParam().out);
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizePathTest,
    ::testing::Values(NormalizeCase{"", "/"}, NormalizeCase{"/", "/"}, NormalizeCase{"//", "/"},
                      NormalizeCase{"/a/b", "/a/b"}, NormalizeCase{"/a/b/", "/a/b/"},
                      NormalizeCase{"//example//", "/example/"}, NormalizeCase{"/./", "/"},
                      NormalizeCase{"/./example", "/example"}, NormalizeCase{"/example/..", "/"},
                      NormalizeCase{"/example/../", "/"},
                      NormalizeCase{"/example1/example2/../..", "/"},
                      NormalizeCase{"/../../a", "/a"}, NormalizeCase{"/a/./b/../c/", "/a/c/"},
                      NormalizeCase{"/a/.", "/a"}, NormalizeCase{"/a/%2E%2E/b", "/a/%2E%2E/b"},
                      NormalizeCase{"/...", "/..."}));

}  // namespace
}  // namespace awsgw::http
