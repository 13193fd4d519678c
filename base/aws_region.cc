#include "base/aws_region.h"

#include <algorithm>

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

namespace {

// Sorted, for binary search.
constexpr absl::string_view kKnownRegions[] = {
    "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1",  "ap-northeast-2",
    "ap-northeast-3", "ap-south-1",     "ap-south-2",     "ap-southeast-1",  "ap-southeast-2",
    "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",  "ap-southeast-7",
    "ca-central-1",   "ca-west-1",      "cn-north-1",     "cn-northwest-1",  "eu-central-1",
    "eu-central-2",   "eu-isoe-west-1", "eu-north-1",     "eu-south-1",      "eu-south-2",
    "eu-west-1",      "eu-west-2",      "eu-west-3",      "eusc-de-east-1",  "il-central-1",
    "me-central-1",   "me-south-1",     "mx-central-1",   "sa-east-1",       "us-east-1",
    "us-east-2",      "us-gov-east-1",  "us-gov-west-1",  "us-iso-east-1",   "us-iso-west-1",
    "us-isob-east-1", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1", "us-west-1",
    "us-west-2",
};

}  // namespace

absl::Span<const absl::string_view> KnownAwsRegions() { return kKnownRegions; }

bool IsKnownAwsRegion(absl::string_view region) {
  return std::binary_search(std::begin(kKnownRegions), std::end(kKnownRegions), region);
}

}  // namespace awsgw::base
