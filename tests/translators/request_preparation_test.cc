// Checks made before anything is sent, on real generated ECS messages.
#include "translators/request_preparation.h"

#include "absl/container/flat_hash_set.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "gtest/gtest.h"
#include "translators/protocol.h"

namespace awsgw::translators {
namespace {

TEST(ValidateRequiredTest, NamesTheMissingTopLevelField) {
  aws::ecs::v1::CreateServiceRequest request;
  const absl::Status status = ValidateRequired(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "service_name is required");
  request.set_service_name("web");
  EXPECT_TRUE(ValidateRequired(request).ok());
}

TEST(ValidateRequiredTest, NamesTheMissingNestedFieldByItsPath) {
  aws::ecs::v1::CreateServiceRequest request;
  request.set_service_name("web");
  request.mutable_network_configuration()->mutable_awsvpc_configuration();
  const absl::Status status = ValidateRequired(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "network_configuration.awsvpc_configuration.subnets is required");
  request.mutable_network_configuration()->mutable_awsvpc_configuration()->add_subnets("s-1");
  EXPECT_TRUE(ValidateRequired(request).ok());
}

TEST(ValidateRequiredTest, ChecksEveryListElement) {
  aws::ecs::v1::CreateServiceRequest request;
  request.set_service_name("web");
  request.add_load_balancers();  // no required members
  auto* tag = request.add_tags();
  tag->set_key("k");
  EXPECT_TRUE(ValidateRequired(request).ok());
}

TEST(FillIdempotencyTokensTest, FillsOnlyEmptyTokens) {
  aws::ecs::v1::RunTaskRequest request;
  request.set_task_definition("td");
  EXPECT_EQ(FillIdempotencyTokens(&request, [] { return std::string("fixed"); }), 1);
  EXPECT_EQ(request.client_token(), "fixed");
  EXPECT_EQ(FillIdempotencyTokens(&request, [] { return std::string("other"); }), 0);
  EXPECT_EQ(request.client_token(), "fixed");
}

TEST(EncodeRequestTest, HeaderValuesCannotCarryNewlines) {
  // AppConfig GetConfiguration binds ClientConfigurationVersion to the query
  // and the hosted configuration's content type to a header: use a header one.
  const auto* method = aws::ecs::v1::RunTaskRequest::descriptor()->file()->pool()->FindMethodByName(
      "aws.appconfig.v1.AppConfigService."
      "CreateHostedConfigurationVersion");
  ASSERT_NE(method, nullptr);
  const Operation op = Operation::For(method);
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(method->input_type())
          ->New());
  const auto* d = request->GetDescriptor();
  const auto* r = request->GetReflection();
  r->SetString(request.get(), d->FindFieldByName("application_id"), "app");
  r->SetString(request.get(), d->FindFieldByName("configuration_profile_id"), "prof");
  r->SetString(request.get(), d->FindFieldByName("content_type"), "text/plain\r\nX-Evil: 1");
  auto encoded = ProtocolFor(*op.service).EncodeRequest(op, *request);
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(encoded.status().message().find("content_type"), std::string::npos);

  r->SetString(request.get(), d->FindFieldByName("content_type"), "text/plain");
  r->SetString(request.get(), d->FindFieldByName("application_id"), "../../x");
  encoded = ProtocolFor(*op.service).EncodeRequest(op, *request);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  EXPECT_EQ(encoded->http.path.find("/../"), std::string::npos);
  EXPECT_NE(encoded->http.path.find("..%2F..%2Fx"), std::string::npos);

  r->SetString(request.get(), d->FindFieldByName("application_id"), "");
  encoded = ProtocolFor(*op.service).EncodeRequest(op, *request);
  ASSERT_FALSE(encoded.ok());
  EXPECT_NE(encoded.status().message().find("application_id"), std::string::npos);
}

}  // namespace
}  // namespace awsgw::translators
