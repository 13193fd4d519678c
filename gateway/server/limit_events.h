// LimitEvents: what the gateway says when one of its limits bites: the
// counter awsgw_limit_refusals_total{limit}, and a warning log line, at most
// one per limit every 10 seconds (with how many refusals it stands for), so
// that a flood of refusals cannot flood the log too.
//
// Thread-safe.
#ifndef AWSGW_GATEWAY_SERVER_LIMIT_EVENTS_H_
#define AWSGW_GATEWAY_SERVER_LIMIT_EVENTS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/observability/metrics_registry.h"

namespace awsgw::gateway::server {

class LimitEvents {
 public:
  // `registry` may be null (no metrics).
  explicit LimitEvents(
      observability::Registry* registry,
      std::function<absl::Time()> clock = [] { return absl::Now(); });

  // `count` refusals (or connections closed) because of `limit` (the config
  // key under server.limits, or watch.max_resources), described by `what`.
  void Refused(absl::string_view limit, absl::string_view what, uint64_t count = 1);

  uint64_t total(absl::string_view limit) const;

 private:
  struct PerLimit {
    uint64_t total = 0;
    uint64_t unlogged = 0;
    absl::Time logged = absl::InfinitePast();
  };

  observability::Family<observability::Counter>* counter_ = nullptr;
  const std::function<absl::Time()> clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, PerLimit> limits_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_LIMIT_EVENTS_H_
