// Internal to the watch engine: one poll request's timer, AWS calls and
// their results, shared by the trackers of every resource it returns.
#ifndef AWSGW_GATEWAY_WATCH_POLLER_H_
#define AWSGW_GATEWAY_WATCH_POLLER_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gateway/watch/attachment.h"
#include "gateway/watch/poll_client.h"
#include "gateway/watch/scheduler.h"
#include "gateway/watch/tracker.h"
#include "gateway/watch/watch_engine.h"

namespace awsgw::gateway::watch::internal {

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
  struct PollResult {
    std::vector<std::string> keys;  // batch keys of the call (empty: unbatched)
    grpc::Status status;
    // The response, or its pages in order.
    std::vector<std::unique_ptr<google::protobuf::Message>> pages;
  };
  struct Round {
    std::vector<PollResult> calls;
    std::optional<PollResult> events;
    int pending = 0;
  };

  void ApplyBounds();
  void Tick();
  void Send(const translators::MethodEntry& method,
            std::unique_ptr<google::protobuf::Message> request, PollResult* slot);
  void OnCallDone();
  // The request for `call`'s next page, or null when it is complete: AWS has
  // no more, max_pages is reached, or (a list poll, not the event feed,
  // `events`) every tracked resource is on the pages read.
  std::unique_ptr<google::protobuf::Message> NextPageRequest(const PollResult& call,
                                                             bool events) const;
  bool EveryWatchedEntryFound(const PollResult& call) const;
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

// Codes after which a poll is retried (with backoff) rather than the watch
// ended: throttling and transient failures.
bool IsRetryable(grpc::StatusCode code);

}  // namespace awsgw::gateway::watch::internal

#endif  // AWSGW_GATEWAY_WATCH_POLLER_H_
