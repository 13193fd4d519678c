// One watch stream: request bytes in, WatchUpdates out, as the engine's sink.
//
// A reactor that owns itself (deleted in OnDone). The engine calls Write and
// Finish on its sequence, one write at a time; gRPC's completions (write
// done, cancellation) go back to the engine through the watch::Subscription, which
// posts. `buffer_` must persist while its write is in flight.
//
// Ordering: the engine may write or finish before Start() returns (a late
// joiner's snapshot, a refused request); gRPC keeps such operations in the
// reactor's backlog until the handler has returned and the reactor is bound,
// so OnWriteDone and OnDone never run before `subscription_` is set.
#ifndef AWSGW_GATEWAY_SERVER_WATCH_STREAM_REACTOR_H_
#define AWSGW_GATEWAY_SERVER_WATCH_STREAM_REACTOR_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/server/access_gate.h"
#include "gateway/server/intake_guard.h"
#include "gateway/watch/watch_definition.h"
#include "gateway/watch/watch_engine.h"
#include "grpcpp/grpcpp.h"

namespace awsgw::gateway::server {

class WatchStreamReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                           public watch::WatchSink {
 public:
  // Starts the stream; the reactor then lives until gRPC calls OnDone.
  // `gate` (null: an open gateway) decides about the caller first: a watch
  // is authorized as the AWS actions it polls, on the resource it watches.
  static grpc::ServerWriteReactor<grpc::ByteBuffer>* Start(
      watch::WatchEngine* engine, IntakeGuard* intake, const AccessGate* gate,
      observability::GatewayMetrics* metrics, const watch::CompiledWatch& watch,
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request);

  // grpc::ServerWriteReactor
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  // watch::WatchSink (engine sequence)
  void Write(const watch::v1::WatchUpdate& update) override;
  void Finish(const grpc::Status& status) override;

 private:
  WatchStreamReactor(const watch::CompiledWatch& watch, grpc::CallbackServerContext* context,
                     observability::GatewayMetrics* metrics);
  void Run(watch::WatchEngine* engine, IntakeGuard* intake, const AccessGate* gate,
           const grpc::ByteBuffer* request);
  // OK when the caller may watch what `request` names; holds its stream slot.
  grpc::Status Authorize(const AccessGate& gate, const google::protobuf::Message& request);

  const watch::CompiledWatch& watch_;
  grpc::CallbackServerContext* const context_;
  const absl::Time start_;
  const std::string request_id_;                  // x-request-id, for the audit trail
  observability::GatewayMetrics* const metrics_;  // null: none
  grpc::ByteBuffer buffer_;                       // the write in flight
  int writes_ = 0;
  auth::identity::CallerIdentity identity_;
  // The stream's place within the gateway's limits, held until OnDone.
  IntakeGuard::Ticket ticket_;
  // The caller's stream slot, held for the stream's life.
  std::optional<auth::policy::CallerLimiter::Admission> admission_;
  absl::Mutex mu_;
  std::shared_ptr<watch::Subscription> subscription_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_WATCH_STREAM_REACTOR_H_
