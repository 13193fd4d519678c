// The (awsgw.watch.v1.watch) option of one watch rpc, resolved against the
// descriptors once at start-up: the rpc to poll, field paths, goals.
//
// A definition that does not resolve (a path naming no field, a poll method
// this build does not serve, a snapshot field of another type) is an error
// at start-up, never at the first poll. BuildTarget() turns one watch
// request into what a poller needs: the poll request, the resource's key
// among the response's elements, the goal.
#ifndef AWSGW_GATEWAY_WATCH_WATCH_DEFINITION_H_
#define AWSGW_GATEWAY_WATCH_WATCH_DEFINITION_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "awsgw/watch/v1/watch.pb.h"
#include "awsgw/watch/v1/watch_options.pb.h"
#include "gateway/watch/field_path.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "translators/method_table.h"

namespace awsgw::gateway::watch {

// The generated watch protos (package awsgw.watch.v1).
namespace v1 = ::awsgw::watch::v1;

struct CompiledMapping {
  FieldPath from;  // in the watch request
  FieldPath to;    // in the poll request
  bool optional = false;
};

struct CompiledCondition {
  FieldPath path;
  std::vector<std::string> any_of;
  std::optional<FieldPath> equals_path;
  std::optional<int> count;

  bool Holds(const google::protobuf::Message& resource) const;
};

struct CompiledGoal {
  std::string name;
  std::vector<CompiledCondition> success_when_all;
  std::vector<CompiledCondition> failure_when_any;
};

// A paged rpc: where the next page's token is, in its request and response.
struct CompiledPagination {
  FieldPath request_token, response_token;
  int max_pages = 1;
};

struct CompiledEvents {
  const translators::MethodEntry* method = nullptr;  // null: the list is in the resource
  std::vector<CompiledMapping> request;
  FieldPath list;  // in the resource, or in the response of `method`
  FieldPath id;    // empty: the whole event
  FieldPath order;
  FieldPath summary;
  bool newest_first = false;  // the list's order (EventFeed.newest_first)
  const google::protobuf::FieldDescriptor* update_field = nullptr;
  std::optional<CompiledPagination> pagination;  // of `method`
};

class CompiledWatch {
 public:
  // FAILED_PRECONDITION naming the rpc and what is wrong with its option.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CompiledWatch>> Compile(
      const google::protobuf::MethodDescriptor* method, const translators::MethodTable& catalog);

  const google::protobuf::MethodDescriptor* method = nullptr;
  // "/awsgw.watch.v1.WatchService/WatchEcsTask"
  std::string path;
  const v1::WatchDefinition* definition = nullptr;
  const translators::MethodEntry* poll = nullptr;
  std::vector<CompiledMapping> request;
  FieldPath resource;  // in the poll response (no match)
  bool has_match = false;
  FieldPath match_key_from;
  FieldPath match_list;
  std::vector<FieldPath> match_keys;
  bool first_when_empty = false;
  std::optional<CompiledPagination> pagination;  // of the poll rpc
  bool batched = false;
  FieldPath batch_list;
  int batch_max = 1;
  bool has_missing = false;
  FieldPath missing_list, missing_key, missing_reason;
  const google::protobuf::Descriptor* resource_type = nullptr;
  FieldPath status;
  std::optional<FieldPath> reason;
  std::vector<FieldPath> ignore;
  std::optional<CompiledEvents> events;
  std::optional<FieldPath> goal_field;
  // By the goal enum's value number.
  absl::flat_hash_map<int, CompiledGoal> goals;
  const google::protobuf::FieldDescriptor* snapshot_field = nullptr;
  // The WatchOptions field of the request, if any.
  const google::protobuf::FieldDescriptor* options_field = nullptr;
};

// What one watch request asks for, ready for the poller registry.
struct WatchTarget {
  // The poll request without batch keys; watchers whose base requests are
  // equal share a poller.
  std::unique_ptr<google::protobuf::Message> poll_request;
  std::unique_ptr<google::protobuf::Message> events_request;  // or null
  // The resource among the response's elements ("" without a match).
  std::string resource_key;
  const CompiledGoal* goal = nullptr;
  std::string goal_name;
  // How summaries name the resource ("cluster-a/task-1").
  std::string display;
  // Digest of the two requests' deterministic bytes.
  uint64_t request_digest = 0;
};

// INVALID_ARGUMENT naming the request field when a required identifier is
// empty.
[[nodiscard]] absl::StatusOr<WatchTarget> BuildTarget(const CompiledWatch& watch,
                                                      const google::protobuf::Message& request);

// The compiled definitions of every rpc of a watch service.
class WatchCatalog {
 public:
  // FAILED_PRECONDITION when an rpc lacks its option or it does not resolve.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<WatchCatalog>> Build(
      const google::protobuf::ServiceDescriptor* service, const translators::MethodTable& catalog);

  const google::protobuf::ServiceDescriptor* service() const { return service_; }
  const std::vector<std::unique_ptr<CompiledWatch>>& watches() const { return watches_; }
  const CompiledWatch* FindByPath(absl::string_view path) const;

 private:
  const google::protobuf::ServiceDescriptor* service_ = nullptr;
  std::vector<std::unique_ptr<CompiledWatch>> watches_;
};

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_WATCH_DEFINITION_H_
