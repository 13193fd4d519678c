#include "gateway/server/served_services.h"

#include "awsgw/watch/v1/watch.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "grpc/reflection/v1/reflection.pb.h"

namespace awsgw::gateway::server {

std::vector<std::string> ServedServiceNames(const translators::MethodTable& catalog) {
  std::vector<std::string> names;
  for (const translators::ServiceEntry& entry : catalog.services()) {
    names.push_back(entry.service->full_name());
  }
  names.push_back(::awsgw::watch::v1::WatchUpdate::descriptor()
                      ->file()
                      ->FindServiceByName("WatchService")
                      ->full_name());
  // Naming Health through its descriptor also links that descriptor in, so
  // that reflection can describe the service gRPC serves.
  names.push_back(
      ::grpc::health::v1::HealthCheckRequest::descriptor()->file()->service(0)->full_name());
  // Reflection: v1 the gateway's own (ReflectionV1Service), v1alpha gRPC
  // 1.51's plugin (its descriptor is in gRPC's library).
  names.push_back(::grpc::reflection::v1::ServerReflectionRequest::descriptor()
                      ->file()
                      ->service(0)
                      ->full_name());
  names.emplace_back("grpc.reflection.v1alpha.ServerReflection");
  return names;
}

}  // namespace awsgw::gateway::server
