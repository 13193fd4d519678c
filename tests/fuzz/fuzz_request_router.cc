// The emulator's request router (emulator/request_router.h) over any request
// a client can send it: method, target, headers (Authorization with or
// without a readable credential scope, X-Amz-Target) and body, against every
// service of the service protos loaded at run time.
//
// Input: "<method byte><target>\n<Name: value lines>\n\n<body>".
// Invariants: nothing crashes; routing is deterministic; an operation found
// belongs to the service found; the scope reported is ScopeServiceName's; a
// scope naming a served service routes to that service, one naming another
// service routes nowhere.
#include <cstdlib>
#include <string>
#include <vector>

#include "emulator/request_router.h"
#include "emulator/service_registry.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

const awsgw::emulator::ServiceRegistry& Registry() {
  static const awsgw::emulator::ServiceRegistry* const registry = [] {
    const awsgw::fuzz::Services& services = awsgw::fuzz::LoadServices();
    const std::vector<absl::string_view> files(services.service_files.begin(),
                                               services.service_files.end());
    auto built = awsgw::emulator::ServiceRegistry::FromPool(
        services.pool, files,
        const_cast<google::protobuf::DynamicMessageFactory*>(&services.factory));
    if (!built.ok()) std::abort();
    return new awsgw::emulator::ServiceRegistry(*std::move(built));
  }();
  return *registry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const awsgw::emulator::ServiceRegistry& registry = Registry();
  awsgw::fuzz::Input input(data, size);
  const awsgw::http::HttpRequest request = input.Request();
  const awsgw::emulator::RouteResult route = awsgw::emulator::RouteRequest(registry, request);
  const awsgw::emulator::RouteResult again = awsgw::emulator::RouteRequest(registry, request);
  if (route.service != again.service || route.method != again.method ||
      route.scope_service != again.scope_service) {
    std::abort();
  }
  if (route.method != nullptr &&
      (route.service == nullptr || route.method->service() != route.service->descriptor)) {
    std::abort();
  }
  if (route.scope_service != awsgw::emulator::ScopeServiceName(request)) std::abort();
  if (!route.scope_service.empty() &&
      route.service != registry.FindBySigningName(route.scope_service)) {
    std::abort();
  }
  return 0;
}
