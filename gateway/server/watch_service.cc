#include "gateway/server/watch_service.h"

#include "awsgw/watch/v1/watch.pb.h"
#include "gateway/server/watch_stream_reactor.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"

namespace awsgw::gateway::server {

absl::StatusOr<std::unique_ptr<WatchGrpcService>> WatchGrpcService::Create(
    const translators::MethodTable& catalog, watch::WatchEngine* engine, IntakeGuard* intake,
    const AccessGate* gate, observability::GatewayMetrics* metrics) {
  absl::StatusOr<std::unique_ptr<watch::WatchCatalog>> watches = watch::WatchCatalog::Build(
      watch::v1::WatchUpdate::descriptor()->file()->FindServiceByName("WatchService"), catalog);
  if (!watches.ok()) return watches.status();
  return std::unique_ptr<WatchGrpcService>(
      new WatchGrpcService(*std::move(watches), engine, intake, gate, metrics));
}

WatchGrpcService::WatchGrpcService(std::unique_ptr<watch::WatchCatalog> watches,
                                   watch::WatchEngine* engine, IntakeGuard* intake,
                                   const AccessGate* gate, observability::GatewayMetrics* metrics)
    : watches_(std::move(watches)) {
  for (size_t i = 0; i < watches_->watches().size(); ++i) {
    const watch::CompiledWatch& compiled = *watches_->watches()[i];
    // RpcServiceMethod keeps the name pointer: compiled.path lives in the catalog.
    AddMethod(new grpc::internal::RpcServiceMethod(
        compiled.path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING, nullptr));
    MarkMethodRawCallback(
        static_cast<int>(i),
        new grpc::internal::CallbackServerStreamingHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
            [engine, intake, gate, metrics, &compiled](grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request) {
              return WatchStreamReactor::Start(engine, intake, gate, metrics, compiled, context,
                                               request);
            }));
  }
}

}  // namespace awsgw::gateway::server
