#include "gateway/server/unary_call_reactor.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gateway/observability/gateway_metrics.h"
#include "gateway/observability/json_log.h"
#include "gateway/server/incoming_request.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "translators/status_mapping.h"

namespace awsgw::gateway::server {

UnaryCallReactor::UnaryCallReactor(aws_client::AwsClient* client,
                                   const translators::MethodEntry& method,
                                   grpc::CallbackServerContext* context, grpc::ByteBuffer* response)
    : client_(client),
      method_(method),
      start_(absl::Now()),
      context_(context),
      response_(response) {
  request_id_ = RequestIdOf(*context_);
  context_->AddInitialMetadata("x-request-id", request_id_);
}

grpc::ServerUnaryReactor* UnaryCallReactor::Start(aws_client::AwsClient* client,
                                                  IntakeGuard* intake, const AccessGate* gate,
                                                  const translators::MethodEntry& method,
                                                  grpc::CallbackServerContext* context,
                                                  const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) {
  auto* reactor = new UnaryCallReactor(client, method, context, response);
  reactor->Run(client, intake, gate, method, request);
  return reactor;
}

void UnaryCallReactor::Run(aws_client::AwsClient* client, IntakeGuard* intake,
                           const AccessGate* gate, const translators::MethodEntry& method,
                           const grpc::ByteBuffer* request) {
  // Room for the call, before any work is done for it.
  if (intake != nullptr) {
    if (grpc::Status status = intake->Admit(*context_, IntakeGuard::Kind::kCall, &ticket_);
        !status.ok()) {
      End(status, 0, "");
      return;
    }
  }
  const std::string region = RequestedRegion(*context_);
  const std::string peer = gate != nullptr ? context_->peer() : std::string();
  const CallFacts facts{method.path, request_id_, peer, region, &method};
  // Who is calling, before the request is even parsed.
  auth::identity::CallerIdentity identity;
  if (gate != nullptr) {
    if (grpc::Status status = gate->Authenticate(*context_, facts, &identity); !status.ok()) {
      End(status, 0, "");
      return;
    }
    principal_ = identity.principal;
  }
  if (intake != nullptr) {
    if (grpc::Status status = intake->CheckRegion(region); !status.ok()) {
      End(status, 0, "");
      return;
    }
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      ParseRequest(*method.method, *request);
  if (!message.ok()) {
    End(translators::ToGrpcStatus(message.status()), 0, "");
    return;
  }
  if (gate != nullptr) {
    if (grpc::Status status =
            gate->AuthorizeCall(identity, {&method, message->get()}, facts, &admission_);
        !status.ok()) {
      End(status, 0, "");
      return;
    }
  }
  // A client that reset its stream while it was being read (HTTP/2 rapid
  // reset sends both at once) is gone: nothing goes to AWS for it.
  if (context_->IsCancelled()) {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the call"), 0, "");
    return;
  }
  aws_client::AwsCallParams params;
  params.deadline = absl::FromChrono(context_->deadline());
  params.region = region;
  std::shared_ptr<aws_client::AwsCall> call =
      client->Start(method, *std::move(message), std::move(params),
                    [this](aws_client::AwsCallResult result) { Complete(std::move(result)); });
  std::optional<aws_client::AwsCallResult> early;
  std::shared_ptr<aws_client::AwsCall> to_cancel;
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
  std::shared_ptr<aws_client::AwsCall> call;
  {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    call = call_;
  }
  // The client's doing, not its deadline's: counted against its connection.
  if (absl::Now() < absl::FromChrono(context_->deadline())) ticket_.ClientCancelled();
  if (call != nullptr) call->Cancel();
}

void UnaryCallReactor::Complete(aws_client::AwsCallResult result) {
  {
    absl::MutexLock lock(&mu_);
    if (in_run_) {
      early_result_ = std::move(result);
      return;
    }
  }
  FinishWith(std::move(result));
}

void UnaryCallReactor::FinishWith(aws_client::AwsCallResult result) {
  if (!result.aws_request_id.empty()) {
    context_->AddTrailingMetadata("x-amzn-requestid", result.aws_request_id);
  }
  if (result.status.ok()) {
    const size_t size = result.response->ByteSizeLong();
    // gRPC keeps the answer until the client reads it: a client that does
    // not read must not make the gateway keep answers without bound.
    if (grpc::Status room = ticket_.ReserveAnswer(static_cast<int64_t>(size)); !room.ok()) {
      End(room, result.attempts, result.aws_request_id);
      return;
    }
    grpc::ProtoBufferWriter writer(response_, grpc::kProtoBufferWriterMaxBufferLength,
                                   static_cast<int>(size));
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
  const absl::string_view code = observability::GrpcCodeName(status.error_code());
  if (observability::GatewayMetrics* metrics = client_->metrics()) {
    metrics->CallFinished(
        method_.method->service()->options().GetExtension(awsgw::service).model_name(),
        method_.method->name(), code, latency);
  }
  const observability::LogLevel level =
      status.ok() ? observability::LogLevel::kInfo : observability::LogLevel::kWarn;
  if (observability::LogEnabled(level)) {
    std::vector<observability::LogField> fields = {
        {"msg", "call"},
        {"request_id", request_id_},
        {"method", method_.path},
        {"peer", context_->peer()},
        {"principal", principal_.empty() ? "-" : principal_},
        {"code", std::string(code)},
        {"latency_ms", observability::LogMilliseconds(latency)},
        {"attempts", attempts}};
    if (!aws_request_id.empty()) fields.push_back({"aws_request_id", aws_request_id});
    if (!status.ok()) fields.push_back({"error", status.error_message()});
    observability::Log(level, fields);
  }
  admission_.reset();  // the caller's slot is free once the answer is decided
  Finish(status);
}

}  // namespace awsgw::gateway::server
