// A flat member -> values list; linear lookup beats hashing at this size.
#include "auth/policy/request_fields.h"

#include "absl/strings/match.h"

namespace awsgw::auth::policy {

void RequestFields::Set(absl::string_view member, std::vector<std::string> values) {
  for (auto& [name, existing] : fields_) {
    if (absl::EqualsIgnoreCase(name, member)) {
      existing = std::move(values);
      return;
    }
  }
  fields_.emplace_back(std::string(member), std::move(values));
}

void RequestFields::Set(absl::string_view member, std::string value) {
  std::vector<std::string> values;
  values.push_back(std::move(value));
  Set(member, std::move(values));
}

const std::vector<std::string>* RequestFields::Find(absl::string_view member) const {
  for (const auto& [name, values] : fields_) {
    if (absl::EqualsIgnoreCase(name, member)) return &values;
  }
  return nullptr;
}

}  // namespace awsgw::auth::policy
