// The gRPC face of the watch engine: a grpc::Service assembled at start-up
// from the WatchService descriptor, one raw server-streaming callback handler
// per rpc, each reading its rpc's compiled (awsgw.watch.v1.watch) option.
// There is no per-rpc C++: adding a watch kind is adding an rpc with its
// option to watch.proto.
//
// Metadata read: `x-aws-region` (the poll region, else the gateway's). The
// client's deadline and cancellation end the stream (and leave the poller).
// Each stream ends with one "watch" log line.
#ifndef AWSGW_GATEWAY_SERVER_WATCH_SERVICE_H_
#define AWSGW_GATEWAY_SERVER_WATCH_SERVICE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/server/access_gate.h"
#include "gateway/server/intake_guard.h"
#include "gateway/watch/watch_definition.h"
#include "gateway/watch/watch_engine.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/service_type.h"
#include "translators/method_table.h"

namespace awsgw::gateway::server {

class WatchGrpcService : public grpc::Service {
 public:
  // Compiles every rpc of awsgw.watch.v1.WatchService against `catalog`.
  // FAILED_PRECONDITION naming the rpc when a definition does not resolve.
  // `engine` must outlive the service.
  // `intake` (null: no limits) admits each stream first; `metrics` (null:
  // none) counts the streams that end.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<WatchGrpcService>> Create(
      const translators::MethodTable& catalog, watch::WatchEngine* engine, IntakeGuard* intake,
      const AccessGate* gate, observability::GatewayMetrics* metrics);

  const watch::WatchCatalog& watches() const { return *watches_; }

 private:
  WatchGrpcService(std::unique_ptr<watch::WatchCatalog> watches, watch::WatchEngine* engine,
                   IntakeGuard* intake, const AccessGate* gate,
                   observability::GatewayMetrics* metrics);

  std::unique_ptr<watch::WatchCatalog> watches_;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_WATCH_SERVICE_H_
