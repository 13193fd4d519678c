#include "gateway/watch/poller.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/watch/engine_core.h"
#include "google/protobuf/util/time_util.h"

namespace awsgw::gateway::watch::internal {

namespace {

using google::protobuf::Message;

const std::string& ModelName(const translators::MethodEntry& method) {
  return method.method->service()->options().GetExtension(awsgw::service).model_name();
}

// The events of `fresh` (oldest first) not in `buffer`, merged into it
// (oldest first, bounded by dropping the oldest). An event new at an instant
// the buffer already holds goes after those: it happened later, or an
// earlier poll would have listed it. True when any was new.
bool MergeEvents(std::vector<Event>& buffer, std::vector<Event> fresh, size_t limit) {
  bool any = false;
  for (Event& event : fresh) {
    auto [first, last] = std::equal_range(buffer.begin(), buffer.end(), event);
    if (std::any_of(first, last, [&](const Event& seen) { return seen.id == event.id; })) {
      continue;
    }
    if (buffer.size() >= limit && last == buffer.begin()) continue;  // older than all kept
    buffer.insert(last, std::move(event));
    any = true;
  }
  if (buffer.size() > limit) buffer.erase(buffer.begin(), buffer.end() - limit);
  return any;
}

}  // namespace

bool IsRetryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::CANCELLED:
      return true;
    default:
      return false;
  }
}

Poller::Poller(Core* core, std::string key, const CompiledWatch* watch, const WatchTarget& target,
               std::string region)
    : core_(core),
      key_(std::move(key)),
      watch_(watch),
      base_request_(target.poll_request->New()),
      events_request_(target.events_request ? target.events_request->New() : nullptr),
      region_(std::move(region)) {
  base_request_->CopyFrom(*target.poll_request);
  if (events_request_ != nullptr) events_request_->CopyFrom(*target.events_request);
  min_interval_ = interval_ = core_->options().min_interval_floor;
  max_interval_ = core_->options().max_interval_cap;
}

void Poller::AddWatcherBounds(absl::Duration min, absl::Duration max) {
  watcher_mins_.insert(min);
  watcher_maxes_.insert(max);
  ApplyBounds();
}

void Poller::RemoveWatcherBounds(absl::Duration min, absl::Duration max) {
  if (auto it = watcher_mins_.find(min); it != watcher_mins_.end()) watcher_mins_.erase(it);
  if (auto it = watcher_maxes_.find(max); it != watcher_maxes_.end()) watcher_maxes_.erase(it);
  ApplyBounds();
}

void Poller::ApplyBounds() {
  if (watcher_mins_.empty()) return;  // the last watcher left: the poller stops
  const absl::Duration lo = *watcher_mins_.begin();
  const absl::Duration hi = *watcher_maxes_.begin();
  min_interval_ = lo;
  max_interval_ = std::max(lo, hi);
  interval_ = std::clamp(interval_, min_interval_, max_interval_);
  // A watcher asking for faster polling need not wait out a slow timer.
  if (timer_ != 0 && errors_ == 0 && next_poll_ > last_poll_ + interval_) {
    ScheduleNext(
        std::max(absl::ZeroDuration(), last_poll_ + interval_ - core_->scheduler()->Now()));
  }
}

void Poller::PollSoon() {
  if (stopped_) return;
  if (round_ != nullptr) {
    poll_again_ = true;
    return;
  }
  Tick();
}

void Poller::Stop() {
  stopped_ = true;
  if (timer_ != 0) core_->scheduler()->Cancel(timer_);
  timer_ = 0;
  std::vector<PollClient::Cancel> cancels = std::move(cancels_);
  for (auto& cancel : cancels) cancel();
}

void Poller::ScheduleNext(absl::Duration delay) {
  if (timer_ != 0) core_->scheduler()->Cancel(timer_);
  std::weak_ptr<Poller> weak = weak_from_this();
  next_poll_ = core_->scheduler()->Now() + delay;
  timer_ = core_->scheduler()->RunAfter(delay, [weak] {
    if (auto self = weak.lock()) {
      self->timer_ = 0;
      self->Tick();
    }
  });
}

void Poller::Tick() {
  if (stopped_ || round_ != nullptr) return;
  if (timer_ != 0) core_->scheduler()->Cancel(timer_);
  timer_ = 0;
  // Keys of the resources still worth polling.
  std::set<std::string> keys;
  bool any = false;
  for (const auto& [name, tracker] : trackers_) {
    if (!tracker->live() || tracker->subscribers.empty()) continue;
    any = true;
    keys.insert(tracker->resource_key);
  }
  if (!any) return;  // every resource reached its end; streams are finishing

  round_ = std::make_unique<Round>();
  last_poll_ = core_->scheduler()->Now();
  std::vector<std::vector<std::string>> chunks;
  if (watch_->batched) {
    std::vector<std::string> chunk;
    for (const std::string& key : keys) {
      chunk.push_back(key);
      if (static_cast<int>(chunk.size()) == watch_->batch_max)
        chunks.push_back(std::move(chunk)), chunk.clear();
    }
    if (!chunk.empty()) chunks.push_back(std::move(chunk));
  } else {
    chunks.emplace_back();
  }
  round_->calls.resize(chunks.size());
  if (watch_->events.has_value() && watch_->events->method != nullptr) round_->events.emplace();
  round_->pending = static_cast<int>(chunks.size()) + (round_->events.has_value() ? 1 : 0);
  cancels_.clear();
  for (size_t i = 0; i < chunks.size(); ++i) {
    std::unique_ptr<Message> request(base_request_->New());
    request->CopyFrom(*base_request_);
    for (const std::string& key : chunks[i]) {
      (void)watch_->batch_list.AppendString(request.get(), key);
    }
    round_->calls[i].keys = std::move(chunks[i]);
    Send(*watch_->poll, std::move(request), &round_->calls[i]);
  }
  if (round_ != nullptr && round_->events.has_value()) {
    std::unique_ptr<Message> request(events_request_->New());
    request->CopyFrom(*events_request_);
    Send(*watch_->events->method, std::move(request), &*round_->events);
  }
}

