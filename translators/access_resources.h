// What a call asks to do, in the terms of an IAM policy: the action
// ("ecs:DescribeServices") and the ARNs of the resources it acts on, read
// generically from the request through the (awsgw.operation).resources
// templates (options.proto) the generator writes.
//
// How a template becomes ARNs, for "service/{cluster=default}/{services}":
//   * each `{member}` is the request member's value (numbers in decimal);
//     an empty member (or list) takes the `=default`, or makes the template
//     unusable;
//   * a repeated member (at most one per template) gives one ARN per
//     element, at most kMaxResourcesPerCall of them;
//   * the last member's value, when it is itself an ARN ("arn:..."), is the
//     resource as the caller wrote it, provided it lies under what the other
//     members name (a task ARN of the cluster given); an ARN in an earlier
//     member stands for its last path segment (a cluster ARN for its name);
//   * the rest is prefixed "arn:<partition>:<service>:<region>:<account>:".
// Every usable template counts, except one whose members a template taken
// before it covers: RunTask acts on its task definition and its cluster,
// DescribeServices on its services (not also on their cluster). With none,
// the resource is "*".
//
// Refused with INVALID_ARGUMENT naming the member, because the decision must
// be about what the request reaches: an ARN of another partition, service,
// region or (when the account is known) account than the call; an ARN that
// is not under the other members' resource; a value or ARN holding a "." or
// ".." path segment (a server normalizing it would reach another resource);
// more values than kMaxResourcesPerCall.
#ifndef AWSGW_TRANSLATORS_ACCESS_RESOURCES_H_
#define AWSGW_TRANSLATORS_ACCESS_RESOURCES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "translators/method_table.h"

namespace awsgw::translators {

class AccessResources {
 public:
  // AWS's own lists are shorter (DescribeServices takes 10, DescribeTasks
  // 100): a longer one is refused before any policy work.
  static constexpr size_t kMaxResourcesPerCall = 100;

  // FAILED_PRECONDITION when a template names a member the request does not
  // have, or is malformed (a build whose protos disagree with the runtime).
  static absl::StatusOr<AccessResources> Compile(const MethodEntry& method);

  // "ecs:DescribeServices": the service's signing name and the operation.
  const std::string& action() const { return action_; }

  // The ARNs `request` acts on (see above), or {"*"}.
  absl::StatusOr<std::vector<std::string>> Resolve(const google::protobuf::Message& request,
                                                   absl::string_view region,
                                                   absl::string_view account) const;

  // The values a policy condition on request member `member` sees: as AWS
  // takes them, so an ARN counts as the name it ends in and an empty member
  // as its default (ECS: cluster "default").
  std::vector<std::string> ConditionValues(const google::protobuf::Message& request,
                                           absl::string_view member) const;

 private:
  struct Part {
    std::string literal;                                       // text before the member
    const google::protobuf::FieldDescriptor* field = nullptr;  // null: literal only
    std::string fallback;                                      // the `=default`
  };
  struct Template {
    std::vector<Part> parts;
  };
  struct Scope {
    absl::string_view region, account;
  };
  // One template's ARNs (none: unusable) and the members it read.
  struct Expansion {
    std::vector<std::string> arns;
    std::vector<const google::protobuf::FieldDescriptor*> members;
  };

  absl::StatusOr<Expansion> Expand(const Template& tmpl, const google::protobuf::Message& request,
                                   const Scope& scope) const;
  // OK when an ARN a member holds names this call's partition, service,
  // region and account.
  absl::Status CheckArn(const google::protobuf::FieldDescriptor* field, absl::string_view value,
                        const Scope& scope) const;

  std::string action_;
  std::string service_;  // the ARN's service part
  std::vector<Template> templates_;
};

// The AWS partition of a region ("aws", "aws-cn", "aws-us-gov").
absl::string_view PartitionOf(absl::string_view region);

// The values of the request's top-level member of AWS name `member`, as the
// wire carries them (numbers in decimal, enums by their AWS value, lists
// element by element); empty when unset or when there is no such member.
std::vector<std::string> MemberValues(const google::protobuf::Message& request,
                                      absl::string_view member);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_ACCESS_RESOURCES_H_
