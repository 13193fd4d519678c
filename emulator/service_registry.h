// The AWS services the emulator serves: one entry per service of the method
// table (translators/method_table.h), with the row of the per-service facts
// table and the factory that makes the services' messages. Built once at
// start-up; immutable after.
#ifndef AWSGW_EMULATOR_SERVICE_REGISTRY_H_
#define AWSGW_EMULATOR_SERVICE_REGISTRY_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "awsgw/options.pb.h"
#include "emulator/service_facts.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "translators/method_table.h"

namespace awsgw::emulator {

struct EmulatedService {
  const google::protobuf::ServiceDescriptor* descriptor = nullptr;
  const ServiceInfo* info = nullptr;
  const ServiceFacts* facts = nullptr;
  // Makes messages of the service's types: the generated factory, or a
  // dynamic one over descriptors loaded at run time.
  google::protobuf::MessageFactory* factory = nullptr;
};

class ServiceRegistry {
 public:
  // Every service compiled into this binary. FAILED_PRECONDITION when a
  // service proto is missing from the pool or lacks its awsgw options.
  static absl::StatusOr<ServiceRegistry> FromGeneratedPool();

  // The services of the proto `files` in `pool`, whose messages `factory`
  // makes (a DynamicMessageFactory over `pool` for descriptors loaded at run
  // time, as the fuzz targets load them). `pool` and `factory` must outlive
  // the registry. Errors as FromGeneratedPool().
  static absl::StatusOr<ServiceRegistry> FromPool(const google::protobuf::DescriptorPool& pool,
                                                  absl::Span<const absl::string_view> files,
                                                  google::protobuf::MessageFactory* factory);

  const std::vector<EmulatedService>& services() const { return services_; }

  // The service whose SigV4 signing name is `name`, or nullptr.
  const EmulatedService* FindBySigningName(absl::string_view name) const;

  // The method table the services come from.
  const translators::MethodTable& methods() const { return *methods_; }

  // Number of operations over all services.
  int operation_count() const { return static_cast<int>(methods_->method_count()); }

 private:
  std::shared_ptr<const translators::MethodTable> methods_;
  std::vector<EmulatedService> services_;
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_SERVICE_REGISTRY_H_
