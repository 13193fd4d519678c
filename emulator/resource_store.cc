#include "emulator/resource_store.h"

namespace awsgw::emulator {

bool Resource::IsNamedBy(absl::string_view value) const {
  return !value.empty() && (value == id || value == arn || value == name);
}

Resource& ResourceStore::Add(Resource resource) {
  resource.sequence = next_sequence_++;
  auto [it, inserted] = resources_.emplace(resource.sequence, std::move(resource));
  return it->second;
}

std::vector<Resource*> ResourceStore::Select(absl::string_view service, absl::string_view kind,
                                             const std::function<bool(const Resource&)>& filter) {
  std::vector<Resource*> out;
  for (auto& [sequence, resource] : resources_) {
    if (resource.service == service && resource.kind == kind && filter(resource)) {
      out.push_back(&resource);
    }
  }
  return out;
}

std::vector<Resource*> ResourceStore::All() {
  std::vector<Resource*> out;
  for (auto& [sequence, resource] : resources_) out.push_back(&resource);
  return out;
}

Resource* ResourceStore::FindByArn(absl::string_view service, absl::string_view arn) {
  for (auto& [sequence, resource] : resources_) {
    if (resource.service == service && !arn.empty() && resource.arn == arn) return &resource;
  }
  return nullptr;
}

void ResourceStore::Remove(const Resource* resource) { resources_.erase(resource->sequence); }

}  // namespace awsgw::emulator
