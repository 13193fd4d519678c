// A grpc::Service assembled at run time from one translators::ServiceEntry of the method table.
//
// Each rpc is registered under its real gRPC path with a raw (ByteBuffer)
// callback handler, so gRPC core routes calls, answers UNIMPLEMENTED for
// unknown paths by itself, and server reflection lists the service, all
// without generated per-service C++ on the server side.
#ifndef AWSGW_GATEWAY_SERVER_DYNAMIC_SERVICE_H_
#define AWSGW_GATEWAY_SERVER_DYNAMIC_SERVICE_H_

#include <functional>

#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/impl/service_type.h"
#include "translators/method_table.h"

namespace awsgw::gateway::server {

// Handles one unary call. Called on a gRPC callback thread: must not block.
// `request` and `response` stay valid until the returned reactor finishes.
using UnaryHandler = std::function<grpc::ServerUnaryReactor*(
    const translators::MethodEntry& method, grpc::CallbackServerContext* context,
    const grpc::ByteBuffer* request, grpc::ByteBuffer* response)>;

class DynamicService : public grpc::Service {
 public:
  // `entry` must outlive the service (it belongs to the method table).
  DynamicService(const translators::ServiceEntry& entry, UnaryHandler handler);
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_DYNAMIC_SERVICE_H_
