// Routing: the credential scope picks the service, the protocol's Route the
// operation; restJson services with the same paths are told apart by scope.
#include "emulator/request_router.h"

#include "gtest/gtest.h"

namespace awsgw::emulator {
namespace {

http::HttpRequest WithScope(http::HttpRequest request, absl::string_view service) {
  request.headers.push_back(
      {"Authorization",
       absl::StrCat("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-west-2/", service,
                    "/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")});
  return request;
}

http::HttpRequest Rest(absl::string_view method, absl::string_view target) {
  http::HttpRequest request;
  request.method = std::string(method);
  http::SetRequestTarget(request, target);
  return request;
}

http::HttpRequest Json(absl::string_view target) {
  http::HttpRequest request;
  request.method = "POST";
  request.headers = {{"X-Amz-Target", std::string(target)}};
  request.body = "{}";
  return request;
}

std::string OperationOf(const RouteResult& route) {
  return route.method == nullptr ? "<none>"
                                 : route.method->options().GetExtension(awsgw::operation).name();
}

class RequestRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = ServiceRegistry::FromGeneratedPool();
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = std::make_unique<ServiceRegistry>(*std::move(registry));
  }
  std::unique_ptr<ServiceRegistry> registry_;
};

TEST_F(RequestRouterTest, RegistryHasEveryOperation) {
  EXPECT_EQ(registry_->services().size(), 5u);
  EXPECT_EQ(registry_->operation_count(), 221);
}

TEST_F(RequestRouterTest, ScopeNameIsReadFromHeaderAndQuery) {
  EXPECT_EQ(ScopeServiceName(WithScope(Rest("GET", "/apps"), "amplify")), "amplify");
  EXPECT_EQ(
      ScopeServiceName(Rest(
          "GET", "/apps?X-Amz-Credential=AKID%2F20260102%2Fus-west-2%2Fappconfig%2Faws4_request")),
      "appconfig");
  EXPECT_EQ(ScopeServiceName(Rest("GET", "/apps")), "");
}

TEST_F(RequestRouterTest, AwsJsonByTarget) {
  RouteResult r = RouteRequest(*registry_, WithScope(Json("AppRunner.ListServices"), "apprunner"));
  ASSERT_NE(r.service, nullptr);
  EXPECT_EQ(r.service->info->model_name(), "apprunner");
  EXPECT_EQ(OperationOf(r), "ListServices");
  // Unsigned: the target prefix alone finds ECS.
  r = RouteRequest(*registry_, Json("AmazonEC2ContainerServiceV20141113.CreateCluster"));
  ASSERT_NE(r.service, nullptr);
  EXPECT_EQ(r.service->info->model_name(), "ecs");
  EXPECT_EQ(OperationOf(r), "CreateCluster");
}

TEST_F(RequestRouterTest, SamePathDifferentServicesByScope) {
  // Both AppConfig and the Serverless Application Repository serve
  // GET /applications; only the signing scope tells them apart.
  RouteResult appconfig =
      RouteRequest(*registry_, WithScope(Rest("GET", "/applications"), "appconfig"));
  RouteResult sar =
      RouteRequest(*registry_, WithScope(Rest("GET", "/applications"), "serverlessrepo"));
  ASSERT_NE(appconfig.service, nullptr);
  ASSERT_NE(sar.service, nullptr);
  EXPECT_EQ(appconfig.service->info->model_name(), "appconfig");
  EXPECT_EQ(sar.service->info->model_name(), "serverlessrepo");
  EXPECT_EQ(OperationOf(appconfig), "ListApplications");
  EXPECT_EQ(OperationOf(sar), "ListApplications");
}

TEST_F(RequestRouterTest, RestJsonByMethodAndTemplate) {
  RouteResult r =
      RouteRequest(*registry_, WithScope(Rest("GET", "/apps/d123/branches/main"), "amplify"));
  EXPECT_EQ(OperationOf(r), "GetBranch");
  r = RouteRequest(*registry_, WithScope(Rest("DELETE", "/apps/d123"), "amplify"));
  EXPECT_EQ(OperationOf(r), "DeleteApp");
}

TEST_F(RequestRouterTest, KnownServiceUnknownOperation) {
  RouteResult r = RouteRequest(*registry_, WithScope(Rest("PATCH", "/nowhere"), "amplify"));
  ASSERT_NE(r.service, nullptr);
  EXPECT_EQ(r.method, nullptr);
  r = RouteRequest(*registry_, WithScope(Json("AppRunner.Nope"), "apprunner"));
  ASSERT_NE(r.service, nullptr);
  EXPECT_EQ(r.method, nullptr);
}

TEST_F(RequestRouterTest, NothingMatches) {
  RouteResult r = RouteRequest(*registry_, Rest("PATCH", "/nowhere"));
  EXPECT_EQ(r.service, nullptr);
  r = RouteRequest(*registry_, WithScope(Rest("GET", "/apps"), "s3"));
  EXPECT_EQ(r.service, nullptr);
}

}  // namespace
}  // namespace awsgw::emulator
