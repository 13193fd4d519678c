// The AWS services the emulator serves: one entry per generated service proto
// (proto/service_files.h), with its (awsgw.service) options and the row of
// the per-service facts table. Built once at start-up; immutable after.
#ifndef AWSGW_EMULATOR_SERVICE_REGISTRY_H_
#define AWSGW_EMULATOR_SERVICE_REGISTRY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "awsgw/options.pb.h"
#include "emulator/service_facts.h"
#include "google/protobuf/descriptor.h"

namespace awsgw::emulator {

struct EmulatedService {
  const google::protobuf::ServiceDescriptor* descriptor = nullptr;
  const ServiceInfo* info = nullptr;
  const ServiceFacts* facts = nullptr;
};

class ServiceRegistry {
 public:
  // Every service compiled into this binary. FAILED_PRECONDITION when a
  // service proto is missing from the pool or lacks its (awsgw.service) option.
  static absl::StatusOr<ServiceRegistry> FromGeneratedPool();

  const std::vector<EmulatedService>& services() const { return services_; }

  // The service whose SigV4 signing name is `name`, or nullptr.
  const EmulatedService* FindBySigningName(absl::string_view name) const;

  // Number of operations over all services.
  int operation_count() const;

 private:
  std::vector<EmulatedService> services_;
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_SERVICE_REGISTRY_H_
