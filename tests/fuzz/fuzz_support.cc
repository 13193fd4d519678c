#include "tests/fuzz/fuzz_support.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "google/protobuf/descriptor.pb.h"

namespace awsgw::fuzz {

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
      if (s->pool.FindFileByName(file.name()) != nullptr) continue;
      const google::protobuf::FileDescriptor* fd = s->pool.BuildFile(file);
      if (fd == nullptr) std::abort();
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
    headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  return headers;
}

}  // namespace awsgw::fuzz
