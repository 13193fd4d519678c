// ApiKeyTable and ParseSha256Hex.
#include "auth/identity/api_keys.h"

#include "auth/crypto.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

ApiKeyEntry Entry(absl::string_view key, std::string principal,
                  std::vector<std::string> groups = {}) {
  return ApiKeyEntry{Sha256(key), std::move(principal), std::move(groups)};
}

TEST(ParseSha256HexTest, AcceptsEitherCase) {
  // SHA-256("test")
  const std::string lower = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  std::string upper = lower;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  absl::StatusOr<std::array<uint8_t, 32>> a = ParseSha256Hex(lower);
  absl::StatusOr<std::array<uint8_t, 32>> b = ParseSha256Hex(upper);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, Sha256("test"));
  EXPECT_EQ(*b, Sha256("test"));
}

TEST(ParseSha256HexTest, RefusesBadHex) {
  const std::string good = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  EXPECT_FALSE(ParseSha256Hex("").ok());
  EXPECT_FALSE(ParseSha256Hex(good.substr(1)).ok());
  EXPECT_FALSE(ParseSha256Hex(good + "0").ok());
  std::string bad = good;
  bad[10] = 'g';
  absl::StatusOr<std::array<uint8_t, 32>> parsed = ParseSha256Hex(bad);
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), Not(HasSubstr(bad)));
  bad[10] = ' ';
  EXPECT_FALSE(ParseSha256Hex(bad).ok());
}

TEST(ApiKeyTableTest, FindsTheMatchingKey) {
  absl::StatusOr<ApiKeyTable> table =
      ApiKeyTable::Create({Entry("key-one", "one"), Entry("key-two", "two", {"builders", "ops"}),
                           Entry("key-three", "three")});
  ASSERT_TRUE(table.ok()) << table.status();
  AuthOutcome two = table->Lookup("key-two");
  ASSERT_TRUE(two.ok()) << two.failure.message;
  EXPECT_EQ(two.identity->principal, "two");
  EXPECT_THAT(two.identity->groups, ElementsAre("builders", "ops"));
  EXPECT_EQ(two.identity->method, AuthMethod::kApiKey);
  EXPECT_EQ(table->Lookup("key-three").identity->principal, "three");
  EXPECT_EQ(table->Lookup("key-one").identity->principal, "one");
}

TEST(ApiKeyTableTest, RefusesUnknownEmptyAndOversizedKeys) {
  absl::StatusOr<ApiKeyTable> table = ApiKeyTable::Create({Entry("secret-key", "svc")});
  ASSERT_TRUE(table.ok());
  for (const std::string& key :
       {std::string("secret-kez"), std::string("secret-key "), std::string("SECRET-KEY"),
        std::string(""), std::string(kMaxApiKeyBytes + 1, 'k')}) {
    AuthOutcome outcome = table->Lookup(key);
    ASSERT_FALSE(outcome.ok()) << key;
    EXPECT_EQ(outcome.failure.reason, failure_reason::kUnknownApiKey);
    if (!key.empty()) {
      EXPECT_THAT(outcome.failure.message, Not(HasSubstr(key)));
    }
  }
  // A key of exactly the bound is hashed and compared.
  const std::string longest(kMaxApiKeyBytes, 'k');
  absl::StatusOr<ApiKeyTable> long_table = ApiKeyTable::Create({Entry(longest, "long")});
  ASSERT_TRUE(long_table.ok());
  EXPECT_TRUE(long_table->Lookup(longest).ok());
}

TEST(ApiKeyTableTest, RefusesBadConfiguration) {
  EXPECT_FALSE(ApiKeyTable::Create({}).ok());
  EXPECT_FALSE(ApiKeyTable::Create({Entry("k", "")}).ok());
  EXPECT_FALSE(ApiKeyTable::Create({Entry("k", "a"), Entry("k", "b")}).ok());
}

}  // namespace
}  // namespace awsgw::auth::identity
