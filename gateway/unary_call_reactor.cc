#include "gateway/unary_call_reactor.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/observability/json_log.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "translators/request_preparation.h"

namespace awsgw::gateway {

namespace {

// A caller's request id is logged and echoed: keep it short and printable.
bool UsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

UnaryCallReactor::UnaryCallReactor(AwsBackend* backend, const MethodEntry& method,
                                   grpc::CallbackServerContext* context, grpc::ByteBuffer* response)
    : backend_(backend),
      method_(method),
      start_(absl::Now()),
      context_(context),
      response_(response) {
  const auto& metadata = context_->client_metadata();
  if (auto it = metadata.find("x-request-id"); it != metadata.end()) {
    absl::string_view id(it->second.data(), it->second.size());
    if (UsableRequestId(id)) request_id_ = std::string(id);
  }
  if (request_id_.empty()) request_id_ = translators::RandomUuid();
  context_->AddInitialMetadata("x-request-id", request_id_);
}

grpc::ServerUnaryReactor* UnaryCallReactor::Start(AwsBackend* backend, const MethodEntry& method,
                                                  grpc::CallbackServerContext* context,
                                                  const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) {
  auto* reactor = new UnaryCallReactor(backend, method, context, response);
  reactor->Run(backend, method, request);
  return reactor;
}

void UnaryCallReactor::Run(AwsBackend* backend, const MethodEntry& method,
                           const grpc::ByteBuffer* request) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          method.method->input_type());
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  grpc::ProtoBufferReader reader(const_cast<grpc::ByteBuffer*>(request));
  if (!message->ParseFromZeroCopyStream(&reader)) {
    End(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("the request is not a valid ", method.method->input_type()->full_name())),
        0, "");
    return;
  }
  CallParams params;
  params.deadline = absl::FromChrono(context_->deadline());
  const auto& metadata = context_->client_metadata();
  if (auto it = metadata.find("x-aws-region"); it != metadata.end()) {
    params.region = std::string(it->second.data(), it->second.size());
  }
  std::shared_ptr<AwsCall> call =
      backend->Call(method, std::move(message), std::move(params),
                    [this](CallResult result) { Complete(std::move(result)); });
  std::optional<CallResult> early;
  std::shared_ptr<AwsCall> to_cancel;
  {
    absl::MutexLock lock(&mu_);
    call_ = call;
    in_run_ = false;
    early = std::move(early_result_);
    if (cancelled_ && !early.has_value()) to_cancel = call;  // OnCancel ran before the call existed
  }
  if (early.has_value()) {
    FinishWith(*std::move(early));
  } else if (to_cancel != nullptr) {
    to_cancel->Cancel();
  }
}

void UnaryCallReactor::OnCancel() {
  std::shared_ptr<AwsCall> call;
  {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    call = call_;
  }
  if (call != nullptr) call->Cancel();
}

void UnaryCallReactor::Complete(CallResult result) {
  {
    absl::MutexLock lock(&mu_);
    if (in_run_) {
      early_result_ = std::move(result);
      return;
    }
  }
  FinishWith(std::move(result));
}

void UnaryCallReactor::FinishWith(CallResult result) {
  if (!result.aws_request_id.empty()) {
    context_->AddTrailingMetadata("x-amzn-requestid", result.aws_request_id);
  }
  if (result.status.ok()) {
    grpc::ProtoBufferWriter writer(response_, grpc::kProtoBufferWriterMaxBufferLength,
                                   static_cast<int>(result.response->ByteSizeLong()));
    if (!result.response->SerializeToZeroCopyStream(&writer)) {
      End(grpc::Status(grpc::StatusCode::INTERNAL, "cannot serialize the response"),
          result.attempts, result.aws_request_id);
      return;
    }
  }
  End(result.status, result.attempts, result.aws_request_id);
}

void UnaryCallReactor::End(const grpc::Status& status, int attempts,
                           const std::string& aws_request_id) {
  const absl::Duration latency = absl::Now() - start_;
  const absl::string_view code = GrpcCodeName(status.error_code());
  if (GatewayMetrics* metrics = backend_->metrics()) {
    metrics->CallFinished(
        method_.method->service()->options().GetExtension(awsgw::service).model_name(),
        method_.method->name(), code, latency);
  }
  const LogLevel level = status.ok() ? LogLevel::kInfo : LogLevel::kWarn;
  if (LogEnabled(level)) {
    std::vector<LogField> fields = {
        {"msg", "call"},
        {"request_id", request_id_},
        {"method", method_.path},
        {"peer", context_->peer()},
        {"code", std::string(code)},
        {"latency_ms", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(latency))},
        {"attempts", absl::StrCat(attempts)}};
    if (!aws_request_id.empty()) fields.push_back({"aws_request_id", aws_request_id});
    if (!status.ok()) fields.push_back({"error", status.error_message()});
    Log(level, fields);
  }
  Finish(status);
}

}  // namespace awsgw::gateway
