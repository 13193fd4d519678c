#include "gateway/unary_call_reactor.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"

namespace awsgw::gateway {

grpc::ServerUnaryReactor* UnaryCallReactor::Start(AwsBackend* backend, const MethodEntry& method,
                                                  grpc::CallbackServerContext* context,
                                                  const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) {
  auto* reactor = new UnaryCallReactor(context, response);
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
    Finish(grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("the request is not a valid ", method.method->input_type()->full_name())));
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
      Finish(grpc::Status(grpc::StatusCode::INTERNAL, "cannot serialize the response"));
      return;
    }
  }
  Finish(result.status);
}

}  // namespace awsgw::gateway
