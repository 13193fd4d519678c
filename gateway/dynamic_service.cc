#include "gateway/dynamic_service.h"

#include "absl/strings/str_cat.h"

namespace awsgw::gateway {

DynamicService::DynamicService(const ServiceEntry& entry, UnaryHandler handler) {
  for (size_t i = 0; i < entry.methods.size(); ++i) {
    const MethodEntry& method = entry.methods[i];
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

grpc::ServerUnaryReactor* AnswerUnimplemented(const MethodEntry& method,
                                              grpc::CallbackServerContext* context,
                                              const grpc::ByteBuffer* /*request*/,
                                              grpc::ByteBuffer* /*response*/) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status(
      grpc::StatusCode::UNIMPLEMENTED,
      absl::StrCat(method.method->full_name(), " (AWS ", method.operation->name(),
                   ") is registered but this build does not forward calls to AWS yet")));
  return reactor;
}

}  // namespace awsgw::gateway
