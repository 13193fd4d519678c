// Internal to the watch engine: one watched resource and goal within a
// poller: its latest observation, its event buffer and its subscribers.
#ifndef AWSGW_GATEWAY_WATCH_TRACKER_H_
#define AWSGW_GATEWAY_WATCH_TRACKER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gateway/watch/observation.h"
#include "gateway/watch/subscriber.h"

namespace awsgw::gateway::watch::internal {

class Poller;

struct Tracker {
  Poller* poller = nullptr;
  std::string key;  // resource key + goal: the tracker's name in its poller
  std::string resource_key;
  const CompiledGoal* goal = nullptr;
  std::string display;
  bool has_state = false;
  Observation current;
  absl::Time observed;
  std::vector<Event> events;  // sorted, at most EngineOptions::event_buffer
  std::optional<grpc::Status> ended;
  std::vector<std::shared_ptr<Subscriber>> subscribers;

  bool live() const { return !ended.has_value() && !(has_state && current.terminal); }
};

}  // namespace awsgw::gateway::watch::internal

#endif  // AWSGW_GATEWAY_WATCH_TRACKER_H_
