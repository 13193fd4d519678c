// The table of AWS services and operations this build knows, built once at
// start-up from the descriptors of the generated protos: the gateway
// dispatches on it, the watch engine resolves its poll operations in it, and
// the emulator routes requests with it.
//
// Nothing here names an AWS operation: every entry comes from a service proto
// listed by proto/service_files.h and its (awsgw.service) / (awsgw.operation)
// options. Generic code (dispatch, translators, metrics) keys on the entries.
#ifndef AWSGW_TRANSLATORS_METHOD_TABLE_H_
#define AWSGW_TRANSLATORS_METHOD_TABLE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "awsgw/options.pb.h"
#include "google/protobuf/descriptor.h"
#include "translators/protocol.h"

namespace awsgw::translators {

// One rpc: its descriptor, the AWS operation behind it and the gRPC path.
struct MethodEntry {
  const google::protobuf::MethodDescriptor* method = nullptr;
  const OperationInfo* operation = nullptr;
  // What the protocol codecs take: built here once, not per call.
  Operation op;
  // "/aws.ecs.v1.EcsService/CreateService"; stable for the table's lifetime.
  std::string path;
};

// One gRPC service mirroring one AWS service.
struct ServiceEntry {
  const google::protobuf::ServiceDescriptor* service = nullptr;
  const ServiceInfo* info = nullptr;
  std::vector<MethodEntry> methods;
};

class MethodTable {
 public:
  // Builds the table from the given proto files of `pool`.
  // Returns NOT_FOUND when a file is not in the pool (not linked in) and
  // FAILED_PRECONDITION when a service or method lacks its awsgw option.
  static absl::StatusOr<std::unique_ptr<MethodTable>> Build(
      const google::protobuf::DescriptorPool& pool, absl::Span<const absl::string_view> files);

  // The table of every service compiled into this binary.
  static absl::StatusOr<std::unique_ptr<MethodTable>> FromGeneratedPool();

  const std::vector<ServiceEntry>& services() const { return services_; }

  // The method served at a gRPC path, or nullptr.
  const MethodEntry* FindByPath(absl::string_view path) const;

  // The entry of `method`, or nullptr when it is not one of the table's.
  const MethodEntry* FindByMethod(const google::protobuf::MethodDescriptor* method) const;

  size_t method_count() const { return by_path_.size(); }

 private:
  MethodTable() = default;

  std::vector<ServiceEntry> services_;
  absl::flat_hash_map<std::string, const MethodEntry*> by_path_;
  absl::flat_hash_map<const google::protobuf::MethodDescriptor*, const MethodEntry*> by_method_;
};

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_METHOD_TABLE_H_
