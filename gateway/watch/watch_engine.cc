// The poller registry and the public face of the engine.
#include "gateway/watch/watch_engine.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/watch/engine_core.h"

namespace awsgw::gateway::watch {

namespace internal {

void Core::Post(absl::AnyInvocable<void()> fn) {
  absl::MutexLock lock(&mu_);
  if (scheduler_ != nullptr) scheduler_->Post(std::move(fn));
}

void Core::Shutdown() {
  absl::MutexLock lock(&mu_);
  scheduler_ = nullptr;
}

static grpc::Status DrainStatus() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the gateway is shutting down; resume with the last resume_token");
}

void Core::Drain() {
  draining_ = true;
  std::vector<std::shared_ptr<Subscriber>> subs;
  for (const auto& [key, poller] : pollers_) {
    for (const auto& [name, tracker] : poller->trackers()) {
      subs.insert(subs.end(), tracker->subscribers.begin(), tracker->subscribers.end());
    }
  }
  for (const auto& sub : subs) {
    if (!sub->finish.has_value()) sub->finish = DrainStatus();
    Detach(*sub);
    Pump(sub);
  }
}

void Core::Attach(const std::shared_ptr<Subscriber>& sub, Attachment where) {
  if (draining_ && !sub->finish.has_value()) sub->finish = DrainStatus();
  if (sub->done || sub->finish.has_value()) {
    Pump(sub);  // cancelled before it got here
    return;
  }
  std::shared_ptr<Poller>& poller = pollers_[where.poller_key];
  const bool new_poller = poller == nullptr;
  if (new_poller) {
    poller = std::make_shared<Poller>(this, where.poller_key, sub->watch, where.target,
                                      std::move(where.region));
    if (metrics_ != nullptr) ++metrics_->pollers;
  }
  const std::string tracker_key =
      absl::StrCat(where.target.resource_key, "\n", where.target.goal_name);
  std::unique_ptr<Tracker>& tracker = poller->trackers()[tracker_key];
  const bool new_tracker = tracker == nullptr;
  if (new_tracker) {
    tracker = std::make_unique<Tracker>();
    tracker->poller = poller.get();
    tracker->key = tracker_key;
    tracker->resource_key = where.target.resource_key;
    tracker->goal = where.target.goal;
    tracker->display = where.target.display;
    if (metrics_ != nullptr) ++metrics_->resources;
  }
  tracker->subscribers.push_back(sub);
  sub->tracker = tracker.get();
  if (metrics_ != nullptr) ++metrics_->watchers;
  poller->AddWatcherBounds(sub->min_interval, sub->max_interval);
  // A new resource is polled at once (with the others of its batch); a late
  // joiner of a known one gets its latest snapshot from the Pump below.
  if (new_tracker) poller->PollSoon();
  ArmHeartbeat(sub);
  Pump(sub);
}

void Core::Detach(Subscriber& sub) {
  if (sub.heartbeat_timer != 0) scheduler()->Cancel(sub.heartbeat_timer);
  sub.heartbeat_timer = 0;
  Tracker* tracker = sub.tracker;
  if (tracker == nullptr) return;
  sub.tracker = nullptr;
  auto& subs = tracker->subscribers;
  subs.erase(
      std::remove_if(subs.begin(), subs.end(),
                     [&sub](const std::shared_ptr<Subscriber>& s) { return s.get() == &sub; }),
      subs.end());
  if (metrics_ != nullptr) --metrics_->watchers;
  tracker->poller->RemoveWatcherBounds(sub.min_interval, sub.max_interval);
  if (!subs.empty()) return;
  // Collected in a callback of its own: the caller may be iterating.
  std::weak_ptr<Core> weak = weak_from_this();
  scheduler()->Post([weak, key = tracker->poller->key()] {
    if (auto core = weak.lock()) core->Collect(key);
  });
}

void Core::Collect(const std::string& poller_key) {
  auto it = pollers_.find(poller_key);
  if (it == pollers_.end()) return;
  Poller& poller = *it->second;
  for (auto t = poller.trackers().begin(); t != poller.trackers().end();) {
    if (t->second->subscribers.empty()) {
      if (metrics_ != nullptr) --metrics_->resources;
      t = poller.trackers().erase(t);
    } else {
      ++t;
    }
  }
  if (!poller.trackers().empty()) return;
  poller.Stop();
  pollers_.erase(it);
  if (metrics_ != nullptr) --metrics_->pollers;
}

}  // namespace internal

