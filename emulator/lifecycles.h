// Lifecycles: how the resources of the emulated services move through their
// statuses over time, as data. One declarative table (lifecycles.cc) names,
// per resource kind: the status member, the tracks of states with their
// durations (entered on create, update, delete or an action such as
// StopJob), members set and timestamps stamped on entering a state, counters
// that converge (ECS runningCount -> desiredCount, AppConfig
// PercentageComplete by growth), event feeds (ECS service events, AppConfig
// EventLog, Amplify job steps), effects on a parent (an AppConfig
// environment's state follows its deployment) and operations recorded per
// resource (App Runner ListOperations, ECS service deployments), and the
// triggers that send a resource down a failure track.
//
// lifecycle_engine.h evaluates these lazily from the time a track started;
// nothing here names an operation, only verbs and kinds.
#ifndef AWSGW_EMULATOR_LIFECYCLES_H_
#define AWSGW_EMULATOR_LIFECYCLES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace awsgw::emulator {

// A member path and the value written there. Paths are proto field names,
// dotted into sub-messages; a repeated message on the way means its first
// element ("deployments.rollout_state"). Values may name other members of
// the resource in braces ("(service {service_name}) has reached a steady
// state."), plus {id}, {arn}, {name}, {uuid}.
using FieldValue = std::pair<std::string, std::string>;

struct Phase {
  std::string state;  // written to the kind's status member
  // How long the resource stays in this state, in seconds at time scale 1
  // (ignored for a track's last state).
  double seconds = 0;
  // Or: the duration is this numeric member of the resource, in minutes, each
  // modeled minute taking one second at time scale 1 (AppConfig's
  // DeploymentDurationInMinutes and FinalBakeTimeInMinutes, compressed).
  std::string minutes_member;
  std::vector<FieldValue> set;      // members written on entry
  std::vector<std::string> stamps;  // timestamp members set to the time of entry
  std::vector<FieldValue> event;    // an entry appended to the kind's feed on entry
};

// A sequence of states entered together: on create ("create"), update
// ("update"), delete ("delete") or an action named in Lifecycle::actions.
struct Track {
  std::string name;
  std::vector<Phase> phases;
  bool removes = false;  // after the last state the resource is gone
  // The record left when the track starts (App Runner OperationType, e.g.
  // "PAUSE_SERVICE"); see Lifecycle::record.
  std::string records;
  // Request members copied to resource members on entry (StopTask's reason
  // -> the task's stoppedReason).
  std::vector<FieldValue> from_request;
};

// A numeric member converging on a target while the resource is in state
// `during` (per its track): from its value when the track started to the
// target, linearly, or in steps by a growth type and factor.
struct Counter {
  std::string member;
  std::string target_member;  // the target is this member's value...
  double target = 0;          // ...or this constant
  std::string during;
  // Members holding the growth type (LINEAR, EXPONENTIAL) and factor (a
  // percentage per step) where the resource has them (AppConfig).
  std::string growth_type_member;
  std::string growth_factor_member;
  std::vector<std::string> mirrors;  // members that carry the same value
  std::string remainder_member;      // target - value (ECS pendingCount)
};

// Where the phases' events are collected: a repeated member of the
// resource, or, when the service lists them with an operation of their own
// (AppConfig ListExperimentRunEvents), entries of `entry_shape` kept beside
// the resource and answered by the operation "List" + `list_noun` naming it.
struct Feed {
  std::string member;
  std::string time_member;   // set to the time the event happened
  std::string begin_member;  // set to when the previous state began (step start)
  std::string id_member;     // a fresh UUID
  bool newest_first = false;
  std::string list_noun;    // "ExperimentRunEvents"
  std::string entry_shape;  // "ExperimentRunEvent", a message of the service's package
};

// The mark that sends a resource down a failure track (Trigger).
inline constexpr char kFailMarker[] = "emulator-fail";

