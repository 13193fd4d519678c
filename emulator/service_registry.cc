#include "emulator/service_registry.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "proto/service_files.h"

namespace awsgw::emulator {

absl::StatusOr<ServiceRegistry> ServiceRegistry::FromGeneratedPool() {
  const google::protobuf::DescriptorPool& pool =
      *google::protobuf::DescriptorPool::generated_pool();
  ServiceRegistry registry;
  for (absl::string_view name : proto::ServiceProtoFiles()) {
    const google::protobuf::FileDescriptor* file = pool.FindFileByName(std::string(name));
    if (file == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat("proto file ", name, " is not linked in"));
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      if (!service->options().HasExtension(awsgw::service)) {
        return absl::FailedPreconditionError(
            absl::StrCat("service ", service->full_name(), " has no (awsgw.service) option"));
      }
      const ServiceInfo& info = service->options().GetExtension(awsgw::service);
      registry.services_.push_back({service, &info, &FactsFor(info.model_name())});
    }
  }
  return registry;
}

const EmulatedService* ServiceRegistry::FindBySigningName(absl::string_view name) const {
  for (const EmulatedService& service : services_) {
    if (service.info->signing_name() == name) return &service;
  }
  return nullptr;
}

int ServiceRegistry::operation_count() const {
  int count = 0;
  for (const EmulatedService& service : services_) count += service.descriptor->method_count();
  return count;
}

}  // namespace awsgw::emulator
