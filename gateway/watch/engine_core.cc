// Core: the poller registry (attach, detach, collect, drain) and delivery
// to each stream (what to send next, given what it has seen).
#include "gateway/watch/engine_core.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"

namespace awsgw::gateway::watch::internal {

namespace {

using v1::WatchUpdate;

void SetTime(google::protobuf::Timestamp* out, absl::Time time) {
  const int64_t nanos = absl::ToUnixNanos(time);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

std::string OutcomeWord(WatchUpdate::Outcome outcome) {
  switch (outcome) {
    case WatchUpdate::OUTCOME_SUCCEEDED:
      return "succeeded";
    case WatchUpdate::OUTCOME_FAILED:
      return "failed";
    case WatchUpdate::OUTCOME_ENDED:
      return "ended";
    default:
      return "";
  }
}

}  // namespace

WatchUpdate Core::StateUpdate(Subscriber& sub, WatchUpdate::Kind kind) {
  const Tracker& tracker = *sub.tracker;
  const Observation& now = tracker.current;
  WatchUpdate update;
  update.set_kind(kind);
  update.set_previous_status(sub.seen.has_snapshot ? sub.seen.status : "");
  update.set_status(now.status);
  update.set_terminal(now.terminal);
  update.set_outcome(now.outcome);
  SetTime(update.mutable_observed_time(), tracker.observed);
  update.GetReflection()
      ->MutableMessage(&update, sub.watch->snapshot_field)
      ->CopyFrom(*now.resource);
  std::string summary =
      absl::StrCat(sub.watch->definition->resource_name(), " ", tracker.display, ": ");
  if (kind == WatchUpdate::KIND_CHANGE && sub.seen.status != now.status) {
    absl::StrAppend(&summary, sub.seen.status.empty() ? "(none)" : sub.seen.status, " -> ",
                    now.status.empty() ? "(none)" : now.status);
  } else {
    absl::StrAppend(&summary, now.status.empty() ? "(none)" : now.status,
                    kind == WatchUpdate::KIND_CHANGE ? ", changed" : "");
  }
  if (!now.reason.empty()) absl::StrAppend(&summary, " (", now.reason, ")");
  if (now.terminal) {
    absl::StrAppend(
        &summary, "; ",
        tracker.goal != nullptr ? absl::StrCat("goal ", tracker.goal->name, " ") : std::string(),
        OutcomeWord(now.outcome));
  }
  update.set_summary(std::move(summary));
  sub.seen.has_snapshot = true;
  sub.seen.status = now.status;
  sub.seen.digest = now.digest;
  return update;
}

void Core::Write(Subscriber& sub, WatchUpdate update, bool counts) {
  if (counts) ++sub.seen.sequence;
  update.set_sequence(sub.seen.sequence);
  if (!update.has_observed_time()) SetTime(update.mutable_observed_time(), scheduler()->Now());
  update.set_resume_token(EncodeResumeToken(sub.watch->path, sub.seen));
  if (metrics_ != nullptr) metrics_->Update(WatchUpdate::Kind_Name(update.kind()));
  sub.write_in_flight = true;
  sub.heartbeat_due = false;
  sub.sink->Write(update);
}

void Core::Pump(const std::shared_ptr<Subscriber>& sub_ptr) {
  Subscriber& sub = *sub_ptr;
  if (sub.done || sub.write_in_flight) return;
  if (!sub.finish.has_value() && sub.tracker != nullptr) {
    Tracker& tracker = *sub.tracker;
    // Nothing follows a terminal update, not even news about polling.
    if (sub.terminal_sent) sub.error_notice.reset(), sub.recovered_notice.reset();
    std::shared_ptr<const WatchUpdate>& next =
        sub.error_notice != nullptr ? sub.error_notice : sub.recovered_notice;
    if (next != nullptr) {
      WatchUpdate notice = *next;
      next.reset();
      Write(sub, std::move(notice), false);
      ArmHeartbeat(sub_ptr);
      return;
    }
    if (tracker.ended.has_value()) {
      sub.finish = *tracker.ended;
    } else if (sub.terminal_sent) {
      sub.finish = grpc::Status::OK;
    } else if (tracker.has_state) {
      // 1. The snapshot, once per stream (unless a resumed stream saw it).
      if (!sub.seen.has_snapshot) {
        WatchUpdate update =
            StateUpdate(sub, sub.resumed ? WatchUpdate::KIND_CHANGE : WatchUpdate::KIND_SNAPSHOT);
        // Events up to now are in the snapshot itself, where the feed is a
        // member of the resource; a feed of its own (an experiment run's
        // ListExperimentRunEvents) is in no snapshot, so its entries follow.
        const bool feed_in_snapshot =
            sub.watch->events.has_value() && sub.watch->events->method == nullptr;
        if (!sub.resumed && feed_in_snapshot) sub.seen.SkipAll(tracker.events);
        sub.terminal_sent = tracker.current.terminal;
        Write(sub, std::move(update), true);
        ArmHeartbeat(sub_ptr);
        return;
      }
      // 2. New events, oldest first.
      for (const Event& event : tracker.events) {
        if (!sub.seen.IsNew(event)) continue;
        sub.seen.Deliver(event);
        WatchUpdate update;
        update.set_kind(WatchUpdate::KIND_EVENT);
        update.set_status(sub.seen.status);
        update.set_previous_status(sub.seen.status);
        if (event.order_nanos != 0) {
          SetTime(update.mutable_observed_time(), absl::FromUnixNanos(event.order_nanos));
        }
        update.GetReflection()
            ->MutableMessage(&update, sub.watch->events->update_field)
            ->CopyFrom(*event.message);
        update.set_summary(absl::StrCat(sub.watch->definition->resource_name(), " ",
                                        tracker.display, " event: ", event.summary));
        Write(sub, std::move(update), true);
        ArmHeartbeat(sub_ptr);
        return;
      }
      // 3. The resource changed since this stream last heard.
      if (tracker.current.digest != sub.seen.digest || tracker.current.status != sub.seen.status) {
        WatchUpdate update = StateUpdate(sub, WatchUpdate::KIND_CHANGE);
        sub.terminal_sent = tracker.current.terminal;
        Write(sub, std::move(update), true);
        ArmHeartbeat(sub_ptr);
        return;
      }
      // A resumed stream that had already seen the terminal state.
      if (tracker.current.terminal) sub.finish = grpc::Status::OK;
    }
    if (!sub.finish.has_value() && sub.heartbeat_due) {
      WatchUpdate update;
      update.set_kind(WatchUpdate::KIND_HEARTBEAT);
      update.set_status(sub.seen.status);
      update.set_previous_status(sub.seen.status);
      update.set_summary("no change");
      Write(sub, std::move(update), false);
      ArmHeartbeat(sub_ptr);
      return;
    }
  }
  if (!sub.finish.has_value()) return;
  sub.done = true;
  Detach(sub);
  sub.sink->Finish(*sub.finish);
}

void Core::ArmHeartbeat(const std::shared_ptr<Subscriber>& sub) {
  if (sub->heartbeat_timer != 0) scheduler()->Cancel(sub->heartbeat_timer);
  std::weak_ptr<Subscriber> weak = sub;
  std::weak_ptr<Core> core = weak_from_this();
  sub->heartbeat_timer = scheduler()->RunAfter(sub->heartbeat, [weak, core] {
    std::shared_ptr<Subscriber> s = weak.lock();
    std::shared_ptr<Core> c = core.lock();
    if (s == nullptr || c == nullptr) return;
    s->heartbeat_timer = 0;
    if (s->done) return;
    s->heartbeat_due = true;
    c->Pump(s);
    if (s->heartbeat_due && !s->done && s->heartbeat_timer == 0) c->ArmHeartbeat(s);
  });
}

void Core::WriteDone(const std::shared_ptr<Subscriber>& sub, bool ok) {
  sub->write_in_flight = false;
  if (!ok && !sub->finish.has_value()) {
    sub->finish = grpc::Status(grpc::StatusCode::CANCELLED, "the stream was closed");
    Detach(*sub);
  }
  Pump(sub);
}

void Core::Cancel(const std::shared_ptr<Subscriber>& sub) {
  if (sub->done) return;
  if (!sub->finish.has_value()) {
    sub->finish = grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client");
  }
  Detach(*sub);
  Pump(sub);
}

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
  const std::string tracker_key =
      absl::StrCat(where.target.resource_key, "\n", where.target.goal_name);
  if (!not_found_.empty()) {
    auto missing = not_found_.find(absl::StrCat(where.poller_key, "\n", tracker_key));
    if (missing != not_found_.end()) {
      if (scheduler()->Now() < missing->second.until) {
        sub->finish = missing->second.status;
        Pump(sub);
        return;
      }
      not_found_.erase(missing);
    }
  }
  auto known = pollers_.find(where.poller_key);
  if (resources_ >= options_.max_resources &&
      (known == pollers_.end() || !known->second->trackers().contains(tracker_key))) {
    const std::string what = absl::StrCat("the gateway watches ", resources_,
                                          " resources, its limit (watch.max_resources)");
    if (options_.on_resource_limit) options_.on_resource_limit(what);
    sub->finish = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, what);
    Pump(sub);
    return;
  }
  std::shared_ptr<Poller>& poller = pollers_[where.poller_key];
  const bool new_poller = poller == nullptr;
  if (new_poller) {
    poller = std::make_shared<Poller>(this, where.poller_key, sub->watch, where.target,
                                      std::move(where.region));
    if (metrics_ != nullptr) ++metrics_->pollers;
  }
  std::unique_ptr<Tracker>& tracker = poller->trackers()[tracker_key];
  const bool new_tracker = tracker == nullptr;
  if (new_tracker) {
    ++resources_;
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
      --resources_;
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

void Core::RememberNotFound(const std::string& poller_key, const std::string& tracker_key,
                            const grpc::Status& status) {
  if (options_.not_found_ttl <= absl::ZeroDuration()) return;
  const absl::Time now = scheduler()->Now();
  if (not_found_.size() >= options_.max_resources) {
    absl::erase_if(not_found_, [now](const auto& entry) { return entry.second.until <= now; });
    if (not_found_.size() >= options_.max_resources) return;  // bounded: forget this one
  }
  not_found_[absl::StrCat(poller_key, "\n", tracker_key)] =
      NotFound{now + options_.not_found_ttl, status};
}

}  // namespace awsgw::gateway::watch::internal