void Poller::Send(const translators::MethodEntry& method, std::unique_ptr<Message> request,
                  PollResult* slot) {
  if (WatchMetrics* metrics = core_->metrics())
    metrics->Poll(ModelName(method), method.method->name());
  std::weak_ptr<Poller> weak = weak_from_this();
  std::weak_ptr<Core> core = core_->weak_from_this();
  Round* round = round_.get();
  cancels_.push_back(core_->client()->Poll(
      method, std::move(request), region_,
      core_->scheduler()->Now() + core_->options().poll_timeout,
      [weak, core, round, slot](grpc::Status status, std::unique_ptr<Message> response) mutable {
        std::shared_ptr<Core> alive = core.lock();
        if (alive == nullptr) return;
        alive->Post([weak, round, slot, status = std::move(status),
                     response = std::move(response)]() mutable {
          std::shared_ptr<Poller> self = weak.lock();
          // A round that is no longer current was cancelled by Stop().
          if (self == nullptr || self->round_.get() != round) return;
          slot->status = std::move(status);
          if (!slot->status.ok()) {
            slot->pages.clear();
          } else {
            slot->pages.push_back(std::move(response));
            const bool events = round->events.has_value() && slot == &*round->events;
            if (std::unique_ptr<Message> next = self->NextPageRequest(*slot, events)) {
              self->Send(events ? *self->watch_->events->method : *self->watch_->poll,
                         std::move(next), slot);
              return;
            }
          }
          self->OnCallDone();
        });
      }));
}

std::unique_ptr<Message> Poller::NextPageRequest(const PollResult& call, bool events) const {
  const std::optional<CompiledPagination>& paging =
      events ? watch_->events->pagination : watch_->pagination;
  if (!paging.has_value() || static_cast<int>(call.pages.size()) >= paging->max_pages) {
    return nullptr;
  }
  const Message& last = *call.pages.back();
  if (paging->response_token.Text(last).value_or("").empty()) return nullptr;
  // A list poll stops at the page where every watched entry was found; an
  // event feed is read to its end (its newest entries may be on any page).
  if (!events && EveryWatchedEntryFound(call)) return nullptr;
  const Message& base = events ? *events_request_ : *base_request_;
  std::unique_ptr<Message> next(base.New());
  next->CopyFrom(base);
  // Same type as the token of the request: checked at start-up.
  (void)paging->request_token.CopyFrom(last, paging->response_token, next.get());
  return next;
}

