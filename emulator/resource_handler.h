// ResourceHandler: the generic in-memory behaviour behind every operation.
//
// Each operation is classified once (operation_classifier.h) and answered
// from the ResourceStore: create mints and stores the resource, read and
// describe return it (or NOT_FOUND), list pages through the kind in creation
// order with the model's token and size members, update merges the request,
// delete removes it, the tagging operations work on any resource by ARN.
// Operations it cannot classify get an empty (well-formed) response.
//
// Kinds with a lifecycle (lifecycles.h) start a track on create, update,
// delete and their actions (and leave records: App Runner operations, ECS
// deployments); before every operation the LifecycleEngine brings
// all resources up to the lifecycle clock's now (removing those whose delete
// track ended).
//
// Threading: Handle() is thread-safe; operations are serialized.
#ifndef AWSGW_EMULATOR_RESOURCE_HANDLER_H_
#define AWSGW_EMULATOR_RESOURCE_HANDLER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "emulator/lifecycle_engine.h"
#include "emulator/operation_classifier.h"
#include "emulator/resource_minting.h"
#include "emulator/resource_store.h"
#include "emulator/service_registry.h"
#include "google/protobuf/message.h"

namespace awsgw::emulator {

// How lifecycles run: their clock (default: the handler's clock) and the
// factor applied to every duration (0: instantaneous).
struct LifecycleOptions {
  double time_scale = 1.0;
  std::function<absl::Time()> clock;
};

class ResourceHandler {
 public:
  // `registry` must outlive the handler.
  ResourceHandler(const ServiceRegistry& registry, ResourceMinter minter,
                  std::function<absl::Time()> clock, LifecycleOptions lifecycle = {});

  // Answers `request` (of `method` of `service`) into `response`, which is an
  // empty message of the method's output type. Returns NOT_FOUND when the
  // request names a resource (or parent) that does not exist, and
  // INVALID_ARGUMENT for a pagination token this emulator did not issue,
  // ALREADY_EXISTS for a create that repeats a name the service keeps unique.
  absl::Status Handle(const EmulatedService& service,
                      const google::protobuf::MethodDescriptor* method,
                      const google::protobuf::Message& request,
                      google::protobuf::Message* response);

  // How `method` is classified (for tests and diagnostics).
  const OperationClass& ClassOf(const google::protobuf::MethodDescriptor* method) const;

  // A fresh UUID from the handler's random source (request ids).
  std::string NewRequestId();

  // The stored resources as a snapshot document (snapshot.h), brought up to
  // date first; and the resources of a snapshot added to the store.
  // Restore: INVALID_ARGUMENT (saying what is wrong) for a malformed document.
  std::string Snapshot();
  absl::Status Restore(absl::string_view document);

 private:
  struct KindInfo {
    // Request field name -> the parent kind it names.
    absl::flat_hash_map<std::string, std::string> parents;
  };
  struct Call;  // one operation's inputs, shared by the verb handlers

  absl::Status Create(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // One resource of a create; `append`: add it to the response's list.
  absl::Status CreateOne(const Call& call, bool append) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Read(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status List(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Update(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Delete(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Tags(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Act(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ListFeed(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Brings every resource's lifecycle up to now; removes the gone.
  void AdvanceAll() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Starts `track` of `resource`, leaves the record the track names (App
  // Runner operations, ECS deployments; lifecycles.h Record) and answers it
  // in the response. Progress::kGone: the caller removes the resource.
  Progress StartTrack(const Call& call, Resource& resource, absl::string_view track)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  LifecycleEngine::Finder Finder() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // The stored resources the request's scope (parents) admits.
  std::vector<Resource*> InScope(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The parent the request names ("" for none), after checking that every
  // parent it names exists (NOT_FOUND naming the missing kind).
  absl::StatusOr<std::string> ExistingParent(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A resource named `name` with exactly the request's parents, or nullptr.
  Resource* SameNamed(const Call& call, absl::string_view name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The one resource the request names; NOT_FOUND naming it otherwise.
  absl::StatusOr<Resource*> FindNamed(const Call& call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const ServiceRegistry& registry_;
  std::function<absl::Time()> clock_;
  absl::flat_hash_map<const google::protobuf::ServiceDescriptor*,
                      std::unique_ptr<ServiceOperations>>
      operations_;
  // By "<model>/<Kind>".
  absl::flat_hash_map<std::string, KindInfo> kinds_;

  absl::Mutex mu_;
  ResourceStore store_ ABSL_GUARDED_BY(mu_);
  ResourceMinter minter_ ABSL_GUARDED_BY(mu_);
  std::function<absl::Time()> lifecycle_clock_;
  LifecycleEngine engine_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_RESOURCE_HANDLER_H_
