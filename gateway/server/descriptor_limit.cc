#include "gateway/server/descriptor_limit.h"

#include <sys/resource.h>

#include <algorithm>

namespace awsgw::gateway::server {

int64_t RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? int64_t{1} << 20 : static_cast<int64_t>(limit.rlim_cur);
}

int64_t ConnectionCapFor(int64_t configured, int64_t descriptors) {
  const int64_t spare = std::max<int64_t>(128, descriptors / 4);
  return std::max<int64_t>(1, std::min(configured, descriptors - spare));
}

}  // namespace awsgw::gateway::server