bool Poller::EveryWatchedEntryFound(const PollResult& call) const {
  for (const auto& [name, tracker] : trackers_) {
    if (!tracker->live() || tracker->subscribers.empty()) continue;
    if (tracker->resource_key.empty()) continue;  // the first element: on the first page
    bool found = false;
    for (const auto& page : call.pages) {
      if (Locate(*watch_, *page, tracker->resource_key).resource != nullptr) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

void Poller::OnCallDone() {
  if (--round_->pending > 0) return;
  ProcessRound();
}

void Poller::Notify(std::shared_ptr<const v1::WatchUpdate> notice) {
  for (const auto& [name, tracker] : trackers_) {
    for (const auto& sub : tracker->subscribers) {
      if (notice->kind() == v1::WatchUpdate::KIND_POLL_ERROR) {
        sub->error_notice = notice;
        sub->recovered_notice.reset();
      } else {
        sub->recovered_notice = notice;
      }
    }
  }
}

void Poller::ProcessRound() {
  std::unique_ptr<Round> round = std::move(round_);
  cancels_.clear();
  if (stopped_) return;
  const absl::Time now = core_->scheduler()->Now();
  WatchMetrics* metrics = core_->metrics();
  std::optional<grpc::Status> retryable;
  auto check = [&](const PollResult& call, const translators::MethodEntry& method) {
    if (call.status.ok()) return;
    if (metrics != nullptr) {
      metrics->PollError(ModelName(method), method.method->name(),
                         observability::GrpcCodeName(call.status.error_code()));
    }
    if (IsRetryable(call.status.error_code()) && !retryable) retryable = call.status;
  };
  for (const PollResult& call : round->calls) check(call, *watch_->poll);
  if (round->events.has_value()) check(*round->events, *watch_->events->method);

  // Streams hear of errors and recovery before the states of this round.
  absl::Duration delay;
  if (retryable.has_value()) {
    ++errors_;
    const absl::Duration base = std::max(min_interval_, absl::Milliseconds(1));
    const absl::Duration grown = base * static_cast<double>(int64_t{1} << std::min(errors_, 20));
    delay =
        std::min(core_->options().max_backoff, grown) * (0.5 + 0.5 * core_->scheduler()->Random());
    auto notice = std::make_shared<v1::WatchUpdate>();
    notice->set_kind(v1::WatchUpdate::KIND_POLL_ERROR);
    notice->set_error_code(static_cast<int32_t>(retryable->error_code()));
    notice->set_error_message(retryable->error_message());
    notice->set_summary(absl::StrFormat(
        "polling %s failed (%s: %s), attempt %d; retrying in %s", watch_->poll->method->name(),
        observability::GrpcCodeName(retryable->error_code()), retryable->error_message(), errors_,
        absl::FormatDuration(absl::Milliseconds(absl::ToInt64Milliseconds(delay)))));
    Notify(std::move(notice));
  } else {
    if (errors_ > 0) {
      auto notice = std::make_shared<v1::WatchUpdate>();
      notice->set_kind(v1::WatchUpdate::KIND_POLL_RECOVERED);
      notice->set_summary(absl::StrFormat("polling %s works again after %d failed attempts",
                                          watch_->poll->method->name(), errors_));
      errors_ = 0;
      Notify(std::move(notice));
    }
  }
  bool changed = false;
  std::vector<std::shared_ptr<Subscriber>> to_pump;
  for (auto& [name, tracker_ptr] : trackers_) {
    Tracker& tracker = *tracker_ptr;
    if (!tracker.live()) continue;
    const PollResult* result = nullptr;
    for (const PollResult& call : round->calls) {
      if (!watch_->batched ||
          std::find(call.keys.begin(), call.keys.end(), tracker.resource_key) != call.keys.end()) {
        result = &call;
        break;
      }
    }
    if (result == nullptr) continue;  // joined after the round was sent
    const grpc::Status* fatal = nullptr;
    if (!result->status.ok() && !IsRetryable(result->status.error_code())) fatal = &result->status;
    if (round->events.has_value() && !round->events->status.ok() &&
        !IsRetryable(round->events->status.error_code())) {
      fatal = &round->events->status;
    }
    if (fatal != nullptr) {
      tracker.ended = grpc::Status(fatal->error_code(), fatal->error_message());
      if (fatal->error_code() == grpc::StatusCode::NOT_FOUND) {
        core_->RememberNotFound(key_, tracker.key, *tracker.ended);
      }
    } else if (!result->status.ok()) {
      // Retried after the backoff; the streams hear of it through Notify.
    } else {
      Located located;
      for (const auto& page : result->pages) {
        located = Locate(*watch_, *page, tracker.resource_key);
        if (located.resource != nullptr) break;
      }
      if (located.resource == nullptr) {
        std::string message =
            absl::StrCat(watch_->definition->resource_name(), " ", tracker.display, " not found");
        if (located.missing.has_value() && !located.missing->empty()) {
          absl::StrAppend(&message, ": ", *located.missing);
        }
        tracker.ended = grpc::Status(grpc::StatusCode::NOT_FOUND, message);
        core_->RememberNotFound(key_, tracker.key, *tracker.ended);
      } else {
        Observation observation = Observe(*watch_, tracker.goal, *located.resource);
        if (!tracker.has_state || observation.digest != tracker.current.digest ||
            observation.status != tracker.current.status ||
            observation.terminal != tracker.current.terminal) {
          changed = true;
        }
        tracker.current = std::move(observation);
        tracker.has_state = true;
        tracker.observed = now;
        if (watch_->events.has_value()) {
          std::vector<const Message*> containers;
          if (watch_->events->method == nullptr) {
            containers.push_back(located.resource);
          } else if (round->events->status.ok()) {
            for (const auto& page : round->events->pages) containers.push_back(page.get());
          }
          std::vector<Event> found;
          for (const Message* container : containers) {
            std::vector<Event> page = ExtractEvents(*watch_->events, *container);
            std::move(page.begin(), page.end(), std::back_inserter(found));
          }
          if (MergeEvents(tracker.events, std::move(found), core_->options().event_buffer)) {
            changed = true;
          }
        }
      }
    }
    for (const auto& sub : tracker.subscribers) to_pump.push_back(sub);
  }
  for (const auto& sub : to_pump) core_->Pump(sub);
  if (!retryable.has_value()) {
    interval_ = changed ? min_interval_ : std::min(max_interval_, interval_ * 1.5);
    delay = interval_;
  }
  if (poll_again_) {
    poll_again_ = false;
    Tick();
    return;
  }
  for (const auto& [name, tracker] : trackers_) {
    if (tracker->live() && !tracker->subscribers.empty()) {
      ScheduleNext(delay);
      return;
    }
  }
}

}  // namespace awsgw::gateway::watch::internal
