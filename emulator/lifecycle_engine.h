// LifecycleEngine: moves resources along the tracks of lifecycles.h. Lazy:
// nothing runs in the background; a resource's state is a function of when
// its current track started and of "now" on the lifecycle clock, brought up
// to date by Advance() whenever the store is about to be read, so Describe,
// Get and List all see the same progress.
//
// Durations are the table's times multiplied by `time_scale` (0: every track
// is already in its last state when it starts).
//
// Not thread-safe: ResourceHandler calls it under its lock.
#ifndef AWSGW_EMULATOR_LIFECYCLE_ENGINE_H_
#define AWSGW_EMULATOR_LIFECYCLE_ENGINE_H_

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "emulator/lifecycles.h"
#include "emulator/resource_store.h"
#include "google/protobuf/message.h"

namespace awsgw::emulator {

enum class Progress {
  kNone,  // the kind has no such track; nothing changed
  kLive,  // on its track (possibly at its end)
  kGone,  // at the end of a track that removes it: the caller removes it
};

class LifecycleEngine {
 public:
  // Finds a resource of `service`/`kind` named by `identifier` (nullptr when
  // there is none): the parents of parent effects and inherited members.
  using Finder = std::function<Resource*(absl::string_view service, absl::string_view kind,
                                         absl::string_view identifier)>;

  // `uuid` returns fresh UUIDs (feed entry ids, "{uuid}" in values).
  LifecycleEngine(double time_scale, std::function<std::string()> uuid);

  // Puts `resource` at the start of its kind's track `track` at `now`, or
  // of the track a trigger takes instead (lifecycles.h Trigger; see
  // TrackFor), copying the track's members from `request` (which may be
  // null), and enters every state already due.
  Progress Start(Resource& resource, absl::string_view track, absl::Time now,
                 const google::protobuf::Message* request, const Finder& find);

  // Enters every state due by `now`, updates counters, applies parent effects.
  Progress Advance(Resource& resource, absl::Time now, const Finder& find);

  double time_scale() const { return time_scale_; }

  // `value` with "{member}" placeholders filled from `resource` (see
  // lifecycles.h FieldValue).
  std::string Expand(absl::string_view value, const Resource& resource);

 private:
  absl::Duration DurationOf(const Resource& resource, const Phase& phase) const;
  void Enter(Resource& resource, const Lifecycle& lifecycle, const Phase& phase, absl::Time at,
             absl::Time previous, const Finder& find);
  void UpdateCounters(Resource& resource, const Lifecycle& lifecycle, const Track& track,
                      const std::vector<absl::Time>& starts, int current, absl::Time now);

  double time_scale_;
  std::function<std::string()> uuid_;
};

// The track `resource` takes when `track` is asked for: a trigger's
// (marked by name or scope, or by a request member) or `track` itself.
std::string TrackFor(const Lifecycle& lifecycle, absl::string_view track, const Resource& resource,
                     const google::protobuf::Message* request);

// The state `resource` last entered on its track ("" when it has none).
std::string StateOf(const Resource& resource);

// Message paths as lifecycles.h describes them ("deployments.running_count").
// Numbers: any integer or floating member; 0 when absent.
double GetNumberAt(const google::protobuf::Message& message, absl::string_view path);
bool SetNumberAt(google::protobuf::Message* message, absl::string_view path, double value);
// Strings, enums (by AWS value) and integers (parsed).
bool SetValueAt(google::protobuf::Message* message, absl::string_view path,
                absl::string_view value);
// Timestamps (or ISO 8601 strings).
bool SetTimeAt(google::protobuf::Message* message, absl::string_view path, absl::Time when);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_LIFECYCLE_ENGINE_H_
