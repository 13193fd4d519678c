// gRPC server reflection v1 (grpc.reflection.v1.ServerReflection), which
// tools (grpcurl, buf curl, Postman) now try before v1alpha; gRPC 1.51's
// plugin serves only v1alpha. Answers come from the generated descriptor
// pool, which holds every proto the gateway serves (the AWS services, the
// watch service, health and this one), so both versions describe the same
// files.
//
// Like health and v1alpha reflection, it needs no caller identity: it
// describes the protos, which are public, and nothing else.
#ifndef AWSGW_GATEWAY_SERVER_REFLECTION_V1_SERVICE_H_
#define AWSGW_GATEWAY_SERVER_REFLECTION_V1_SERVICE_H_

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace awsgw::gateway::server {

// The answer to one reflection question. Files come with every file they
// import, transitively (each once), as gRPC's own implementation sends them.
::grpc::reflection::v1::ServerReflectionResponse AnswerReflection(
    const ::grpc::reflection::v1::ServerReflectionRequest& request,
    const std::vector<std::string>& services, const google::protobuf::DescriptorPool& pool);

class ReflectionV1Service final : public ::grpc::reflection::v1::ServerReflection::CallbackService {
 public:
  // `services`: what list_services answers (ServedServiceNames).
  explicit ReflectionV1Service(std::vector<std::string> services);

  grpc::ServerBidiReactor<::grpc::reflection::v1::ServerReflectionRequest,
                          ::grpc::reflection::v1::ServerReflectionResponse>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override;

 private:
  const std::vector<std::string> services_;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_REFLECTION_V1_SERVICE_H_
