#include "gateway/watch/watch_stream_reactor.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/observability/json_log.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"

namespace awsgw::gateway::watch {

WatchStreamReactor::WatchStreamReactor(const CompiledWatch& watch,
                                       grpc::CallbackServerContext* context)
    : watch_(watch), context_(context), start_(absl::Now()) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchStreamReactor::Start(
    WatchEngine* engine, const CompiledWatch& watch, grpc::CallbackServerContext* context,
    const grpc::ByteBuffer* request) {
  auto* reactor = new WatchStreamReactor(watch, context);
  reactor->Run(engine, request);
  return reactor;
}

void WatchStreamReactor::Run(WatchEngine* engine, const grpc::ByteBuffer* request) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          watch_.method->input_type());
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  grpc::ProtoBufferReader reader(const_cast<grpc::ByteBuffer*>(request));
  if (!message->ParseFromZeroCopyStream(&reader)) {
    Finish(grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("the request is not a valid ", watch_.method->input_type()->full_name())));
    return;
  }
  std::string region;
  const auto& metadata = context_->client_metadata();
  if (auto it = metadata.find("x-aws-region"); it != metadata.end()) {
    region = std::string(it->second.data(), it->second.size());
  }
  absl::StatusOr<std::shared_ptr<Subscription>> subscription =
      engine->Subscribe(watch_, *message, region, this);
  if (!subscription.ok()) {
    Finish(grpc::Status(static_cast<grpc::StatusCode>(subscription.status().code()),
                        std::string(subscription.status().message())));
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

void WatchStreamReactor::Write(const v1::WatchUpdate& update) {
  ++writes_;
  buffer_.Clear();
  grpc::ProtoBufferWriter writer(&buffer_, grpc::kProtoBufferWriterMaxBufferLength,
                                 static_cast<int>(update.ByteSizeLong()));
  update.SerializeToZeroCopyStream(&writer);
  StartWrite(&buffer_);
}

void WatchStreamReactor::Finish(const grpc::Status& status) {
  const absl::Duration elapsed = absl::Now() - start_;
  const LogLevel level = status.ok() || status.error_code() == grpc::StatusCode::CANCELLED
                             ? LogLevel::kInfo
                             : LogLevel::kWarn;
  if (LogEnabled(level)) {
    std::vector<LogField> fields = {
        {"msg", "watch"},
        {"method", watch_.path},
        {"peer", context_->peer()},
        {"code", std::string(GrpcCodeName(status.error_code()))},
        {"duration_ms", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(elapsed))},
        {"updates", absl::StrCat(writes_)}};
    if (!status.ok()) fields.push_back({"error", status.error_message()});
    Log(level, fields);
  }
  grpc::ServerWriteReactor<grpc::ByteBuffer>::Finish(status);
}

void WatchStreamReactor::OnWriteDone(bool ok) {
  // gRPC has let go of the bytes; an idle stream should not keep its last
  // update. The engine writes again only after the WriteDone below.
  buffer_.Clear();
  std::shared_ptr<Subscription> subscription;
  {
    absl::MutexLock lock(&mu_);
    subscription = subscription_;
  }
  if (subscription != nullptr) subscription->WriteDone(ok);
}

void WatchStreamReactor::OnCancel() {
  std::shared_ptr<Subscription> subscription;
  {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    subscription = subscription_;
  }
  if (subscription != nullptr) subscription->Cancel();
}

void WatchStreamReactor::OnDone() {
  {
    absl::MutexLock lock(&mu_);
    subscription_.reset();
  }
  delete this;
}

}  // namespace awsgw::gateway::watch
