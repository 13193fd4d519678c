// Caps the memory of every config test process at 8 GiB.
//
// yaml-cpp bugs of the kind gateway/config/yaml_document.h works around loop
// while allocating. Under the cap such a regression is a std::bad_alloc the
// loader reports (and the tests fail on), not a shared build machine driven
// into the OOM killer.
#include <sys/resource.h>

#include "gtest/gtest.h"

constexpr rlim_t kCapBytes = rlim_t{8} << 30;

// GCC says __SANITIZE_ADDRESS__; clang says __has_feature(address_sanitizer).
#if defined(__SANITIZE_ADDRESS__)
#define AWSGW_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AWSGW_ADDRESS_SANITIZER 1
#endif
#endif

#ifdef AWSGW_ADDRESS_SANITIZER
// AddressSanitizer reserves terabytes of address space for its shadow
// memory, so RLIMIT_AS would stop it at start. Its own resident-memory limit
// takes the cap's place: over it, the process ends with a report.
extern "C" const char* __asan_default_options() {
  static_assert(kCapBytes >> 20 == 8192);
  return "hard_rss_limit_mb=8192";
}
#else
namespace {

class MemoryCap : public testing::Environment {
 public:
  void SetUp() override {
    const rlimit cap{kCapBytes, kCapBytes};
    ASSERT_EQ(setrlimit(RLIMIT_AS, &cap), 0);
  }
};

const testing::Environment* const kMemoryCap = testing::AddGlobalTestEnvironment(new MemoryCap);

}  // namespace
#endif
