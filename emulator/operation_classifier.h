// Sorts every operation of a service into what the generic resource store
// does with it, from the operation names alone: "CreateCluster" creates a
// Cluster, "DescribeClusters" reads Clusters, "ListApps" lists Apps. A read,
// update, delete or list counts only when the service also has an operation
// that creates that kind of resource; everything else is kOther (the store
// answers it with a well-formed response and keeps no state).
#ifndef AWSGW_EMULATOR_OPERATION_CLASSIFIER_H_
#define AWSGW_EMULATOR_OPERATION_CLASSIFIER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "emulator/lifecycles.h"
#include "emulator/service_facts.h"
#include "google/protobuf/descriptor.h"

namespace awsgw::emulator {

// kAction: an operation that starts a lifecycle track of an existing
// resource (StopTask, PauseService; see lifecycles.h). kListFeed: one that
// lists the event feed kept beside a resource (ListExperimentRunEvents).
enum class Verb {
  kCreate,
  kRead,
  kList,
  kUpdate,
  kDelete,
  kTag,
  kUntag,
  kListTags,
  kAction,
  kListFeed,
  kOther
};

absl::string_view VerbName(Verb verb);

struct OperationClass {
  Verb verb = Verb::kOther;
  // The resource kind in singular PascalCase ("TaskDefinition"); empty for
  // kOther and the tag operations.
  std::string kind;
  std::string track;  // kAction: the lifecycle track it starts
};

// The naming forms of a kind the descriptors and ARNs use.
std::string SnakeCase(absl::string_view pascal);  // "TaskDefinition" -> "task_definition"
std::string KebabCase(absl::string_view pascal);  // -> "task-definition"
std::string FlatCase(absl::string_view pascal);   // -> "taskdefinition"
// Singular candidates of a plural noun, most likely first ("Policies" ->
// {"Policy", "Policie", "Policies"}); a singular noun gives itself.
std::vector<std::string> SingularForms(absl::string_view noun);

// The classes of one service's operations, computed once.
class ServiceOperations {
 public:
  // `lifecycles` add the kinds they name and their create verbs and actions
  // ("Run" + "Task" creates a Task, "Stop" + "Task" starts its stop track).
  // `aliases` map nouns to the kind they read ("GetConfiguration" reads a
  // HostedConfigurationVersion).
  explicit ServiceOperations(const google::protobuf::ServiceDescriptor* service,
                             const std::vector<const Lifecycle*>& lifecycles = {},
                             const std::vector<KindAlias>& aliases = {});

  const OperationClass& ClassOf(const google::protobuf::MethodDescriptor* method) const;

  // Kinds some operation of the service creates.
  const std::vector<std::string>& creatable_kinds() const { return kinds_; }

 private:
  std::vector<std::string> kinds_;
  absl::flat_hash_map<const google::protobuf::MethodDescriptor*, OperationClass> classes_;
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_OPERATION_CLASSIFIER_H_
