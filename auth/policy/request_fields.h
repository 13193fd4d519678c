// RequestFields: the top-level members of one request, as policy conditions
// ("request.<Member>") see them. Built per call by whoever holds the decoded
// request (the gateway, from the protobuf message), so it is a flat vector:
// a handful of members, no hashing, one allocation per member at most.
//
// Values are text: strings as they are, numbers and booleans in their JSON
// spelling, a list as one value per element. Nested structures are not
// represented (conditions only look at top-level scalars and lists of them).
#ifndef AWSGW_AUTH_POLICY_REQUEST_FIELDS_H_
#define AWSGW_AUTH_POLICY_REQUEST_FIELDS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace awsgw::auth::policy {

class RequestFields {
 public:
  RequestFields() = default;

  // Adds a member by its AWS member name ("cluster", "ApplicationId"). A
  // second Set of the same name replaces the first.
  void Set(absl::string_view member, std::vector<std::string> values);
  void Set(absl::string_view member, std::string value);

  // The values of `member`, or nullptr when the request does not carry it.
  // Names compare ASCII case-insensitively: AWS member names never differ
  // only in case, and a policy writing "request.Cluster" for ECS's "cluster"
  // should not silently see an absent field.
  [[nodiscard]] const std::vector<std::string>* Find(absl::string_view member) const;

  [[nodiscard]] size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::vector<std::string>>> fields_;
};

}  // namespace awsgw::auth::policy

#endif  // AWSGW_AUTH_POLICY_REQUEST_FIELDS_H_
