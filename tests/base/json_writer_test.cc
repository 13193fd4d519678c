// JSON as the AWS services write it: numbers, NaN and escapes.
#include "base/json_writer.h"

#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace awsgw::base {
namespace {

TEST(Utf8Test, AcceptsWellFormedAndRefusesTheRest) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € emoji
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // cut short
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("ok\x80"));            // a lone continuation byte
}

TEST(JsonWriterTest, WritesNumbersAndStringsAsAwsDoes) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("a");
  w.Double(1.0);
  w.Key("b");
  w.Double(0.1);
  w.Key("c");
  w.Double(std::numeric_limits<double>::quiet_NaN());
  w.Key("d");
  w.Int(9007199254740993);
  w.Key("e\n");
  w.String("q\"\\\x01\xE2\x98\x83");
  w.Key("f");
  w.BeginArray();
  w.Bool(true);
  w.Null();
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(out,
            "{\"a\":1,\"b\":0.1,\"c\":\"NaN\",\"d\":9007199254740993,\"e\\n\":"
            "\"q\\\"\\\\\\u0001\xE2\x98\x83\",\"f\":[true,null]}");
  EXPECT_EQ(FormatFloat(1.1f), "1.1");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "-Infinity");
}

}  // namespace
}  // namespace awsgw::base
