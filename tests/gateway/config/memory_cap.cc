// Caps the address space of every config test process at 8 GiB.
//
// yaml-cpp bugs of the kind gateway/config/yaml_document.h works around loop
// while allocating. Under the cap such a regression is a std::bad_alloc the
// loader reports (and the tests fail on), not a shared build machine driven
// into the OOM killer.
#include <sys/resource.h>

#include "gtest/gtest.h"

namespace {

class MemoryCap : public testing::Environment {
 public:
  void SetUp() override {
    constexpr rlim_t kCap = rlim_t{8} << 30;
    const rlimit cap{kCap, kCap};
    ASSERT_EQ(setrlimit(RLIMIT_AS, &cap), 0);
  }
};

const testing::Environment* const kMemoryCap = testing::AddGlobalTestEnvironment(new MemoryCap);

}  // namespace
