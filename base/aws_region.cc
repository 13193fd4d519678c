#include "base/aws_region.h"

#include "absl/strings/ascii.h"

namespace awsgw::base {

bool IsPlausibleRegion(absl::string_view region) {
  if (region.empty() || region.size() > 32 || region.front() == '-' || region.back() == '-') {
    return false;
  }
  for (char c : region) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
  }
  return true;
}

}  // namespace awsgw::base
