// The one check of an AWS region name, for the configured region and for a
// caller's `x-aws-region` alike: the region is signed into every request and
// names the endpoint host, so nothing but a plausible name may pass.
#ifndef AWSGW_BASE_AWS_REGION_H_
#define AWSGW_BASE_AWS_REGION_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace awsgw::base {

// True for 1-32 lowercase letters, digits and '-', not starting or ending
// with '-' ("us-east-1", "cn-north-1", "us-gov-west-1").
bool IsPlausibleRegion(absl::string_view region);

// The regions of every AWS partition (aws, aws-cn, aws-us-gov, the isolated
// ones and the European Sovereign Cloud) as the SDKs' partition data listed
// them in 2026, sorted. A caller naming a region outside a known set is
// refused before anything is polled or sent: each made-up but plausible
// name would otherwise cost a poller, an endpoint and AWS calls of its own.
// A region newer than this build is allowed by configuration
// (`aws.regions`).
absl::Span<const absl::string_view> KnownAwsRegions();
bool IsKnownAwsRegion(absl::string_view region);

}  // namespace awsgw::base

#endif  // AWSGW_BASE_AWS_REGION_H_
