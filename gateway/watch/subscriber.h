// Internal to the watch engine: one stream's delivery state, touched only on
// the scheduler's sequence.
#ifndef AWSGW_GATEWAY_WATCH_SUBSCRIBER_H_
#define AWSGW_GATEWAY_WATCH_SUBSCRIBER_H_

#include <memory>
#include <optional>

#include "absl/time/time.h"
#include "gateway/watch/resume_token.h"
#include "gateway/watch/scheduler.h"
#include "gateway/watch/watch_engine.h"

namespace awsgw::gateway::watch::internal {

struct Tracker;

struct Subscriber {
  const CompiledWatch* watch = nullptr;
  WatchSink* sink = nullptr;
  absl::Duration min_interval, max_interval, heartbeat;
  // A token or last_sequence was given.
  bool resumed = false;

  // Sequence state below.
  Tracker* tracker = nullptr;  // null until attached and after leaving
  SeenState seen;
  bool write_in_flight = false;
  bool terminal_sent = false;
  bool done = false;
  std::optional<grpc::Status> finish;
  // News about polling not yet sent: the newest POLL_ERROR, then the
  // POLL_RECOVERED that followed it (a slow stream still learns of both).
  // One notice is shared by every stream of the poller; null when none.
  std::shared_ptr<const v1::WatchUpdate> error_notice;
  std::shared_ptr<const v1::WatchUpdate> recovered_notice;
  bool heartbeat_due = false;
  Scheduler::TimerId heartbeat_timer = 0;
};

}  // namespace awsgw::gateway::watch::internal

#endif  // AWSGW_GATEWAY_WATCH_SUBSCRIBER_H_
