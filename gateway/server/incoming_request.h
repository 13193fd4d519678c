// What every rpc reads from its caller before doing anything: the request
// message and the `x-aws-region` metadata. Shared by the unary and the watch
// reactors so both refuse bad input the same way.
#ifndef AWSGW_GATEWAY_SERVER_INCOMING_REQUEST_H_
#define AWSGW_GATEWAY_SERVER_INCOMING_REQUEST_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"

namespace awsgw::gateway::server {

// A new `method` request parsed from `bytes`. INVALID_ARGUMENT, naming the
// message type, when the bytes are not one.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ParseRequest(
    const google::protobuf::MethodDescriptor& method, const grpc::ByteBuffer& bytes);

// The caller's `x-aws-region` metadata, "" when absent. Not validated here:
// the endpoint resolver checks every region before it names a host.
std::string RequestedRegion(const grpc::CallbackServerContext& context);

// The caller's `x-request-id` when it is short printable ASCII (it is
// logged, audited and echoed), else a new random UUID.
std::string RequestIdOf(const grpc::CallbackServerContext& context);

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_INCOMING_REQUEST_H_
