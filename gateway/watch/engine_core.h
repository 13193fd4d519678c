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

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "gateway/watch/observation.h"
#include "gateway/watch/resume_token.h"
#include "gateway/watch/watch_engine.h"

namespace awsgw::gateway::watch::internal {

struct Tracker;
class Poller;

// Where a new subscriber goes: built on the caller's thread, consumed by
// Core::Attach (the poller and tracker keep what they need of it).
struct Attachment {
  WatchTarget target;
  std::string region;
  // identity, region, rpc and poll request: who may share a poller.
  std::string poller_key;
};

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

class Core;

class Poller : public std::enable_shared_from_this<Poller> {
 public:
  Poller(Core* core, std::string key, const CompiledWatch* watch, const WatchTarget& target,
         std::string region);

  const std::string& key() const { return key_; }
  const CompiledWatch* watch() const { return watch_; }
  std::map<std::string, std::unique_ptr<Tracker>>& trackers() { return trackers_; }

  // Polls now, or right after the round in flight.
  void PollSoon();
  // A watcher's polling bounds joining or leaving the poller's: it polls at
  // the fastest any of its watchers asks for. O(log watchers), so that
  // thousands of watchers of one poller come and go cheaply.
  void AddWatcherBounds(absl::Duration min, absl::Duration max);
  void RemoveWatcherBounds(absl::Duration min, absl::Duration max);
  // Cancels the timer and the calls in flight; the poller does nothing more.
  void Stop();

 private:
  struct CallResult {
    std::vector<std::string> keys;  // batch keys of the call (empty: unbatched)
    grpc::Status status;
    // The response, or its pages in order.
    std::vector<std::unique_ptr<google::protobuf::Message>> pages;
  };
  struct Round {
    std::vector<CallResult> calls;
    std::optional<CallResult> events;
    int pending = 0;
  };

  void ApplyBounds();
  void Tick();
  void Send(const MethodEntry& method, std::unique_ptr<google::protobuf::Message> request,
            CallResult* slot);
  void OnCallDone();
  // The request for `call`'s next page, or null when it is complete: AWS has
  // no more, max_pages is reached, or (a list poll, not the event feed,
  // `events`) every tracked resource is on the pages read.
  std::unique_ptr<google::protobuf::Message> NextPageRequest(const CallResult& call,
                                                             bool events) const;
  bool EveryWatchedEntryFound(const CallResult& call) const;
  void ProcessRound();
  void ScheduleNext(absl::Duration delay);
  // Tells every stream (POLL_ERROR / POLL_RECOVERED).
  void Notify(std::shared_ptr<const v1::WatchUpdate> notice);

  Core* const core_;
  const std::string key_;
  const CompiledWatch* const watch_;
  const std::unique_ptr<google::protobuf::Message> base_request_;
  const std::unique_ptr<google::protobuf::Message> events_request_;
  const std::string region_;
  std::map<std::string, std::unique_ptr<Tracker>> trackers_;
  std::unique_ptr<Round> round_;
  std::vector<PollClient::Cancel> cancels_;
  Scheduler::TimerId timer_ = 0;
  bool poll_again_ = false;
  bool stopped_ = false;
  absl::Duration min_interval_, max_interval_, interval_;
  std::multiset<absl::Duration> watcher_mins_, watcher_maxes_;
  // When the current round was sent, and when the timer will fire.
  absl::Time last_poll_ = absl::InfinitePast();
  absl::Time next_poll_ = absl::InfiniteFuture();
  int errors_ = 0;
};

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
  bool draining_ = false;
};

// Codes after which a poll is retried (with backoff) rather than the watch
// ended: throttling and transient failures.
bool IsRetryable(grpc::StatusCode code);

}  // namespace awsgw::gateway::watch::internal

#endif  // AWSGW_GATEWAY_WATCH_ENGINE_CORE_H_
