#include "gateway/watch/watch_metrics.h"

#include <algorithm>

namespace awsgw::gateway::watch {

WatchMetrics::WatchMetrics(observability::Registry& registry)
    : polls_(registry.AddCounter("awsgw_watch_polls_total", "AWS calls made by watch pollers.",
                                 {"service", "method"})),
      poll_errors_(registry.AddCounter("awsgw_watch_poll_errors_total",
                                       "Watch polls that failed, by gRPC code.",
                                       {"service", "method", "code"})),
      updates_(registry.AddCounter("awsgw_watch_updates_total", "Updates written to watch streams.",
                                   {"kind"})) {
  registry.AddCallback("awsgw_watch_watchers", "Open watch streams.", "gauge",
                       [this] { return static_cast<double>(watchers.load()); });
  registry.AddCallback("awsgw_watch_pollers", "Watch pollers running.", "gauge",
                       [this] { return static_cast<double>(pollers.load()); });
  registry.AddCallback("awsgw_watch_resources", "Distinct watched resources.", "gauge",
                       [this] { return static_cast<double>(resources.load()); });
  registry.AddCallback(
      "awsgw_watch_coalescing_ratio", "Watch streams served per poller (0 when none).", "gauge",
      [this] {
        const int64_t p = pollers.load();
        return p == 0 ? 0.0 : static_cast<double>(watchers.load()) / static_cast<double>(p);
      });
}

void WatchMetrics::Poll(const std::string& service, const std::string& method) {
  polls_.With({service, method}).Increment();
}

void WatchMetrics::PollError(const std::string& service, const std::string& method,
                             absl::string_view code) {
  poll_errors_.With({service, method, std::string(code)}).Increment();
}

void WatchMetrics::Update(absl::string_view kind) {
  updates_.With({std::string(kind)}).Increment();
}

}  // namespace awsgw::gateway::watch
