#include "gateway/server/watch_stream_reactor.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/observability/json_log.h"
#include "gateway/server/incoming_request.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "translators/status_mapping.h"

namespace awsgw::gateway::server {

WatchStreamReactor::WatchStreamReactor(const watch::CompiledWatch& watch,
                                       grpc::CallbackServerContext* context,
                                       observability::GatewayMetrics* metrics)
    : watch_(watch),
      context_(context),
      start_(absl::Now()),
      request_id_(RequestIdOf(*context)),
      metrics_(metrics) {
  // Echoed as for calls, so that a client can find its stream in the log.
  context_->AddInitialMetadata("x-request-id", request_id_);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchStreamReactor::Start(
    watch::WatchEngine* engine, IntakeGuard* intake, const AccessGate* gate,
    observability::GatewayMetrics* metrics, const watch::CompiledWatch& watch,
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  auto* reactor = new WatchStreamReactor(watch, context, metrics);
  reactor->Run(engine, intake, gate, request);
  return reactor;
}

grpc::Status WatchStreamReactor::Authorize(const AccessGate& gate,
                                           const google::protobuf::Message& request) {
  absl::StatusOr<watch::WatchTarget> target = watch::BuildTarget(watch_, request);
  if (!target.ok()) return translators::ToGrpcStatus(target.status());
  // Batched polls leave the watched key out of the shared request; the
  // decision is about this caller's resource, so put it back.
  if (watch_.batched && !target->resource_key.empty()) {
    if (absl::Status added =
            watch_.batch_list.AppendString(target->poll_request.get(), target->resource_key);
        !added.ok()) {
      return translators::ToGrpcStatus(added);
    }
  }
  std::vector<RequestedAction> actions = {{watch_.poll, target->poll_request.get()}};
  if (watch_.events.has_value() && watch_.events->method != nullptr &&
      target->events_request != nullptr) {
    actions.push_back({watch_.events->method, target->events_request.get()});
  }
  const std::string region = RequestedRegion(*context_);
  const std::string peer = context_->peer();
  return gate.AuthorizeWatch(identity_, actions,
                             {watch_.path, request_id_, peer, region, watch_.poll}, &admission_);
}

void WatchStreamReactor::Run(watch::WatchEngine* engine, IntakeGuard* intake,
                             const AccessGate* gate, const grpc::ByteBuffer* request) {
  // Room for the stream, before any work is done for it.
  if (intake != nullptr) {
    if (grpc::Status status = intake->Admit(*context_, IntakeGuard::Kind::kWatch, &ticket_);
        !status.ok()) {
      Finish(status);
      return;
    }
  }
  if (gate != nullptr) {
    const std::string region = RequestedRegion(*context_);
    const std::string peer = context_->peer();
    if (grpc::Status status = gate->Authenticate(
            *context_, {watch_.path, request_id_, peer, region, watch_.poll}, &identity_);
        !status.ok()) {
      Finish(status);
      return;
    }
  }
  if (intake != nullptr) {
    if (grpc::Status status = intake->CheckRegion(RequestedRegion(*context_)); !status.ok()) {
      Finish(status);
      return;
    }
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      ParseRequest(*watch_.method, *request);
  if (!message.ok()) {
    Finish(translators::ToGrpcStatus(message.status()));
    return;
  }
  if (gate != nullptr) {
    if (grpc::Status status = Authorize(*gate, **message); !status.ok()) {
      Finish(status);
      return;
    }
  }
  absl::StatusOr<std::shared_ptr<watch::Subscription>> subscription =
      engine->Subscribe(watch_, **message, RequestedRegion(*context_), this);
  if (!subscription.ok()) {
    Finish(translators::ToGrpcStatus(subscription.status()));
    return;
  }
  bool cancelled;
  {
    absl::MutexLock lock(&mu_);
    subscription_ = *subscription;
    cancelled = cancelled_;
  }
  if (cancelled) (*subscription)->Cancel();  // OnCancel ran before the subscription existed
}

void WatchStreamReactor::Write(const watch::v1::WatchUpdate& update) {
  ++writes_;
  buffer_.Clear();
  grpc::ProtoBufferWriter writer(&buffer_, grpc::kProtoBufferWriterMaxBufferLength,
                                 static_cast<int>(update.ByteSizeLong()));
  update.SerializeToZeroCopyStream(&writer);
  StartWrite(&buffer_);
}

void WatchStreamReactor::Finish(const grpc::Status& status) {
  const absl::Duration elapsed = absl::Now() - start_;
  if (metrics_ != nullptr) {
    metrics_->StreamFinished(watch_.method->name(),
                             observability::GrpcCodeName(status.error_code()));
  }
  const observability::LogLevel level =
      status.ok() || status.error_code() == grpc::StatusCode::CANCELLED
          ? observability::LogLevel::kInfo
          : observability::LogLevel::kWarn;
  if (observability::LogEnabled(level)) {
    std::vector<observability::LogField> fields = {
        {"msg", "watch"},
        {"request_id", request_id_},
        {"method", watch_.path},
        {"peer", context_->peer()},
        {"principal", identity_.principal.empty() ? "-" : identity_.principal},
        {"code", std::string(observability::GrpcCodeName(status.error_code()))},
        {"duration_ms", observability::LogMilliseconds(elapsed)},
        {"updates", writes_}};
    if (!status.ok()) fields.push_back({"error", status.error_message()});
    observability::Log(level, fields);
  }
  grpc::ServerWriteReactor<grpc::ByteBuffer>::Finish(status);
}

void WatchStreamReactor::OnWriteDone(bool ok) {
  // gRPC has let go of the bytes; an idle stream should not keep its last
  // update. The engine writes again only after the WriteDone below.
  buffer_.Clear();
  std::shared_ptr<watch::Subscription> subscription;
  {
    absl::MutexLock lock(&mu_);
    subscription = subscription_;
  }
  if (subscription != nullptr) subscription->WriteDone(ok);
}

void WatchStreamReactor::OnCancel() {
  std::shared_ptr<watch::Subscription> subscription;
  {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    subscription = subscription_;
  }
  // The client's doing, not its deadline's: counted against its connection.
  if (absl::Now() < absl::FromChrono(context_->deadline())) ticket_.ClientCancelled();
  if (subscription != nullptr) subscription->Cancel();
}

void WatchStreamReactor::OnDone() {
  {
    absl::MutexLock lock(&mu_);
    subscription_.reset();
  }
  delete this;
}

}  // namespace awsgw::gateway::server
