#include "emulator/service_registry.h"

#include "absl/status/status.h"
#include "proto/service_files.h"

namespace awsgw::emulator {

absl::StatusOr<ServiceRegistry> ServiceRegistry::FromGeneratedPool() {
  return FromPool(*google::protobuf::DescriptorPool::generated_pool(), proto::ServiceProtoFiles(),
                  google::protobuf::MessageFactory::generated_factory());
}

absl::StatusOr<ServiceRegistry> ServiceRegistry::FromPool(
    const google::protobuf::DescriptorPool& pool, absl::Span<const absl::string_view> files,
    google::protobuf::MessageFactory* factory) {
  absl::StatusOr<std::unique_ptr<translators::MethodTable>> table =
      translators::MethodTable::Build(pool, files);
  if (!table.ok()) return absl::FailedPreconditionError(table.status().message());
  ServiceRegistry registry;
  registry.methods_ = *std::move(table);
  for (const translators::ServiceEntry& service : registry.methods_->services()) {
    registry.services_.push_back(
        {service.service, service.info, &FactsFor(service.info->model_name()), factory});
  }
  return registry;
}

const EmulatedService* ServiceRegistry::FindBySigningName(absl::string_view name) const {
  for (const EmulatedService& service : services_) {
    if (service.info->signing_name() == name) return &service;
  }
  return nullptr;
}

}  // namespace awsgw::emulator
