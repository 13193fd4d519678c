#include "gateway/server/dynamic_service.h"

namespace awsgw::gateway::server {

DynamicService::DynamicService(const translators::ServiceEntry& entry, UnaryHandler handler) {
  for (size_t i = 0; i < entry.methods.size(); ++i) {
    const translators::MethodEntry& method = entry.methods[i];
    // RpcServiceMethod keeps the name pointer: method.path lives in the catalog.
    AddMethod(new grpc::internal::RpcServiceMethod(method.path.c_str(),
                                                   grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
    MarkMethodRawCallback(
        static_cast<int>(i),
        new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
            [&method, handler](grpc::CallbackServerContext* context,
                               const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
              return handler(method, context, request, response);
            }));
  }
}

}  // namespace awsgw::gateway::server
