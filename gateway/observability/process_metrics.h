// The standard series every Prometheus client library exports about its
// process (process_cpu_seconds_total, process_resident_memory_bytes, ...),
// read from /proc at scrape time, and awsgw_build_info{version,revision}:
// what dashboards and alerts built for any service expect to find.
#ifndef AWSGW_GATEWAY_OBSERVABILITY_PROCESS_METRICS_H_
#define AWSGW_GATEWAY_OBSERVABILITY_PROCESS_METRICS_H_

#include <cstdint>

#include "gateway/observability/metrics_registry.h"

namespace awsgw::gateway::observability {

// The resident memory of this process, in bytes (0 if it cannot be read);
// the memory monitor samples it too.
int64_t ResidentBytes();

// process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds,
// process_start_time_seconds, as the Prometheus clients define them.
void RegisterProcessMetrics(Registry& registry);

// awsgw_build_info{version="0.1.0",revision="0b65147a1c2d"} 1.
void RegisterBuildInfo(Registry& registry);

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_PROCESS_METRICS_H_
