#include "gateway/watch/watch_service.h"

#include "awsgw/watch/v1/watch.pb.h"
#include "gateway/watch/watch_stream_reactor.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"

namespace awsgw::gateway::watch {

absl::StatusOr<std::unique_ptr<WatchGrpcService>> WatchGrpcService::Create(
    const ServiceCatalog& catalog, WatchEngine* engine) {
  absl::StatusOr<std::unique_ptr<WatchCatalog>> watches = WatchCatalog::Build(
      v1::WatchUpdate::descriptor()->file()->FindServiceByName("WatchService"), catalog);
  if (!watches.ok()) return watches.status();
  return std::unique_ptr<WatchGrpcService>(new WatchGrpcService(*std::move(watches), engine));
}

WatchGrpcService::WatchGrpcService(std::unique_ptr<WatchCatalog> watches, WatchEngine* engine)
    : watches_(std::move(watches)) {
  for (size_t i = 0; i < watches_->watches().size(); ++i) {
    const CompiledWatch& watch = *watches_->watches()[i];
    // RpcServiceMethod keeps the name pointer: watch.path lives in the catalog.
    AddMethod(new grpc::internal::RpcServiceMethod(
        watch.path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING, nullptr));
    MarkMethodRawCallback(
        static_cast<int>(i),
        new grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
            [engine, &watch](grpc::CallbackServerContext* context,
                             const grpc::ByteBuffer* request) {
              return WatchStreamReactor::Start(engine, watch, context, request);
            }));
  }
}

}  // namespace awsgw::gateway::watch
