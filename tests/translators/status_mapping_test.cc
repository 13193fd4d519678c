// The AWS error -> gRPC status table, case by case, and the status details.
#include "translators/status_mapping.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace awsgw::translators {
namespace {

using grpc::StatusCode;

struct Case {
  const char* aws_code;
  int http_status;
  StatusCode expected;
};

class GrpcCodeForTest : public testing::TestWithParam<Case> {};

TEST_P(GrpcCodeForTest, MapsAsDocumented) {
  EXPECT_EQ(GrpcCodeFor(GetParam().aws_code, GetParam().http_status), GetParam().expected)
      << GetParam().aws_code << " / HTTP " << GetParam().http_status;
}

INSTANTIATE_TEST_SUITE_P(
    Table, GrpcCodeForTest,
    testing::Values(
        // awsJson services answer client errors with 400: the code decides.
        Case{"ClusterNotFoundException", 400, StatusCode::NOT_FOUND},
        Case{"ResourceNotFoundException", 400, StatusCode::NOT_FOUND},
        Case{"NotFoundException", 404, StatusCode::NOT_FOUND},
        Case{"ThrottlingException", 400, StatusCode::RESOURCE_EXHAUSTED},
        Case{"TooManyRequestsException", 429, StatusCode::RESOURCE_EXHAUSTED},
        Case{"ServiceQuotaExceededException", 402, StatusCode::RESOURCE_EXHAUSTED},
        Case{"AccessDeniedException", 400, StatusCode::PERMISSION_DENIED},
        Case{"ForbiddenException", 403, StatusCode::PERMISSION_DENIED},
        // The gateway's own credentials refused: credentials, not the caller's rights.
        Case{"UnrecognizedClientException", 400, StatusCode::UNAUTHENTICATED},
        Case{"InvalidSignatureException", 403, StatusCode::UNAUTHENTICATED},
        Case{"ExpiredTokenException", 400, StatusCode::UNAUTHENTICATED},
        // A skewed clock is transient from the caller's point of view.
        Case{"RequestTimeTooSkewed", 403, StatusCode::UNAVAILABLE},
        Case{"ValidationException", 400, StatusCode::INVALID_ARGUMENT},
        Case{"InvalidParameterException", 400, StatusCode::INVALID_ARGUMENT},
        // ECS's catch-all for caller mistakes.
        Case{"ClientException", 400, StatusCode::INVALID_ARGUMENT},
        // Valid request, resource in the wrong state.
        Case{"ConflictException", 409, StatusCode::FAILED_PRECONDITION},
        Case{"InvalidStateException", 400, StatusCode::FAILED_PRECONDITION},
        Case{"ResourceInUseException", 400, StatusCode::FAILED_PRECONDITION},
        Case{"ClusterContainsServicesException", 400, StatusCode::FAILED_PRECONDITION},
        Case{"ServiceNotActiveException", 400, StatusCode::FAILED_PRECONDITION},
        Case{"NamespaceInUse", 400, StatusCode::FAILED_PRECONDITION},
        Case{"ResourceAlreadyExistsException", 400, StatusCode::ALREADY_EXISTS},
        Case{"DomainAlreadyExists", 400, StatusCode::ALREADY_EXISTS},
        Case{"ServerException", 500, StatusCode::UNAVAILABLE},
        Case{"InternalServerException", 500, StatusCode::UNAVAILABLE},
        Case{"ServiceUnavailableException", 503, StatusCode::UNAVAILABLE},
        // Unknown codes fall back to the HTTP status.
        Case{"SomethingNew", 404, StatusCode::NOT_FOUND},
        Case{"SomethingNew", 409, StatusCode::FAILED_PRECONDITION},
        Case{"SomethingNew", 429, StatusCode::RESOURCE_EXHAUSTED},
        Case{"SomethingNew", 502, StatusCode::UNAVAILABLE},
        Case{"SomethingNew", 501, StatusCode::UNIMPLEMENTED},
        Case{"", 400, StatusCode::INVALID_ARGUMENT}, Case{"", 302, StatusCode::UNKNOWN}));

TEST(IsThrottlingErrorTest, KnowsTheSdkThrottlingCodes) {
  EXPECT_TRUE(IsThrottlingError("ThrottlingException"));
  EXPECT_TRUE(IsThrottlingError("TooManyRequestsException"));
  EXPECT_TRUE(IsThrottlingError("RequestLimitExceeded"));
  EXPECT_FALSE(IsThrottlingError("ServiceQuotaExceededException"));
  EXPECT_FALSE(IsThrottlingError("ValidationException"));
}

TEST(ParseAwsErrorTest, ReadsCodeMessageRequestIdAndRetryHint) {
  http::HttpResponse response;
  response.status = 400;
  response.headers = {{"x-amzn-RequestId", "req-1"}, {"Retry-After", "2"}};
  response.body = R"({"__type":"com.amazonaws.ecs#ThrottlingException","message":"slow down"})";
  const AwsError error = ParseAwsError(response);
  EXPECT_EQ(error.code, "ThrottlingException");
  EXPECT_EQ(error.message, "slow down");
  EXPECT_EQ(error.request_id, "req-1");
  ASSERT_TRUE(error.retry_after.has_value());
  EXPECT_EQ(*error.retry_after, absl::Seconds(2));
}

TEST(ParseAwsErrorTest, NonJsonAndTruncatedBodiesStillGiveAMessage) {
  http::HttpResponse html{502, {}, "<html><body>Bad Gateway</body></html>"};
  AwsError error = ParseAwsError(html);
  EXPECT_EQ(error.code, "");
  EXPECT_NE(error.message.find("non-JSON"), std::string::npos);
  EXPECT_EQ(GrpcCodeFor(error.code, error.http_status), StatusCode::UNAVAILABLE);

  http::HttpResponse truncated{400, {}, R"({"__type":"Validation)"};
  error = ParseAwsError(truncated);
  EXPECT_NE(error.message.find("HTTP 400"), std::string::npos);

  http::HttpResponse binary{500, {}, std::string("\x00\x01\x02\xff", 4)};
  error = ParseAwsError(binary);
  EXPECT_EQ(error.message.find('\x01'), std::string::npos);
}

TEST(ToGrpcStatusTest, CarriesErrorInfoAndRetryInfo) {
  ServiceInfo service;
  service.set_signing_name("ecs");
  OperationInfo info;
  info.set_name("ListClusters");
  Operation op{nullptr, &service, &info};
  AwsError error{"ThrottlingException", "Rate exceeded", 400, "req-9", absl::Milliseconds(1500)};
  const grpc::Status status = ToGrpcStatus(op, error, nullptr);
  EXPECT_EQ(status.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "ThrottlingException: Rate exceeded");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 2);
  google::rpc::ErrorInfo error_info;
  ASSERT_TRUE(details.details(0).UnpackTo(&error_info));
  EXPECT_EQ(error_info.reason(), "ThrottlingException");
  EXPECT_EQ(error_info.domain(), "ecs.amazonaws.com");
  EXPECT_EQ(error_info.metadata().at("aws_request_id"), "req-9");
  EXPECT_EQ(error_info.metadata().at("http_status"), "400");
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(details.details(1).UnpackTo(&retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_EQ(retry.retry_delay().nanos(), 500000000);
}

}  // namespace
}  // namespace awsgw::translators