namespace {

absl::Duration ToDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace

void Subscription::WriteDone(bool ok) {
  core_->Post([core = core_, sub = sub_, ok] { core->WriteDone(sub, ok); });
}

void Subscription::Cancel() {
  core_->Post([core = core_, sub = sub_] { core->Cancel(sub); });
}

WatchEngine::WatchEngine(std::unique_ptr<Scheduler> scheduler, PollClient* client,
                         EngineOptions options, WatchMetrics* metrics)
    : core_(std::make_shared<internal::Core>(scheduler.get(), client, options, metrics)),
      scheduler_(std::move(scheduler)) {}

void WatchEngine::Drain() {
  core_->Post([core = core_] { core->Drain(); });
}

WatchEngine::~WatchEngine() {
  core_->Shutdown();
  scheduler_.reset();  // joins the sequence's thread, drops what is pending
}

absl::StatusOr<std::shared_ptr<Subscription>> WatchEngine::Subscribe(
    const CompiledWatch& watch, const google::protobuf::Message& request, const std::string& region,
    WatchSink* sink) {
  absl::StatusOr<WatchTarget> target = BuildTarget(watch, request);
  if (!target.ok()) return target.status();
  v1::WatchOptions options;
  if (watch.options_field != nullptr &&
      request.GetReflection()->HasField(request, watch.options_field)) {
    const google::protobuf::Message& given =
        request.GetReflection()->GetMessage(request, watch.options_field);
    if (given.GetDescriptor() == v1::WatchOptions::descriptor()) {
      options.CopyFrom(static_cast<const v1::WatchOptions&>(given));
    }
  }
  auto sub = std::make_shared<internal::Subscriber>();
  sub->watch = &watch;
  sub->sink = sink;
  if (!options.resume_token().empty()) {
    absl::StatusOr<SeenState> seen = DecodeResumeToken(watch.path, options.resume_token());
    if (!seen.ok()) return seen.status();
    sub->seen = *std::move(seen);
    sub->resumed = true;
  } else if (options.last_sequence() != 0) {
    if (options.last_sequence() > kMaxResumedSequence) {
      return absl::InvalidArgumentError(
          absl::StrCat("options.last_sequence must be at most ", kMaxResumedSequence));
    }
    sub->seen.sequence = options.last_sequence();
  }
  const EngineOptions& limits = core_->options();
  const v1::WatchDefinition& def = *watch.definition;
  absl::Duration lo =
      options.has_min_interval()
          ? ToDuration(options.min_interval())
          : absl::Milliseconds(def.min_interval_ms() > 0 ? def.min_interval_ms() : 2000);
  lo = std::clamp(lo, limits.min_interval_floor,
                  std::max(limits.min_interval_floor, limits.max_interval_cap));
  absl::Duration hi =
      options.has_max_interval()
          ? ToDuration(options.max_interval())
          : absl::Milliseconds(def.max_interval_ms() > 0 ? def.max_interval_ms() : 30000);
  hi = std::clamp(hi, lo, std::max(lo, limits.max_interval_cap));
  sub->min_interval = lo;
  sub->max_interval = hi;
  sub->heartbeat =
      std::max(options.has_heartbeat_interval() ? ToDuration(options.heartbeat_interval())
                                                : limits.default_heartbeat,
               limits.min_interval_floor);
  PollClient* client = core_->client();
  internal::Attachment where;
  where.region = region.empty() ? client->DefaultRegion() : region;
  where.poller_key = absl::StrCat(client->Identity(), "\n", where.region, "\n", watch.path, "\n",
                                  absl::Hex(target->request_digest, absl::kZeroPad16));
  where.target = *std::move(target);
  core_->Post([core = core_, sub, where = std::move(where)]() mutable {
    core->Attach(sub, std::move(where));
  });
  return std::make_shared<Subscription>(core_, sub);
}

}  // namespace awsgw::gateway::watch
