#include "gateway/server/limit_events.h"

#include "absl/strings/str_cat.h"
#include "gateway/observability/json_log.h"

namespace awsgw::gateway::server {
namespace {

constexpr absl::Duration kLogEvery = absl::Seconds(10);

}  // namespace

LimitEvents::LimitEvents(observability::Registry* registry, std::function<absl::Time()> clock)
    : clock_(std::move(clock)) {
  if (registry != nullptr) {
    counter_ = &registry->AddCounter(
        "awsgw_limit_refusals_total",
        "Calls, streams or connections refused (or connections closed) because a limit of "
        "server.limits or watch was reached, by limit.",
        {"limit"});
  }
}

void LimitEvents::Refused(absl::string_view limit, absl::string_view what, uint64_t count) {
  if (count == 0) return;
  if (counter_ != nullptr)
    counter_->With({std::string(limit)}).Increment(static_cast<double>(count));
  uint64_t to_log = 0;
  {
    absl::MutexLock lock(&mu_);
    PerLimit& state = limits_[limit];
    state.total += count;
    state.unlogged += count;
    const absl::Time now = clock_();
    if (now - state.logged < kLogEvery) return;
    state.logged = now;
    to_log = state.unlogged;
    state.unlogged = 0;
  }
  observability::Log(observability::LogLevel::kWarn, {{"msg", "limit reached"},
                                                      {"limit", std::string(limit)},
                                                      {"what", std::string(what)},
                                                      {"refused", to_log}});
}

uint64_t LimitEvents::total(absl::string_view limit) const {
  absl::MutexLock lock(&mu_);
  auto it = limits_.find(limit);
  return it == limits_.end() ? 0 : it->second.total;
}

}  // namespace awsgw::gateway::server
