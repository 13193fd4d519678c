#include "base/uuid.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"

namespace awsgw::base {
namespace {

TEST(RandomUuidTest, IsVersion4AndUnique) {
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string uuid = RandomUuid();
    ASSERT_EQ(uuid.size(), 36u);
    EXPECT_EQ(uuid[14], '4');
    EXPECT_TRUE(uuid[19] == '8' || uuid[19] == '9' || uuid[19] == 'a' || uuid[19] == 'b');
    EXPECT_TRUE(seen.insert(uuid).second);
  }
}

}  // namespace
}  // namespace awsgw::base
