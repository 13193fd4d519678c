// Finds the service and operation an incoming request is for.
//
// The SigV4 credential scope names the service (several restJson services
// share URI shapes such as "/applications", so the path alone is ambiguous);
// within it, the translators' server-side Route finds the operation: by
// X-Amz-Target for awsJson, by method and URI template for restJson. Requests
// without a readable scope (unsigned, malformed) are tried against every
// service (awsJson by target first, then the restJson services in registry
// order), so they can still be answered in the right protocol; a scope naming
// a service this build does not serve matches nothing.
#ifndef AWSGW_EMULATOR_REQUEST_ROUTER_H_
#define AWSGW_EMULATOR_REQUEST_ROUTER_H_

#include <string>

#include "emulator/service_registry.h"
#include "google/protobuf/descriptor.h"
#include "http/http_message.h"

namespace awsgw::emulator {

struct RouteResult {
  // Null when no service could be identified.
  const EmulatedService* service = nullptr;
  // Null when the service is known but none of its operations matches.
  const google::protobuf::MethodDescriptor* method = nullptr;
  // The signing name from the credential scope; empty when unreadable.
  std::string scope_service;
};

RouteResult RouteRequest(const ServiceRegistry& registry, const http::HttpRequest& request);

// The service name of the request's SigV4 credential scope (Authorization
// header or X-Amz-Credential query parameter), or "" when there is none.
std::string ScopeServiceName(const http::HttpRequest& request);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_REQUEST_ROUTER_H_
