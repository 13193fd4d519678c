// Internal to the watch engine: the poller registry, pollers, tracked
// resources and subscribers, all owned by Core and touched only on the
// scheduler's sequence (except Core::Post, which any thread may call).
//
//   Core ──< Poller ──< Tracker ──< Subscriber ── WatchSink (the stream)
//
// A Poller makes the AWS calls for one poll request (one call, or one per
// batch of at most max_size keys) and hands each Tracker its resource; a
// Tracker (one resource and goal) keeps the latest observation and event
// buffer; a Subscriber (one stream) keeps what it has seen and pulls the
// difference whenever it can write. Pollers and trackers left without
// subscribers are collected in a callback of their own, never while being
// iterated.
#ifndef AWSGW_GATEWAY_WATCH_ENGINE_CORE_H_
#define AWSGW_GATEWAY_WATCH_ENGINE_CORE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "gateway/watch/attachment.h"
#include "gateway/watch/poller.h"
#include "gateway/watch/subscriber.h"
#include "gateway/watch/tracker.h"
#include "gateway/watch/watch_engine.h"

namespace awsgw::gateway::watch::internal {

class Core : public std::enable_shared_from_this<Core> {
 public:
  Core(Scheduler* scheduler, PollClient* client, EngineOptions options, WatchMetrics* metrics)
      : scheduler_(scheduler),
        sequence_scheduler_(scheduler),
        client_(client),
        options_(options),
        metrics_(metrics) {}

  // Runs `fn` on the sequence; dropped once the engine is gone. Any thread.
  void Post(absl::AnyInvocable<void()> fn);
  // Called by ~WatchEngine before the scheduler goes.
  void Shutdown();

  // On the sequence from here on.
  Scheduler* scheduler() { return sequence_scheduler_; }
  PollClient* client() { return client_; }
  const EngineOptions& options() const { return options_; }
  WatchMetrics* metrics() { return metrics_; }

  void Attach(const std::shared_ptr<Subscriber>& sub, Attachment where);
  // The subscriber leaves its tracker (it may still have to finish).
  void Detach(Subscriber& sub);
  void Pump(const std::shared_ptr<Subscriber>& sub);
  void WriteDone(const std::shared_ptr<Subscriber>& sub, bool ok);
  void Cancel(const std::shared_ptr<Subscriber>& sub);
  // Removes empty trackers of `poller`, and the poller if none is left.
  void Collect(const std::string& poller_key);
  // The resource of `tracker_key` under `poller_key` does not exist: new
  // streams of it end with `status` for options().not_found_ttl.
  void RememberNotFound(const std::string& poller_key, const std::string& tracker_key,
                        const grpc::Status& status);
  // See WatchEngine::Drain.
  void Drain();

 private:
  void Write(Subscriber& sub, v1::WatchUpdate update, bool counts);
  void ArmHeartbeat(const std::shared_ptr<Subscriber>& sub);
  v1::WatchUpdate StateUpdate(Subscriber& sub, v1::WatchUpdate::Kind kind);

  absl::Mutex mu_;
  Scheduler* scheduler_ ABSL_GUARDED_BY(mu_) ABSL_PT_GUARDED_BY(mu_);
  // Read on the sequence only, where it never changes while a callback runs.
  Scheduler* const sequence_scheduler_;
  PollClient* const client_;
  const EngineOptions options_;
  WatchMetrics* const metrics_;
  absl::flat_hash_map<std::string, std::shared_ptr<Poller>> pollers_;
  // Trackers in all pollers.
  size_t resources_ = 0;
  struct NotFound {
    absl::Time until;
    grpc::Status status;
  };
  // By poller key and tracker key; at most options_.max_resources entries.
  absl::flat_hash_map<std::string, NotFound> not_found_;
  bool draining_ = false;
};

}  // namespace awsgw::gateway::watch::internal

#endif  // AWSGW_GATEWAY_WATCH_ENGINE_CORE_H_
