// The watch engine: shared, batched polling of AWS resources and fan-out of
// their changes to watch streams.
//
// Subscribe() attaches one stream (a WatchSink) to the poller of its
// resource, creating it on first use. A poller is keyed by (AWS identity,
// region, watch rpc, poll request): every watcher of the same resource — and
// for batched kinds, of any resource whose poll request differs only in the
// batch list (ECS tasks of one cluster) — shares it. The poller polls on a
// timer, adaptively between its bounds (back to the fastest right after a
// change, 1.5x slower after each quiet poll), backs off with jitter on
// throttling and transient errors (telling the streams with POLL_ERROR
// updates), and stops when its last stream leaves.
//
// Delivery is pull-based: each stream has one write in flight at most and,
// when it can write, is sent the difference between what it has seen and the
// resource's latest state. A slow stream therefore never holds back others,
// and holds no backlog of states, only the newest (events are kept in a
// bounded per-resource buffer). The same rule makes late joiners get the
// latest snapshot at once and resumed streams get no duplicates.
//
// Threading: all engine state lives on the Scheduler's sequence. Subscribe()
// and the Subscription methods may be called from any thread (gRPC callback
// threads): they never block and post to the sequence. The sink is called
// only on the sequence.
#ifndef AWSGW_GATEWAY_WATCH_WATCH_ENGINE_H_
#define AWSGW_GATEWAY_WATCH_WATCH_ENGINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "awsgw/watch/v1/watch.pb.h"
#include "gateway/watch/poll_client.h"
#include "gateway/watch/scheduler.h"
#include "gateway/watch/watch_definition.h"
#include "gateway/watch/watch_metrics.h"
#include "grpcpp/support/status.h"

namespace awsgw::gateway::watch {

struct EngineOptions {
  // The fastest polling a client may ask for, and the slowest any poller
  // slows down to.
  absl::Duration min_interval_floor = absl::Seconds(1);
  absl::Duration max_interval_cap = absl::Minutes(5);
  absl::Duration default_heartbeat = absl::Seconds(30);
  // Bounds each poll (the AWS client retries inside it).
  absl::Duration poll_timeout = absl::Seconds(30);
  // Backoff after failed polls: doubling from the poller's fastest interval,
  // up to this, times a random factor in [0.5, 1).
  absl::Duration max_backoff = absl::Minutes(2);
  // Events kept per resource for streams that have not caught up.
  size_t event_buffer = 256;
  // Resources watched at once (all pollers together). A stream that would
  // add one more ends with RESOURCE_EXHAUSTED; `on_resource_limit` (if set)
  // hears of it.
  size_t max_resources = 10000;
  std::function<void(const std::string& what)> on_resource_limit;
  // A resource AWS said does not exist is answered NOT_FOUND from memory
  // for this long, without polling again: a caller cannot buy one AWS call
  // per stream it opens on a missing resource. Brief, because a resource
  // created meanwhile stays unseen that long. Zero: never remembered.
  absl::Duration not_found_ttl = absl::Seconds(5);
};

// One watch stream, as the engine sees it.
class WatchSink {
 public:
  virtual ~WatchSink() = default;
  // Sends one update. The engine calls it again only after
  // Subscription::WriteDone.
  virtual void Write(const v1::WatchUpdate& update) = 0;
  // The last call the engine makes (after the last write completed).
  virtual void Finish(const grpc::Status& status) = 0;
};

namespace internal {
class Core;
struct Subscriber;
}  // namespace internal

// The stream side's handle on its subscription. Thread-safe.
class Subscription {
 public:
  Subscription(std::shared_ptr<internal::Core> core, std::shared_ptr<internal::Subscriber> sub)
      : core_(std::move(core)), sub_(std::move(sub)) {}
  // The last Write completed (`ok` false: the stream is broken).
  void WriteDone(bool ok);
  // The client went away or the deadline passed: the engine finishes the sink
  // with CANCELLED (once any write in flight completed).
  void Cancel();

 private:
  std::shared_ptr<internal::Core> core_;
  std::shared_ptr<internal::Subscriber> sub_;
};

class WatchEngine {
 public:
  // `client` and `metrics` (may be null) must outlive the engine.
  WatchEngine(std::unique_ptr<Scheduler> scheduler, PollClient* client, EngineOptions options,
              WatchMetrics* metrics);
  // Drops every poller and stream without finishing them: stop the server
  // (which cancels streams) first.
  ~WatchEngine();

  // Starts delivering `watch`'s updates for `request` to `sink`. `region`
  // empty: the client's default. INVALID_ARGUMENT (naming the field) for a
  // request lacking an identifier, or a resume token of another rpc; `sink`
  // is then never called. `watch` must outlive the engine.
  [[nodiscard]] absl::StatusOr<std::shared_ptr<Subscription>> Subscribe(
      const CompiledWatch& watch, const google::protobuf::Message& request,
      const std::string& region, WatchSink* sink);

  // For a graceful shutdown: ends every stream, now and from now on, with
  // UNAVAILABLE (once its write in flight completed), so that clients resume
  // with their last token on another replica instead of waiting out the
  // server's grace period. Stops every poller. Any thread; does not wait.
  void Drain();

 private:
  std::shared_ptr<internal::Core> core_;
  std::unique_ptr<Scheduler> scheduler_;
};

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_WATCH_ENGINE_H_
