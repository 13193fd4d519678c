#include "tests/fuzz/fuzz_support.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "auth/http_request.h"
#include "auth/sigv4_names.h"
#include "google/protobuf/descriptor.pb.h"

namespace awsgw::fuzz {

void RemoveSigningData(http::HttpRequest& request) {
  for (absl::string_view name : {auth::kAuthorizationHeader, auth::kAmzDateHeader,
                                 auth::kSecurityTokenHeader, auth::kContentSha256Header}) {
    auth::RemoveHeaders(request.headers, name);
  }
  for (absl::string_view key :
       {auth::kAlgorithmParam, auth::kCredentialParam, auth::kDateParam, auth::kExpiresParam,
        auth::kSignedHeadersParam, auth::kSecurityTokenParam, auth::kSignatureParam}) {
    auth::RemoveQueryParams(request.query, key);
  }
}

const Services& LoadServices() {
  static Services* services = [] {
    auto* s = new Services();
    std::ifstream in(AWSGW_FUZZ_DESCRIPTORS, std::ios::binary);
    google::protobuf::FileDescriptorSet set;
    if (!set.ParseFromIstream(&in)) {
      std::cerr << "cannot read " << AWSGW_FUZZ_DESCRIPTORS << "\n";
      std::abort();
    }
    for (const auto& file : set.file()) {
      // Compiled in already (the generated pool, in a build with the
      // service protos' C++), or built here from the set.
      const google::protobuf::FileDescriptor* fd = s->pool.FindFileByName(file.name());
      if (fd == nullptr) fd = s->pool.BuildFile(file);
      if (fd == nullptr) {
        std::cerr << "cannot build " << file.name() << " from " << AWSGW_FUZZ_DESCRIPTORS << "\n";
        std::abort();
      }
      if (fd->service_count() > 0) s->service_files.push_back(fd->name());
      for (int i = 0; i < fd->service_count(); ++i) {
        s->services.push_back(fd->service(i));
        for (int m = 0; m < fd->service(i)->method_count(); ++m) {
          s->methods.push_back(fd->service(i)->method(m));
        }
      }
    }
    if (s->methods.empty()) std::abort();
    return s;
  }();
  return *services;
}

uint8_t Input::Byte() {
  if (size_ == 0) return 0;
  --size_;
  return *data_++;
}

std::string Input::Line() {
  size_t n = 0;
  while (n < size_ && data_[n] != '\n') ++n;
  std::string line(reinterpret_cast<const char*>(data_), n);
  const size_t used = n < size_ ? n + 1 : n;
  data_ += used;
  size_ -= used;
  return line;
}

std::string Input::Rest() {
  std::string rest(reinterpret_cast<const char*>(data_), size_);
  data_ += size_;
  size_ = 0;
  return rest;
}

http::HttpHeaders Input::Headers() {
  http::HttpHeaders headers;
  for (std::string line = Line(); !line.empty() && headers.size() < 32; line = Line()) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    const size_t first = value.find_first_not_of(" \t");
    value.erase(0, first == std::string::npos ? value.size() : first);
    value.erase(value.find_last_not_of(" \t") + 1);
    headers.push_back({line.substr(0, colon), std::move(value)});
  }
  return headers;
}

http::HttpRequest Input::Request() {
  static constexpr const char* kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
  http::HttpRequest request;
  request.method = kMethods[Byte() % 6];
  http::SetRequestTarget(request, Line());
  request.headers = Headers();
  request.body = Rest();
  return request;
}

}  // namespace awsgw::fuzz
