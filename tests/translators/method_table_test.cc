// The catalog is built from the descriptors of every linked service proto.
#include "translators/method_table.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"
#include "proto/service_files.h"

namespace awsgw::translators {
namespace {

using ::google::protobuf::DescriptorPool;
using ::google::protobuf::FileDescriptorProto;

TEST(MethodTableTest, HoldsEveryGeneratedServiceAndOperation) {
  auto catalog = MethodTable::FromGeneratedPool();
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ((*catalog)->services().size(), proto::ServiceProtoFiles().size());
  EXPECT_EQ((*catalog)->method_count(), 221u);

  absl::flat_hash_set<std::string> model_names;
  for (const ServiceEntry& service : (*catalog)->services()) {
    model_names.insert(service.info->model_name());
    EXPECT_NE(service.info->protocol(), PROTOCOL_UNSPECIFIED) << service.service->full_name();
    for (const MethodEntry& method : service.methods) {
      EXPECT_EQ(method.path,
                absl::StrCat("/", service.service->full_name(), "/", method.method->name()));
      EXPECT_EQ(method.operation->name(), method.method->name());
      EXPECT_EQ((*catalog)->FindByPath(method.path), &method);
      EXPECT_EQ((*catalog)->FindByMethod(method.method), &method);
      // The prebuilt operation is the method's own, with its service's options.
      EXPECT_EQ(method.op.method, method.method);
      EXPECT_EQ(method.op.info, method.operation);
      EXPECT_EQ(method.op.service, service.info);
    }
  }
  EXPECT_EQ(model_names, (absl::flat_hash_set<std::string>{"apprunner", "amplify", "serverlessrepo",
                                                           "appconfig", "ecs"}));
}

TEST(MethodTableTest, FindsNothingForUnknownPaths) {
  auto catalog = MethodTable::FromGeneratedPool();
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ((*catalog)->FindByPath("/aws.ecs.v1.EcsService/NoSuchAction"), nullptr);
  EXPECT_EQ((*catalog)->FindByPath(""), nullptr);
  EXPECT_EQ((*catalog)->FindByMethod(nullptr), nullptr);
}

TEST(MethodTableTest, RejectsFilesMissingFromThePool) {
  DescriptorPool empty;
  const absl::string_view files[] = {"aws/none/v1/none.proto"};
  auto catalog = MethodTable::Build(empty, files);
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kNotFound);
}

TEST(MethodTableTest, RejectsServicesWithoutAwsOptions) {
  DescriptorPool pool;
  FileDescriptorProto file;
  file.set_name("plain.proto");
  file.set_package("plain");
  auto* msg = file.add_message_type();
  msg->set_name("M");
  auto* service = file.add_service();
  service->set_name("PlainService");
  auto* method = service->add_method();
  method->set_name("Do");
  method->set_input_type(".plain.M");
  method->set_output_type(".plain.M");
  ASSERT_NE(pool.BuildFile(file), nullptr);
  const absl::string_view files[] = {"plain.proto"};
  auto catalog = MethodTable::Build(pool, files);
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(catalog.status().message().find("plain.PlainService"), std::string::npos);
}

}  // namespace
}  // namespace awsgw::translators