// Another track taken instead of `track` when the resource starting it is
// marked (its name, or an identifier it was created under, such as its
// service's ARN, contains `name_contains`), or when the request starting it
// sets member `request_member` to `request_value` (StopServiceDeployment's
// stopType ABORT). Marks are how a test reaches the failures a real service
// reaches for reasons an emulator cannot have (an image that does not start,
// a domain that never verifies); emulator/README.md lists them.
struct Trigger {
  std::string track;
  std::string instead;
  std::string name_contains;
  std::string request_member;
  std::string request_value;
};

// Records a kind's tracks leave as resources of their own (App Runner's
// operations, ECS service and daemon deployments), one per track whose
// `records` is set, started on their "create" track.
struct Record {
  std::string kind;  // "Operation"; the record lifecycle's body_shape is its shape
  // The record's scope member naming its owner by ARN ("service_arn"); the
  // record also takes the owner's own scope (an ECS service's cluster).
  std::string scope;
  std::string type_member;             // set to the track's `records` ("type")
  std::vector<FieldValue> from_owner;  // record member <- value expanded on the owner
  // The response member answering the record, by id or by ARN (App Runner's
  // OperationId), and the owner's member naming its newest record by ARN
  // (an ECS daemon's deploymentArn).
  std::string answer_member;
  bool answer_arn = false;
  std::string owner_member;
};

// While the resource is in one of `states`, its parent (the resource its
// `scope_member` names) has its status member set to the mapped value.
struct ParentEffect {
  std::string scope_member;  // request member naming the parent ("environment_id")
  std::string parent_kind;
  std::string parent_status;
  std::vector<FieldValue> states;  // child state -> parent status
};

// An operation (beyond Create/Update/Delete) that starts a track: verb +
// noun, where the noun is the kind or its plural unless given ("Stop" on
// Task is StopTask; App Runner's StartDeployment is "Start" + "Deployment"
// on Service).
struct Action {
  std::string verb;
  std::string noun;  // "" for the kind
  std::string track;
};

struct Lifecycle {
  std::string service;  // model name
  std::string kind;
  std::string status_member;  // a path, see FieldValue
  // The kind's stored shape when the create response does not hold the full
  // resource (RunTask's tasks, StartJob's jobSummary): a message of the
  // service's package, and the member of it the create request fills.
  std::string body_shape;
  std::string core_member;
  // Verbs besides Create/Register whose operation on the kind creates it
  // ("Run" + "Task", "Start" + "Job").
  std::vector<std::string> create_verbs;
  std::vector<Action> actions;
  std::vector<Track> tracks;
  std::vector<Counter> counters;
  std::vector<Feed> feeds;  // at most one; a vector keeps the table rows short
  std::vector<ParentEffect> parent_effects;
  std::vector<Trigger> triggers;
  Record record;  // kind "": the tracks leave none
  // States in which the kind's list operation leaves a resource out while
  // its read still answers it (ECS lists no INACTIVE service).
  std::vector<std::string> unlisted;
  // A request member naming another resource whose members the new one
  // takes where the request sets none (a deployment's strategy).
  std::string inherit_from;
  std::string inherit_kind;
  // A request member asking for several at once (RunTask's count), and the
  // most the service makes per request.
  std::string count_member;
  int max_count = 1;
};

// Every lifecycle of a service (model name).
std::vector<const Lifecycle*> LifecyclesOf(absl::string_view service);

// The lifecycle of `kind` of `service`, or nullptr.
const Lifecycle* LifecycleFor(absl::string_view service, absl::string_view kind);

// The track `name` of `lifecycle`, or nullptr.
const Track* TrackOf(const Lifecycle& lifecycle, absl::string_view name);

// The lifecycle whose feed `List<noun>` answers ("ExperimentRunEvents"), or nullptr.
const Lifecycle* FeedListedAs(absl::string_view service, absl::string_view noun);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_LIFECYCLES_H_
