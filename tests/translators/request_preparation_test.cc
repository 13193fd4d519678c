// Checks made before anything is sent, on real generated ECS messages.
#include "translators/request_preparation.h"

#include "absl/container/flat_hash_set.h"
#include "aws/appconfig/v1/appconfig.pb.h"
#include "aws/apprunner/v1/apprunner.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "gmock/gmock.h"
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

TEST(ValidateConstraintsTest, StringLengthsCountCharactersAndNameTheField) {
  aws::appconfig::v1::CreateApplicationRequest request;  // Name: 1..64
  request.set_name(std::string(64, 'a'));
  EXPECT_TRUE(ValidateConstraints(request).ok());
  request.set_name(std::string(65, 'a'));
  absl::Status status = ValidateConstraints(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "name: at most 64 characters allowed, got 65");
  // 64 two-byte characters are 64 characters, as AWS counts them.
  std::string wide;
  for (int i = 0; i < 64; ++i) wide += "\xc3\xa9";
  request.set_name(wide);
  EXPECT_TRUE(ValidateConstraints(request).ok());
  request.set_name("");
  status = ValidateConstraints(request);
  EXPECT_EQ(status.message(), "name: at least 1 characters required, got 0");
}

TEST(ValidateConstraintsTest, ListMapAndNestedBoundsByPath) {
  aws::ecs::v1::CreateServiceRequest request;
  request.set_service_name("web");
  for (int i = 0; i < 51; ++i) request.add_tags()->set_key("k");  // tags: at most 50
  EXPECT_EQ(ValidateConstraints(request).message(), "tags: at most 50 elements allowed, got 51");
  request.clear_tags();
  request.add_tags()->set_key(std::string(129, 'k'));  // Tag.key: 1..128
  EXPECT_EQ(ValidateConstraints(request).message(),
            "tags[0].key: at most 128 characters allowed, got 129");
  aws::appconfig::v1::CreateApplicationRequest app;
  app.set_name("a");
  for (int i = 0; i < 51; ++i) (*app.mutable_tags())[std::to_string(i)] = "v";
  EXPECT_EQ(ValidateConstraints(app).message(), "tags: at most 50 entries allowed, got 51");
}

TEST(ValidateConstraintsTest, NumbersStayInTheirRangeAndUnsetMembersAreNotChecked) {
  aws::apprunner::v1::ListAutoScalingConfigurationsRequest request;  // MaxResults: 1..100
  EXPECT_TRUE(ValidateConstraints(request).ok());
  request.set_max_results(100);
  EXPECT_TRUE(ValidateConstraints(request).ok());
  request.set_max_results(0);
  EXPECT_EQ(ValidateConstraints(request).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateConstraints(request).message(),
            "max_results: must be between 1 and 100, got 0");
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

// An empty request of `method` (its full name) and the operation behind it.
struct NewRequest {
  explicit NewRequest(absl::string_view method_name)
      : method(google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
            std::string(method_name))),
        op(Operation::For(method)),
        message(google::protobuf::MessageFactory::generated_factory()
                    ->GetPrototype(method->input_type())
                    ->New()) {}
  NewRequest& Set(absl::string_view field, const std::string& value) {
    const auto* f = message->GetDescriptor()->FindFieldByName(std::string(field));
    message->GetReflection()->SetString(message.get(), f, value);
    return *this;
  }
  absl::StatusOr<EncodedRequest> Encode() const {
    return ProtocolFor(*op.service).EncodeRequest(op, *message);
  }

  const google::protobuf::MethodDescriptor* method;
  Operation op;
  std::unique_ptr<google::protobuf::Message> message;
};

TEST(EncodeRequestTest, DotSegmentLabelsAreRefusedNamingTheField) {
  // DELETE /applications/APPX/environments/.. is, once normalized (and so
  // for its SigV4 signature), DELETE /applications/APPX: DeleteApplication.
  struct Case {
    const char* method;
    const char* parent_field;
    const char* label_field;
  };
  for (const Case& c : {Case{"aws.appconfig.v1.AppConfigService.DeleteEnvironment",
                             "application_id", "environment_id"},
                        Case{"aws.amplify.v1.AmplifyService.GetBranch", "app_id", "branch_name"}}) {
    for (const char* dots : {"..", "."}) {
      NewRequest request(c.method);
      request.Set(c.parent_field, "APPX").Set(c.label_field, dots);
      absl::StatusOr<EncodedRequest> encoded = request.Encode();
      ASSERT_FALSE(encoded.ok()) << c.method << " " << dots;
      EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(std::string(encoded.status().message()), testing::StartsWith(c.label_field));
    }
    // Dots inside a name are names.
    for (const char* name : {"..x", "a..", "..."}) {
      NewRequest request(c.method);
      request.Set(c.parent_field, "APPX").Set(c.label_field, name);
      ASSERT_TRUE(request.Encode().ok()) << c.method << " " << name;
    }
  }
}

TEST(EncodeRequestTest, HeaderValuesHoldPrintableAsciiOnly) {
  for (const std::string& bad : {std::string("text/plain\x7f"), std::string("caf\xc3\xa9"),
                                 std::string("a\x01b"), std::string(8193, 'x')}) {
    NewRequest request("aws.appconfig.v1.AppConfigService.CreateHostedConfigurationVersion");
    request.Set("application_id", "app").Set("configuration_profile_id", "prof");
    request.Set("content_type", bad);
    absl::StatusOr<EncodedRequest> encoded = request.Encode();
    ASSERT_FALSE(encoded.ok()) << bad.size();
    EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(encoded.status().message()), testing::StartsWith("content_type: "));
  }
  NewRequest request("aws.appconfig.v1.AppConfigService.CreateHostedConfigurationVersion");
  request.Set("application_id", "app").Set("configuration_profile_id", "prof");
  request.Set("content_type", "text/plain;\tcharset=utf-8");
  EXPECT_TRUE(request.Encode().ok());
}

TEST(EncodeRequestTest, ARequestUriTooLongIsRefusedNamingTheLongestMember) {
  NewRequest request("aws.appconfig.v1.AppConfigService.ListApplications");
  request.Set("next_token", std::string(9000, 't'));
  absl::StatusOr<EncodedRequest> encoded = request.Encode();
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(encoded.status().message()),
              testing::StartsWith("next_token: too long for the request URI"));
  request.Set("next_token", std::string(8000, 't'));
  EXPECT_TRUE(request.Encode().ok());
}

}  // namespace
}  // namespace awsgw::translators
