#include "translators/method_table.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "proto/service_files.h"

namespace awsgw::translators {

absl::StatusOr<std::unique_ptr<MethodTable>> MethodTable::Build(
    const google::protobuf::DescriptorPool& pool, absl::Span<const absl::string_view> files) {
  std::unique_ptr<MethodTable> catalog(new MethodTable());
  for (absl::string_view name : files) {
    const google::protobuf::FileDescriptor* file = pool.FindFileByName(std::string(name));
    if (file == nullptr) {
      return absl::NotFoundError(absl::StrCat("proto file ", name, " is not in the pool"));
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      if (!service->options().HasExtension(awsgw::service)) {
        return absl::FailedPreconditionError(
            absl::StrCat("service ", service->full_name(), " has no (awsgw.service) option"));
      }
      ServiceEntry entry{service, &service->options().GetExtension(awsgw::service), {}};
      entry.methods.reserve(service->method_count());
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* method = service->method(m);
        if (!method->options().HasExtension(awsgw::operation)) {
          return absl::FailedPreconditionError(
              absl::StrCat("method ", method->full_name(), " has no (awsgw.operation) option"));
        }
        entry.methods.push_back({method, &method->options().GetExtension(awsgw::operation),
                                 Operation::For(method),
                                 absl::StrCat("/", service->full_name(), "/", method->name())});
      }
      catalog->services_.push_back(std::move(entry));
    }
  }
  // Index only once services_ no longer grows: the map points into it.
  for (const ServiceEntry& service : catalog->services_) {
    for (const MethodEntry& method : service.methods) {
      catalog->by_path_.emplace(method.path, &method);
      catalog->by_method_.emplace(method.method, &method);
    }
  }
  return catalog;
}

absl::StatusOr<std::unique_ptr<MethodTable>> MethodTable::FromGeneratedPool() {
  return Build(*google::protobuf::DescriptorPool::generated_pool(), proto::ServiceProtoFiles());
}

const MethodEntry* MethodTable::FindByPath(absl::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : it->second;
}

const MethodEntry* MethodTable::FindByMethod(
    const google::protobuf::MethodDescriptor* method) const {
  auto it = by_method_.find(method);
  return it == by_method_.end() ? nullptr : it->second;
}

}  // namespace awsgw::translators
