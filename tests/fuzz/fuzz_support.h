// What the fuzz targets share: every AWS operation of the service protos,
// loaded from a descriptor set, and a way to carve structured input out of
// the fuzzer's bytes.
#ifndef AWSGW_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define AWSGW_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "http/http_message.h"

namespace awsgw::fuzz {

// Removes the SigV4 data a fuzzed request may already carry (headers and
// presigned query parameters): with it, the request would be another one
// than the one the target signs.
void RemoveSigningData(http::HttpRequest& request);

struct Services {
  google::protobuf::DescriptorPool pool{google::protobuf::DescriptorPool::generated_pool()};
  google::protobuf::DynamicMessageFactory factory{&pool};
  std::vector<const google::protobuf::MethodDescriptor*> methods;
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  // The names of the proto files that hold the services ("aws/ecs/v1/ecs.proto").
  std::vector<std::string> service_files;
};

// Loaded once; aborts if the descriptor set is missing (a build problem).
const Services& LoadServices();

// Consumes the input front to back.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte();
  // Up to the next '\n' (or the end).
  std::string Line();
  std::string Rest();
  // "Name: value" lines until an empty line. Values lose the spaces and tabs
  // around them, as an HTTP/1.1 parser (Beast's included) hands them over.
  http::HttpHeaders Headers();
  // A request: a method (one byte picks GET, POST, PUT, PATCH, DELETE or
  // HEAD), a target line, Headers(), then the rest as the body.
  http::HttpRequest Request();

 private:
  const uint8_t* data_;
  size_t size_;
};

}  // namespace awsgw::fuzz

#endif  // AWSGW_TESTS_FUZZ_FUZZ_SUPPORT_H_
