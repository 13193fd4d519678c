// The watch engine's metrics (all prefixed awsgw_watch_):
//
//   watchers                       open watch streams (gauge)
//   pollers                        pollers running (gauge): one per watched
//                                  resource, or per batch (ECS cluster)
//   resources                      distinct watched resources (gauge)
//   coalescing_ratio               watchers per poller (gauge): how many
//                                  streams each AWS poll serves on average
//   polls_total{service,method}    AWS calls made by pollers
//   poll_errors_total{service,method,code}  polls that failed
//   updates_total{kind}            updates written to streams
//
// Labels hold proto names only, never request values.
#ifndef AWSGW_GATEWAY_WATCH_WATCH_METRICS_H_
#define AWSGW_GATEWAY_WATCH_WATCH_METRICS_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/observability/metrics_registry.h"

namespace awsgw::gateway::watch {

class WatchMetrics {
 public:
  explicit WatchMetrics(observability::Registry& registry);

  void Poll(const std::string& service, const std::string& method);
  void PollError(const std::string& service, const std::string& method, absl::string_view code);
  void Update(absl::string_view kind);

  // Kept by the engine; read at render time.
  std::atomic<int64_t> watchers{0};
  std::atomic<int64_t> pollers{0};
  std::atomic<int64_t> resources{0};

 private:
  observability::Family<observability::Counter>& polls_;
  observability::Family<observability::Counter>& poll_errors_;
  observability::Family<observability::Counter>& updates_;
};

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_WATCH_METRICS_H_
