// ResourceStore: the emulator's in-memory resources, kept as the messages the
// services answered with when they were created, plus what lookups need:
// kind, identity (id, ARN, name), parent scope and tags.
//
// Not thread-safe: ResourceHandler serializes every operation on it.
#ifndef AWSGW_EMULATOR_RESOURCE_STORE_H_
#define AWSGW_EMULATOR_RESOURCE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"

namespace awsgw::emulator {

// Where a resource is in its lifecycle (lifecycles.h); empty `track` for
// kinds without one.
struct LifecycleState {
  std::string track;   // "create", "update", "delete", "stop", ...
  absl::Time started;  // on the lifecycle clock
  int entered = -1;    // index of the last state entered
  bool finished = false;
  // Counter members' values when the track started.
  std::map<std::string, double> counter_from;
};

struct Resource {
  std::string service;  // model name ("ecs")
  std::string kind;     // "Cluster"
  std::string id;
  std::string arn;
  std::string name;
  // 1, 2, ... among resources of the kind with the same name and parents
  // (ECS task definition revisions, AppConfig hosted version numbers).
  int revision = 1;
  // Parent identifiers by request field name ("app_id" -> "d1x..."), as given
  // when the resource was created.
  std::map<std::string, std::string> scope;
  std::map<std::string, std::string> tags;
  // The resource as the create operation answered it, kept up to date.
  std::unique_ptr<google::protobuf::Message> body;
  // Event entries kept beside the body, oldest first, for kinds whose feed
  // is listed by an operation of its own (Feed::list_noun).
  std::vector<std::unique_ptr<google::protobuf::Message>> feed;
  uint64_t sequence = 0;  // creation order
  LifecycleState lifecycle;

  // True when `value` is this resource's id, ARN or name.
  bool IsNamedBy(absl::string_view value) const;
};

class ResourceStore {
 public:
  // Stores `resource`, assigning its sequence number; returns it.
  Resource& Add(Resource resource);

  // Resources of `service`/`kind` accepted by `filter`, in creation order.
  std::vector<Resource*> Select(absl::string_view service, absl::string_view kind,
                                const std::function<bool(const Resource&)>& filter);

  // Every resource, in creation order.
  std::vector<Resource*> All();

  // The resource of `service` whose ARN is `arn`, of any kind, or nullptr.
  Resource* FindByArn(absl::string_view service, absl::string_view arn);

  // Removes the resource `resource` points to. Invalidates the pointer.
  void Remove(const Resource* resource);

  size_t size() const { return resources_.size(); }

 private:
  uint64_t next_sequence_ = 1;
  // Ordered by sequence, so selections come out in creation order.
  std::map<uint64_t, Resource> resources_;
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_RESOURCE_STORE_H_
