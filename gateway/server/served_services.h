// The names of the gRPC services the gateway serves: each gets its own
// health status, moved with the overall one (""), so that a probe naming a
// service (grpc_health_probe -service=..., a Kubernetes gRPC probe's
// `service`) gets an answer instead of NOT_FOUND.
#ifndef AWSGW_GATEWAY_SERVER_SERVED_SERVICES_H_
#define AWSGW_GATEWAY_SERVER_SERVED_SERVICES_H_

#include <string>
#include <vector>

#include "translators/method_table.h"

namespace awsgw::gateway::server {

// The AWS services of `catalog`, the watch service, health and reflection.
std::vector<std::string> ServedServiceNames(const translators::MethodTable& catalog);

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_SERVED_SERVICES_H_
