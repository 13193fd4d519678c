#include "gateway/server/incoming_request.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/uuid.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace awsgw::gateway::server {

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ParseRequest(
    const google::protobuf::MethodDescriptor& method, const grpc::ByteBuffer& bytes) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(method.input_type());
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  // The reader only reads; gRPC's API takes the buffer as non-const.
  grpc::ProtoBufferReader reader(const_cast<grpc::ByteBuffer*>(&bytes));
  if (!message->ParseFromZeroCopyStream(&reader)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request is not a valid ", method.input_type()->full_name()));
  }
  return message;
}

std::string RequestedRegion(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("x-aws-region");
  return it == metadata.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

}  // namespace awsgw::gateway::server

namespace awsgw::gateway::server {
namespace {

bool UsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

std::string RequestIdOf(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("x-request-id"); it != metadata.end()) {
    absl::string_view id(it->second.data(), it->second.size());
    if (UsableRequestId(id)) return std::string(id);
  }
  return base::RandomUuid();
}

}  // namespace awsgw::gateway::server
