// What this binary is: the project's version (CMake's project version) and
// the git revision it was built from, for --version, logs and metrics.
#ifndef AWSGW_GATEWAY_OBSERVABILITY_BUILD_INFO_H_
#define AWSGW_GATEWAY_OBSERVABILITY_BUILD_INFO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace awsgw::gateway::observability {

// "0.1.0".
absl::string_view Version();

// `git describe --always --dirty` of the source tree at build time
// ("0b65147a1c2d", "0b65147a1c2d-dirty"), or "" when it was not a git
// checkout.
absl::string_view Revision();

// "aws-grpc-gateway 0.1.0 (git 0b65147a1c2d)", or without the parenthesis.
std::string VersionLine();

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_BUILD_INFO_H_
