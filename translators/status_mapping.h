// AWS errors -> gRPC statuses: the one table, and the rich status details.
//
// The code is chosen from the AWS error code first (AWS JSON services answer
// most client errors with HTTP 400, so the status alone says little), then
// from the HTTP status. The returned grpc::Status carries a google.rpc.Status
// in its details with:
//   * ErrorInfo: reason = AWS error code, domain = "<service>.amazonaws.com",
//     metadata = {"http_status", "aws_request_id"};
//   * RetryInfo when AWS throttled and said how long to wait;
//   * the modeled AWS error message itself, packed in an Any, when the
//     operation models the error.
#ifndef AWSGW_TRANSLATORS_STATUS_MAPPING_H_
#define AWSGW_TRANSLATORS_STATUS_MAPPING_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"
#include "translators/aws_error.h"
#include "translators/protocol.h"

namespace awsgw::translators {

// The gRPC code for an AWS error code and HTTP status.
grpc::StatusCode GrpcCodeFor(absl::string_view aws_code, int http_status);

// True for the error codes AWS uses for throttling (retry with backoff).
bool IsThrottlingError(absl::string_view aws_code);

// The gRPC status of the gateway's own errors (a refused request, no
// credentials, no endpoint): the same code and message. abseil's codes are
// gRPC's canonical codes, number for number.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Appends a google.rpc.RetryInfo of `delay` to `status`'s details: the one
// way the gateway tells a caller how long to wait.
void AddRetryInfo(absl::Duration delay, google::rpc::Status* status);

// The domain of the ErrorInfo the gateway attaches to its own refusals
// (authentication, policy, limits), as opposed to AWS's.
inline constexpr absl::string_view kGatewayErrorDomain = "aws-grpc-gateway";

// A status with a google.rpc.Status in its details holding an ErrorInfo of
// `reason` (upper-cased) in kGatewayErrorDomain, `metadata`, and a RetryInfo
// when `retry_after` is set: the one form of the gateway's own refusals.
grpc::Status GatewayStatus(grpc::StatusCode code, const std::string& message,
                           const google::rpc::ErrorInfo& info,
                           std::optional<absl::Duration> retry_after = std::nullopt);
google::rpc::ErrorInfo GatewayErrorInfo(absl::string_view reason);

// The gRPC status for `error`, with details as above. `modeled` may be null.
grpc::Status ToGrpcStatus(const Operation& op, const AwsError& error,
                          const google::protobuf::Message* modeled);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_STATUS_MAPPING_H_
