// Unit tests for SHA-256 / HMAC-SHA256 against published vectors
// (FIPS 180-2 examples and RFC 4231).
#include "auth/crypto.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

std::vector<uint8_t> Bytes(const std::string& s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

TEST(CryptoTest, Sha256Vectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(CryptoTest, HmacRfc4231Case1) {
  std::vector<uint8_t> key(20, 0x0b);
  EXPECT_EQ(HexEncode(HmacSha256(key, "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(CryptoTest, HmacRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256(Bytes("Jefe"), "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HmacRfc4231Case6KeyLongerThanBlock) {
  std::vector<uint8_t> key(131, 0xaa);
  EXPECT_EQ(HexEncode(HmacSha256(key, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(CryptoTest, HmacEmptyKeyAndMessage) {
  EXPECT_EQ(HexEncode(HmacSha256({}, "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(CryptoTest, HexIsLowercase) {
  const uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(HexEncode(bytes), "000fa5ff");
  std::string out = "x";
  AppendHex(bytes, out);
  EXPECT_EQ(out, "x000fa5ff");
}

}  // namespace
}  // namespace awsgw::auth
