#include "gateway/server/reflection_v1_service.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"

namespace awsgw::gateway::server {
namespace {

namespace v1 = ::grpc::reflection::v1;
using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;

// `file`, then what it imports, each once.
void AddFileAndImports(const FileDescriptor* file, absl::flat_hash_set<const FileDescriptor*>* sent,
                       v1::FileDescriptorResponse* out) {
  if (!sent->insert(file).second) return;
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  proto.SerializeToString(out->add_file_descriptor_proto());
  for (int i = 0; i < file->dependency_count(); ++i) {
    AddFileAndImports(file->dependency(i), sent, out);
  }
}

void SetFile(const FileDescriptor* file, v1::ServerReflectionResponse* response) {
  absl::flat_hash_set<const FileDescriptor*> sent;
  AddFileAndImports(file, &sent, response->mutable_file_descriptor_response());
}

void SetNotFound(std::string message, v1::ServerReflectionResponse* response) {
  response->mutable_error_response()->set_error_code(static_cast<int>(grpc::StatusCode::NOT_FOUND));
  response->mutable_error_response()->set_error_message(std::move(message));
}

// Serves one stream: reads a question, writes its answer, and again, until
// the client half-closes.
class ReflectionReactor final
    : public grpc::ServerBidiReactor<v1::ServerReflectionRequest, v1::ServerReflectionResponse> {
 public:
  explicit ReflectionReactor(const std::vector<std::string>* services) : services_(services) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    response_ = AnswerReflection(request_, *services_, *DescriptorPool::generated_pool());
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the answer could not be written"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const std::vector<std::string>* services_;
  v1::ServerReflectionRequest request_;
  v1::ServerReflectionResponse response_;
};

}  // namespace

v1::ServerReflectionResponse AnswerReflection(const v1::ServerReflectionRequest& request,
                                              const std::vector<std::string>& services,
                                              const DescriptorPool& pool) {
  v1::ServerReflectionResponse response;
  response.set_valid_host(request.host());
  *response.mutable_original_request() = request;
  switch (request.message_request_case()) {
    case v1::ServerReflectionRequest::kFileByFilename:
      if (const FileDescriptor* file = pool.FindFileByName(request.file_by_filename())) {
        SetFile(file, &response);
      } else {
        SetNotFound(absl::StrCat("no file named \"", request.file_by_filename(), "\""), &response);
      }
      break;
    case v1::ServerReflectionRequest::kFileContainingSymbol:
      if (const FileDescriptor* file =
              pool.FindFileContainingSymbol(request.file_containing_symbol())) {
        SetFile(file, &response);
      } else {
        SetNotFound(absl::StrCat("no symbol \"", request.file_containing_symbol(), "\""),
                    &response);
      }
      break;
    case v1::ServerReflectionRequest::kFileContainingExtension: {
      const v1::ExtensionRequest& wanted = request.file_containing_extension();
      const google::protobuf::Descriptor* type =
          pool.FindMessageTypeByName(wanted.containing_type());
      const google::protobuf::FieldDescriptor* extension =
          type == nullptr ? nullptr : pool.FindExtensionByNumber(type, wanted.extension_number());
      if (extension != nullptr) {
        SetFile(extension->file(), &response);
      } else {
        SetNotFound(absl::StrCat("no extension ", wanted.extension_number(), " of \"",
                                 wanted.containing_type(), "\""),
                    &response);
      }
      break;
    }
    case v1::ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const google::protobuf::Descriptor* type =
          pool.FindMessageTypeByName(request.all_extension_numbers_of_type());
      if (type == nullptr) {
        SetNotFound(
            absl::StrCat("no message type \"", request.all_extension_numbers_of_type(), "\""),
            &response);
        break;
      }
      std::vector<const google::protobuf::FieldDescriptor*> extensions;
      pool.FindAllExtensions(type, &extensions);
      v1::ExtensionNumberResponse* numbers = response.mutable_all_extension_numbers_response();
      numbers->set_base_type_name(type->full_name());
      for (const auto* extension : extensions) numbers->add_extension_number(extension->number());
      break;
    }
    case v1::ServerReflectionRequest::kListServices:
      for (const std::string& name : services) {
        response.mutable_list_services_response()->add_service()->set_name(name);
      }
      break;
    case v1::ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET:
      response.mutable_error_response()->set_error_code(
          static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
      response.mutable_error_response()->set_error_message("the request asks nothing");
      break;
  }
  return response;
}

ReflectionV1Service::ReflectionV1Service(std::vector<std::string> services)
    : services_(std::move(services)) {}

grpc::ServerBidiReactor<v1::ServerReflectionRequest, v1::ServerReflectionResponse>*
ReflectionV1Service::ServerReflectionInfo(grpc::CallbackServerContext* /*context*/) {
  return new ReflectionReactor(&services_);
}

}  // namespace awsgw::gateway::server
