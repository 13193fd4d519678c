#include "emulator/lifecycle_engine.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "emulator/message_copy.h"
#include "google/protobuf/timestamp.pb.h"

namespace awsgw::emulator {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The message holding the last segment of `path` and that segment's field,
// creating sub-messages (and the first element of repeated ones) on the way.
// Null when the path does not fit the message.
Message* Holder(Message* message, absl::string_view path, const FieldDescriptor** leaf) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = message->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr) return nullptr;
    if (i + 1 == parts.size()) {
      *leaf = f;
      return message;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_map()) return nullptr;
    const auto* r = message->GetReflection();
    if (f->is_repeated()) {
      message = r->FieldSize(*message, f) == 0 ? r->AddMessage(message, f)
                                               : r->MutableRepeatedMessage(message, f, 0);
    } else {
      message = r->MutableMessage(message, f);
    }
  }
  return nullptr;
}

bool IsTimestamp(const FieldDescriptor* f) {
  return f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         f->message_type()->full_name() == "google.protobuf.Timestamp";
}

// Fraction (0..1) of the way a counter has grown after `progress` (0..1) of
// its state: linear, or in steps of `factor` percent (LINEAR) or doubling
// from `factor` percent (EXPONENTIAL), as AppConfig deployment strategies.
double Grown(double progress, absl::string_view growth_type, double factor) {
  if (progress >= 1) return 1;
  if (factor <= 0 || factor >= 100) return progress;
  int steps = 0;
  std::function<double(int)> after;
  if (growth_type == "EXPONENTIAL") {
    while (factor * std::pow(2.0, steps) < 100) ++steps;
    ++steps;
    after = [factor](int k) { return k == 0 ? 0.0 : factor * std::pow(2.0, k - 1) / 100.0; };
  } else {
    steps = static_cast<int>(std::ceil(100.0 / factor));
    after = [factor](int k) { return k * factor / 100.0; };
  }
  const int reached = static_cast<int>(std::floor(progress * steps));
  return std::min(1.0, after(reached));
}

}  // namespace

