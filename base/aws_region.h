// The one check of an AWS region name, for the configured region and for a
// caller's `x-aws-region` alike: the region is signed into every request and
// names the endpoint host, so nothing but a plausible name may pass.
#ifndef AWSGW_BASE_AWS_REGION_H_
#define AWSGW_BASE_AWS_REGION_H_

#include "absl/strings/string_view.h"

namespace awsgw::base {

// True for 1-32 lowercase letters, digits and '-', not starting or ending
// with '-' ("us-east-1", "cn-north-1", "us-gov-west-1").
bool IsPlausibleRegion(absl::string_view region);

}  // namespace awsgw::base

#endif  // AWSGW_BASE_AWS_REGION_H_
