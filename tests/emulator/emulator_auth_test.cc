// The emulator's answers to unsigned, badly signed, unknown-key and skewed
// requests: the AWS error code, HTTP status and framing of each protocol.
#include "absl/strings/match.h"
#include "auth/sigv4_signer.h"
#include "emulator/emulator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/emulator/emulator_test_support.h"

namespace awsgw::emulator {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // NOLINT: the test support helpers

constexpr char kEcsTarget[] = "AmazonEC2ContainerServiceV20141113.ListClusters";
constexpr char kEcsType[] = "application/x-amz-json-1.1";

std::string ErrorType(const http::HttpResponse& response) {
  const http::HttpHeader* h = http::FindHeader(response.headers, "x-amzn-ErrorType");
  return h == nullptr ? "" : h->value;
}

http::HttpRequest AmplifyListApps() {
  http::HttpRequest request;
  request.method = "GET";
  request.path = "/apps";
  return request;
}

class EmulatorAuthTest : public ::testing::Test {
 protected:
  std::unique_ptr<Emulator> emulator_ = MakeEmulator();
};

TEST_F(EmulatorAuthTest, SignedRequestSucceeds) {
  ASSERT_NE(emulator_, nullptr);
  http::HttpResponse r = emulator_->Handle(
      Signed(JsonRequest(kEcsTarget, kEcsType, "{}"), "ecs", emulator_->default_credentials()));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"clusterArns":[]})");  // no clusters yet
  EXPECT_NE(http::FindHeader(r.headers, "x-amzn-RequestId"), nullptr);
}

TEST_F(EmulatorAuthTest, UnsignedRequestIsMissingAuthenticationToken) {
  http::HttpRequest request = JsonRequest(kEcsTarget, kEcsType, "{}");
  request.headers.push_back({"Host", "localhost"});
  http::HttpResponse r = emulator_->Handle(request);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(ErrorType(r), "MissingAuthenticationToken");
  EXPECT_THAT(r.body, HasSubstr(R"("__type":"MissingAuthenticationToken")"));
}

TEST_F(EmulatorAuthTest, WrongSecretIsInvalidSignature) {
  auth::Credentials forged(emulator_->default_credentials().access_key_id(),
                           "0000000000000000000000000000000000000000");
  http::HttpResponse r =
      emulator_->Handle(Signed(JsonRequest(kEcsTarget, kEcsType, "{}"), "ecs", forged));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "InvalidSignatureException");
}

TEST_F(EmulatorAuthTest, TamperedBodyIsInvalidSignature) {
  http::HttpRequest request =
      Signed(JsonRequest(kEcsTarget, kEcsType, "{}"), "ecs", emulator_->default_credentials());
  request.body = R"({"maxResults":1})";
  EXPECT_EQ(ErrorType(emulator_->Handle(request)), "InvalidSignatureException");
}

TEST_F(EmulatorAuthTest, UnknownKeyIsUnrecognizedClient) {
  auth::Credentials stranger("AKIASTRANGERSTRANGER", "secretsecretsecretsecretsecretsecret1234");
  http::HttpResponse r = emulator_->Handle(Signed(AmplifyListApps(), "amplify", stranger));
  EXPECT_EQ(r.status, 400);
  // restJson frames the code in the header; botocore reads it from there.
  EXPECT_EQ(ErrorType(r), "UnrecognizedClientException");
}

TEST_F(EmulatorAuthTest, ConfiguredKeyIsAccepted) {
  auth::Credentials extra("AKIAEXTRAEXTRAEXTRA1", "extraextraextraextraextraextraextra12345");
  emulator_->credentials().Add(extra);
  EXPECT_EQ(emulator_->Handle(Signed(AmplifyListApps(), "amplify", extra)).status, 200);
}

TEST_F(EmulatorAuthTest, SkewedClockIsRequestTimeTooSkewed) {
  http::HttpResponse r =
      emulator_->Handle(Signed(JsonRequest(kEcsTarget, kEcsType, "{}"), "ecs",
                               emulator_->default_credentials(), TestNow() - absl::Minutes(20)));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(ErrorType(r), "RequestTimeTooSkewed");
}

TEST_F(EmulatorAuthTest, OtherRegionIsInvalidSignature) {
  http::HttpResponse r =
      emulator_->Handle(Signed(JsonRequest(kEcsTarget, kEcsType, "{}"), "ecs",
                               emulator_->default_credentials(), TestNow(), "eu-west-1"));
  EXPECT_EQ(ErrorType(r), "InvalidSignatureException");
}

TEST_F(EmulatorAuthTest, PresignedRequestIsRoutedByItsCredentialParameter) {
  // GET /applications is both AppConfig's and the Serverless Application
  // Repository's; the presigned credential scope picks the service.
  http::HttpRequest request = AmplifyListApps();
  request.path = "/applications";
  request.headers.push_back({"Host", "127.0.0.1:4566"});
  auth::SigningConfig config;
  config.region = kRegion;
  config.service = "serverlessrepo";
  config.signing_time = TestNow();
  config.location = auth::SignatureLocation::kQueryString;
  ASSERT_TRUE(auth::Sigv4Signer().Sign(request, emulator_->default_credentials(), config).ok());
  http::HttpResponse r = emulator_->Handle(request);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"applications":[]})");
}

TEST_F(EmulatorAuthTest, UnknownOperationOfKnownService) {
  http::HttpResponse r = emulator_->Handle(
      Signed(JsonRequest("AmazonEC2ContainerServiceV20141113.NoSuchThing", kEcsType, "{}"), "ecs",
             emulator_->default_credentials()));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "UnknownOperationException");
}

TEST_F(EmulatorAuthTest, MissingRequiredMemberIsTheServicesValidationError) {
  // ECS DeleteCluster requires `cluster`; ECS answers InvalidParameterException.
  http::HttpResponse r = emulator_->Handle(
      Signed(JsonRequest("AmazonEC2ContainerServiceV20141113.DeleteCluster", kEcsType, "{}"), "ecs",
             emulator_->default_credentials()));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "InvalidParameterException");
  // App Runner DescribeService requires ServiceArn: InvalidRequestException.
  r = emulator_->Handle(
      Signed(JsonRequest("AppRunner.DescribeService", "application/x-amz-json-1.0", "{}"),
             "apprunner", emulator_->default_credentials()));
  EXPECT_EQ(ErrorType(r), "InvalidRequestException");
}

TEST_F(EmulatorAuthTest, MalformedJsonIsSerializationException) {
  http::HttpResponse r = emulator_->Handle(
      Signed(JsonRequest(kEcsTarget, kEcsType, "{nope"), "ecs", emulator_->default_credentials()));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "SerializationException");
}

}  // namespace
}  // namespace awsgw::emulator
