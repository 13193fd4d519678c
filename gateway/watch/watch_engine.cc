#include "gateway/watch/watch_engine.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/watch/engine_core.h"

namespace awsgw::gateway::watch {

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