double GetNumberAt(const Message& message, absl::string_view path) {
  // Reads never create: an absent sub-message or empty list reads as 0.
  const Message* holder = &message;
  const FieldDescriptor* f = nullptr;
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    f = holder->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr) return 0;
    if (i + 1 == parts.size()) break;
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_map()) return 0;
    const auto* r = holder->GetReflection();
    if (f->is_repeated()) {
      if (r->FieldSize(*holder, f) == 0) return 0;
      holder = &r->GetRepeatedMessage(*holder, f, 0);
    } else {
      holder = &r->GetMessage(*holder, f);
    }
  }
  if (f == nullptr || f->is_repeated()) return 0;
  const auto* r = holder->GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(*holder, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(r->GetInt64(*holder, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(*holder, f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(r->GetUInt64(*holder, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return r->GetFloat(*holder, f);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return r->GetDouble(*holder, f);
    default:
      return 0;
  }
}

bool SetNumberAt(Message* message, absl::string_view path, double value) {
  const FieldDescriptor* f = nullptr;
  Message* holder = Holder(message, path, &f);
  if (holder == nullptr || f->is_repeated()) return false;
  const auto* r = holder->GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(holder, f, static_cast<int32_t>(std::floor(value)));
      return true;
    case FieldDescriptor::CPPTYPE_INT64:
      r->SetInt64(holder, f, static_cast<int64_t>(std::floor(value)));
      return true;
    case FieldDescriptor::CPPTYPE_FLOAT:
      r->SetFloat(holder, f, static_cast<float>(value));
      return true;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r->SetDouble(holder, f, value);
      return true;
    default:
      return false;
  }
}

bool SetValueAt(Message* message, absl::string_view path, absl::string_view value) {
  const FieldDescriptor* f = nullptr;
  Message* holder = Holder(message, path, &f);
  return holder != nullptr && SetStringField(holder, f->name(), value);
}

bool SetTimeAt(Message* message, absl::string_view path, absl::Time when) {
  const FieldDescriptor* f = nullptr;
  Message* holder = Holder(message, path, &f);
  if (holder == nullptr || f->is_repeated()) return false;
  const auto* r = holder->GetReflection();
  if (IsTimestamp(f)) {
    const absl::Duration since = when - absl::UnixEpoch();
    google::protobuf::Timestamp ts;
    ts.set_seconds(absl::ToInt64Seconds(since));
    ts.set_nanos(static_cast<int32_t>(absl::ToInt64Milliseconds(since) % 1000 * 1000000));
    r->MutableMessage(holder, f)->CopyFrom(ts);
    return true;
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    r->SetString(holder, f, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", when, absl::UTCTimeZone()));
    return true;
  }
  return false;
}

std::string TrackFor(const Lifecycle& lifecycle, absl::string_view track, const Resource& resource,
                     const Message* request) {
  for (const Trigger& t : lifecycle.triggers) {
    if (t.track != track) continue;
    bool marked = false;
    if (!t.name_contains.empty()) {
      marked = absl::StrContains(resource.name, t.name_contains);
      for (const auto& [member, value] : resource.scope) {
        marked = marked || absl::StrContains(value, t.name_contains);
      }
    }
    if (!t.request_member.empty() && request != nullptr) {
      marked = marked || GetStringField(*request, t.request_member) == t.request_value;
    }
    if (marked) return t.instead;
  }
  return std::string(track);
}

std::string StateOf(const Resource& resource) {
  const Lifecycle* lifecycle = LifecycleFor(resource.service, resource.kind);
  const Track* track =
      lifecycle == nullptr ? nullptr : TrackOf(*lifecycle, resource.lifecycle.track);
  const int entered = resource.lifecycle.entered;
  if (track == nullptr || entered < 0 || entered >= static_cast<int>(track->phases.size())) {
    return "";
  }
  return track->phases[entered].state;
}

LifecycleEngine::LifecycleEngine(double time_scale, std::function<std::string()> uuid)
    : time_scale_(std::max(0.0, time_scale)), uuid_(std::move(uuid)) {}

absl::Duration LifecycleEngine::DurationOf(const Resource& resource, const Phase& phase) const {
  double seconds = phase.seconds;
  if (!phase.minutes_member.empty()) {
    // One modeled minute takes one second at time scale 1.
    seconds = GetNumberAt(*resource.body, phase.minutes_member);
  }
  return absl::Seconds(std::max(0.0, seconds) * time_scale_);
}

std::string LifecycleEngine::Expand(absl::string_view value, const Resource& resource) {
  std::string out;
  while (!value.empty()) {
    const size_t open = value.find('{');
    const size_t close = open == absl::string_view::npos ? open : value.find('}', open);
    if (close == absl::string_view::npos) {
      absl::StrAppend(&out, value);
      break;
    }
    absl::StrAppend(&out, value.substr(0, open));
    const std::string name(value.substr(open + 1, close - open - 1));
    if (name == "id") {
      absl::StrAppend(&out, resource.id);
    } else if (name == "arn") {
      absl::StrAppend(&out, resource.arn);
    } else if (name == "name") {
      absl::StrAppend(&out, resource.name);
    } else if (name == "uuid") {
      absl::StrAppend(&out, uuid_());
    } else if (auto text = GetStringField(*resource.body, name)) {
      absl::StrAppend(&out, *text);
    } else {
      absl::StrAppend(&out, static_cast<int64_t>(GetNumberAt(*resource.body, name)));
    }
    value.remove_prefix(close + 1);
  }
  return out;
}

Progress LifecycleEngine::Start(Resource& resource, absl::string_view track, absl::Time now,
                                const Message* request, const Finder& find) {
  const Lifecycle* lifecycle = LifecycleFor(resource.service, resource.kind);
  if (lifecycle == nullptr) return Progress::kNone;
  const std::string taken = TrackFor(*lifecycle, track, resource, request);
  const Track* t = TrackOf(*lifecycle, taken);
  if (t == nullptr || t->phases.empty()) return Progress::kNone;
  resource.lifecycle = LifecycleState{taken, now, -1, false, {}};
  for (const Counter& c : lifecycle->counters) {
    resource.lifecycle.counter_from[c.member] = GetNumberAt(*resource.body, c.member);
  }
  for (const auto& [from, to] : t->from_request) {
    if (request == nullptr) break;
    if (auto value = GetStringField(*request, from)) SetValueAt(resource.body.get(), to, *value);
  }
  return Advance(resource, now, find);
}

Progress LifecycleEngine::Advance(Resource& resource, absl::Time now, const Finder& find) {
  LifecycleState& state = resource.lifecycle;
  if (state.track.empty()) return Progress::kNone;
  const Lifecycle* lifecycle = LifecycleFor(resource.service, resource.kind);
  const Track* track = lifecycle == nullptr ? nullptr : TrackOf(*lifecycle, state.track);
  if (track == nullptr) return Progress::kNone;
  if (state.finished) return track->removes ? Progress::kGone : Progress::kLive;

  const int n = static_cast<int>(track->phases.size());
  std::vector<absl::Time> starts;
  absl::Time at = state.started;
  int current = 0;
  for (int i = 0; i < n; ++i) {
    starts.push_back(at);
    if (at <= now) current = i;
    if (i + 1 < n) at += DurationOf(resource, track->phases[i]);
  }
  for (int i = state.entered + 1; i <= current; ++i) {
    Enter(resource, *lifecycle, track->phases[i], starts[i], starts[std::max(0, i - 1)], find);
  }
  state.entered = std::max(state.entered, current);
  UpdateCounters(resource, *lifecycle, *track, starts, current, now);
  if (current == n - 1) state.finished = true;
  return state.finished && track->removes ? Progress::kGone : Progress::kLive;
}

void LifecycleEngine::Enter(Resource& resource, const Lifecycle& lifecycle, const Phase& phase,
                            absl::Time at, absl::Time previous, const Finder& find) {
  Message* body = resource.body.get();
  SetValueAt(body, lifecycle.status_member, phase.state);
  for (const auto& [path, value] : phase.set) SetValueAt(body, path, Expand(value, resource));
  for (const std::string& path : phase.stamps) SetTimeAt(body, path, at);
  if (!phase.event.empty() && !lifecycle.feeds.empty()) {
    const Feed& feed = lifecycle.feeds.front();
    Message* entry = nullptr;
    const FieldDescriptor* f = body->GetDescriptor()->FindFieldByName(feed.member);
    const auto* r = body->GetReflection();
    const bool in_body =
        f != nullptr && f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (in_body) {
      entry = r->AddMessage(body, f);
    } else if (!feed.entry_shape.empty()) {
      // Kept beside the body: the entry type is a message of the body's package.
      const auto* file = body->GetDescriptor()->file();
      const auto* type =
          file->pool()->FindMessageTypeByName(absl::StrCat(file->package(), ".", feed.entry_shape));
      if (type != nullptr) {
        // Made by the body's own factory: generated or dynamic alike.
        resource.feed.emplace_back(r->GetMessageFactory()->GetPrototype(type)->New());
        entry = resource.feed.back().get();
      }
    }
    if (entry != nullptr) {
      for (const auto& [path, value] : phase.event) {
        SetValueAt(entry, path, Expand(value, resource));
      }
      if (!feed.time_member.empty()) SetTimeAt(entry, feed.time_member, at);
      if (!feed.begin_member.empty()) SetTimeAt(entry, feed.begin_member, previous);
      if (!feed.id_member.empty()) SetValueAt(entry, feed.id_member, uuid_());
    }
    for (int i = in_body ? r->FieldSize(*body, f) - 1 : 0; feed.newest_first && i > 0; --i) {
      r->SwapElements(body, f, i, i - 1);
    }
  }
  for (const ParentEffect& effect : lifecycle.parent_effects) {
    auto scope = resource.scope.find(effect.scope_member);
    if (scope == resource.scope.end() || !find) continue;
    for (const auto& [child_state, parent_state] : effect.states) {
      if (child_state != phase.state) continue;
      if (Resource* parent = find(resource.service, effect.parent_kind, scope->second)) {
        SetValueAt(parent->body.get(), effect.parent_status, parent_state);
      }
    }
  }
}

void LifecycleEngine::UpdateCounters(Resource& resource, const Lifecycle& lifecycle,
                                     const Track& track, const std::vector<absl::Time>& starts,
                                     int current, absl::Time now) {
  Message* body = resource.body.get();
  for (const Counter& c : lifecycle.counters) {
    int during = -1;
    for (size_t i = 0; i < track.phases.size(); ++i) {
      if (track.phases[i].state == c.during && during < 0) during = static_cast<int>(i);
    }
    if (during < 0) continue;  // this track leaves the counter where it is
    double progress = current > during ? 1.0 : 0.0;
    if (current == during) {
      const absl::Duration length = during + 1 < static_cast<int>(starts.size())
                                        ? starts[during + 1] - starts[during]
                                        : absl::ZeroDuration();
      progress = length <= absl::ZeroDuration()
                     ? 1.0
                     : std::clamp(absl::FDivDuration(now - starts[during], length), 0.0, 1.0);
    }
    const double target = c.target_member.empty() ? c.target : GetNumberAt(*body, c.target_member);
    const double from = resource.lifecycle.counter_from[c.member];
    std::string growth_type;
    if (!c.growth_type_member.empty()) {
      growth_type = GetStringField(*body, c.growth_type_member).value_or("LINEAR");
    }
    const double factor =
        c.growth_factor_member.empty() ? 0 : GetNumberAt(*body, c.growth_factor_member);
    const double value = from + (target - from) * Grown(progress, growth_type, factor);
    SetNumberAt(body, c.member, value);
    for (const std::string& mirror : c.mirrors) SetNumberAt(body, mirror, value);
    if (!c.remainder_member.empty()) {
      SetNumberAt(body, c.remainder_member, std::max(0.0, target - std::floor(value)));
    }
  }
}

}  // namespace awsgw::emulator
