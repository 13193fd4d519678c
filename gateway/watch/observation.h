// What one poll says about one watched resource: where it is in the
// response, its status, whether it reached a terminal state (by the
// definition's status values or the caller's goal), a digest for change
// detection, and its event feed.
//
// Pure functions of a response message: the poller calls them once per
// resource per poll, whatever the number of watchers.
#ifndef AWSGW_GATEWAY_WATCH_OBSERVATION_H_
#define AWSGW_GATEWAY_WATCH_OBSERVATION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "awsgw/watch/v1/watch.pb.h"
#include "gateway/watch/event.h"
#include "gateway/watch/watch_definition.h"
#include "google/protobuf/message.h"

namespace awsgw::gateway::watch {

using Outcome = v1::WatchUpdate::Outcome;

struct Observation {
  std::shared_ptr<const google::protobuf::Message> resource;
  std::string status;
  std::string reason;
  // StableDigest of the resource without the ignored fields.
  uint64_t digest = 0;
  bool terminal = false;
  Outcome outcome = v1::WatchUpdate::OUTCOME_UNSPECIFIED;
};

// Where the resource of `key` is in a poll response.
struct Located {
  const google::protobuf::Message* resource = nullptr;
  // Set when the response says the resource does not exist: AWS's reason
  // ("MISSING"), or "" when it is simply absent.
  std::optional<std::string> missing;
};
Located Locate(const CompiledWatch& watch, const google::protobuf::Message& response,
               const std::string& key);

// `goal` may be null (the definition's status values decide).
Observation Observe(const CompiledWatch& watch, const CompiledGoal* goal,
                    const google::protobuf::Message& resource);

// The event feed's entries in `container` (the resource, or the response of
// the feed's own rpc), oldest first: by timestamp, and those of one instant
// in the order the feed lists them (reversed where it lists newest first).
std::vector<Event> ExtractEvents(const CompiledEvents& events,
                                 const google::protobuf::Message& container);

// Whether `key` names `value`: equal, or an ARN ending in "/<key>".
bool KeyMatches(const std::string& value, const std::string& key);

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_OBSERVATION_H_
