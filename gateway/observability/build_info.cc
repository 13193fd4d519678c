#include "gateway/observability/build_info.h"

#include "absl/strings/str_cat.h"
#include "awsgw_revision.h"  // written at build time (cmake/WriteRevision.cmake)

namespace awsgw::gateway::observability {

absl::string_view Version() { return AWSGW_VERSION; }

absl::string_view Revision() { return AWSGW_REVISION; }

std::string VersionLine() {
  std::string line = absl::StrCat("aws-grpc-gateway ", Version());
  if (!Revision().empty()) absl::StrAppend(&line, " (git ", Revision(), ")");
  return line;
}

}  // namespace awsgw::gateway::observability
