// What a call asks to do, in the terms of an IAM policy: the action
// ("ecs:DescribeServices") and the ARNs of the resources it acts on, read
// generically from the request through the (awsgw.operation).resources
// templates (options.proto) the generator writes.
//
// How a template becomes ARNs, for "service/{cluster=default}/{services}":
//   * each `{member}` is the request member's value (numbers in decimal);
//     an empty member takes the `=default`, or makes the template unusable;
//   * a repeated member (at most one per template) gives one ARN per element;
//     an empty list makes the template unusable;
//   * the last member's value, when it is itself an ARN ("arn:..."), is the
//     resource as the caller wrote it; an ARN in an earlier member stands
//     for its last path segment (a cluster ARN for the cluster's name);
//   * the rest is prefixed "arn:<partition>:<service>:<region>:<account>:".
// The first usable template decides; with none the resource is "*".
//
// A value that is not an ARN and holds a "." or ".." path segment is
// refused (INVALID_ARGUMENT naming the member): the ARN text must name the
// resource the request reaches, and a server normalizing dot segments would
// reach another.
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
  // FAILED_PRECONDITION when a template names a member the request does not
  // have, or is malformed (a build whose protos disagree with the runtime).
  static absl::StatusOr<AccessResources> Compile(const MethodEntry& method);

  // "ecs:DescribeServices": the service's signing name and the operation.
  const std::string& action() const { return action_; }

  // The ARNs `request` acts on (see above), or {"*"}.
  absl::StatusOr<std::vector<std::string>> Resolve(const google::protobuf::Message& request,
                                                   absl::string_view region,
                                                   absl::string_view account) const;

 private:
  struct Part {
    std::string literal;                                       // text before the member
    const google::protobuf::FieldDescriptor* field = nullptr;  // null: literal only
    std::string fallback;                                      // the `=default`
  };
  struct Template {
    std::vector<Part> parts;
  };

  // The ARNs of one template, or an empty list when it is unusable.
  absl::StatusOr<std::vector<std::string>> Expand(const Template& tmpl,
                                                  const google::protobuf::Message& request,
                                                  absl::string_view prefix) const;

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
