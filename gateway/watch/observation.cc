#include "gateway/watch/observation.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace awsgw::gateway::watch {

using google::protobuf::Message;

bool KeyMatches(const std::string& value, const std::string& key) {
  if (key.empty() || value.empty()) return false;
  return value == key || absl::EndsWith(value, absl::StrCat("/", key));
}

Located Locate(const CompiledWatch& watch, const Message& response, const std::string& key) {
  Located located;
  if (!watch.has_match) {
    located.resource = watch.resource.MessageAt(response);
    if (located.resource == nullptr) located.missing = "";
    return located;
  }
  std::vector<const Message*> elements = watch.match_list.Elements(response);
  if (key.empty() && watch.first_when_empty) {
    if (!elements.empty()) {
      located.resource = elements.front();
    } else {
      located.missing = "";
    }
    return located;
  }
  for (const Message* element : elements) {
    for (const FieldPath& path : watch.match_keys) {
      if (KeyMatches(path.Text(*element).value_or(""), key)) {
        located.resource = element;
        return located;
      }
    }
  }
  if (watch.has_missing) {
    for (const Message* failure : watch.missing_list.Elements(response)) {
      if (KeyMatches(watch.missing_key.Text(*failure).value_or(""), key)) {
        located.missing = watch.missing_reason.Text(*failure).value_or("");
        return located;
      }
    }
  }
  located.missing = "";
  return located;
}

Observation Observe(const CompiledWatch& watch, const CompiledGoal* goal, const Message& resource) {
  Observation observation;
  std::shared_ptr<Message> copy(resource.New());
  copy->CopyFrom(resource);
  observation.status = watch.status.Text(resource).value_or("");
  if (watch.reason.has_value()) observation.reason = watch.reason->Text(resource).value_or("");
  {
    std::unique_ptr<Message> stripped(resource.New());
    stripped->CopyFrom(resource);
    for (const FieldPath& ignore : watch.ignore) ignore.Clear(stripped.get());
    observation.digest = StableDigest(*stripped);
  }
  if (goal != nullptr) {
    for (const CompiledCondition& c : goal->failure_when_any) {
      if (c.Holds(resource)) {
        observation.terminal = true;
        observation.outcome = v1::WatchUpdate::OUTCOME_FAILED;
        break;
      }
    }
    if (!observation.terminal && !goal->success_when_all.empty() &&
        std::all_of(goal->success_when_all.begin(), goal->success_when_all.end(),
                    [&](const CompiledCondition& c) { return c.Holds(resource); })) {
      observation.terminal = true;
      observation.outcome = v1::WatchUpdate::OUTCOME_SUCCEEDED;
    }
  } else {
    const v1::WatchDefinition& def = *watch.definition;
    auto in = [&](const auto& values) {
      return std::find(values.begin(), values.end(), observation.status) != values.end();
    };
    if (in(def.success_values())) {
      observation.outcome = v1::WatchUpdate::OUTCOME_SUCCEEDED;
    } else if (in(def.failure_values())) {
      observation.outcome = v1::WatchUpdate::OUTCOME_FAILED;
    } else if (in(def.ended_values())) {
      observation.outcome = v1::WatchUpdate::OUTCOME_ENDED;
    }
    observation.terminal = observation.outcome != v1::WatchUpdate::OUTCOME_UNSPECIFIED;
  }
  observation.resource = std::move(copy);
  return observation;
}

std::vector<Event> ExtractEvents(const CompiledEvents& events, const Message& container) {
  std::vector<const Message*> listed = events.list.Elements(container);
  // Oldest first, as they happened: the timestamps alone cannot say which of
  // the events of one instant came first, their place in the list does.
  if (events.newest_first) std::reverse(listed.begin(), listed.end());
  std::vector<Event> out;
  for (const Message* element : listed) {
    Event event;
    event.order_nanos = events.order.TimestampNanos(*element).value_or(0);
    if (!events.id.empty()) {
      event.id = StableDigest(events.id.Text(*element).value_or(""));
    } else {
      event.id = StableDigest(*element);
    }
    event.summary = events.summary.Text(*element).value_or("");
    std::shared_ptr<Message> copy(element->New());
    copy->CopyFrom(*element);
    event.message = std::move(copy);
    out.push_back(std::move(event));
  }
  std::stable_sort(out.begin(), out.end());
  // One event listed twice (pages that overlap while the list grows) once.
  std::vector<Event> unique;
  unique.reserve(out.size());
  for (Event& event : out) {
    auto same_instant = std::find_if(unique.rbegin(), unique.rend(), [&](const Event& kept) {
      return kept.order_nanos != event.order_nanos || kept.id == event.id;
    });
    if (same_instant != unique.rend() && same_instant->order_nanos == event.order_nanos) continue;
    unique.push_back(std::move(event));
  }
  return unique;
}

}  // namespace awsgw::gateway::watch
