#include "translators/status_mapping.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace awsgw::translators {
namespace {

using grpc::StatusCode;

// Error codes whose meaning the HTTP status does not carry. Reasons for the
// choices that are not obvious are beside them.
const absl::flat_hash_map<std::string, StatusCode>& CodeTable() {
  static const auto* table = new absl::flat_hash_map<std::string, StatusCode>{
      // Throttling and quotas: the caller should slow down or ask for more.
      {"ThrottlingException", StatusCode::RESOURCE_EXHAUSTED},
      {"Throttling", StatusCode::RESOURCE_EXHAUSTED},
      {"ThrottledException", StatusCode::RESOURCE_EXHAUSTED},
      {"TooManyRequestsException", StatusCode::RESOURCE_EXHAUSTED},
      {"RequestLimitExceeded", StatusCode::RESOURCE_EXHAUSTED},
      {"RequestThrottled", StatusCode::RESOURCE_EXHAUSTED},
      {"RequestThrottledException", StatusCode::RESOURCE_EXHAUSTED},
      {"SlowDown", StatusCode::RESOURCE_EXHAUSTED},
      {"PriorRequestNotComplete", StatusCode::RESOURCE_EXHAUSTED},
      {"ServiceQuotaExceededException", StatusCode::RESOURCE_EXHAUSTED},
      {"LimitExceededException", StatusCode::RESOURCE_EXHAUSTED},
      // Authentication: the gateway's AWS credentials were refused. The
      // caller cannot fix this, but UNAUTHENTICATED is the code that says
      // "credentials", and ErrorInfo names the AWS reason.
      {"UnrecognizedClientException", StatusCode::UNAUTHENTICATED},
      {"InvalidSignatureException", StatusCode::UNAUTHENTICATED},
      {"IncompleteSignature", StatusCode::UNAUTHENTICATED},
      {"MissingAuthenticationToken", StatusCode::UNAUTHENTICATED},
      {"InvalidClientTokenId", StatusCode::UNAUTHENTICATED},
      {"ExpiredTokenException", StatusCode::UNAUTHENTICATED},
      {"ExpiredToken", StatusCode::UNAUTHENTICATED},
      {"RequestExpired", StatusCode::UNAUTHENTICATED},
      // A skewed clock is the gateway host's problem and retrying after a
      // resync helps.
      {"RequestTimeTooSkewed", StatusCode::UNAVAILABLE},
      {"AccessDeniedException", StatusCode::PERMISSION_DENIED},
      {"AccessDenied", StatusCode::PERMISSION_DENIED},
      {"ForbiddenException", StatusCode::PERMISSION_DENIED},
      {"UnauthorizedOperation", StatusCode::PERMISSION_DENIED},
      {"NotAuthorized", StatusCode::PERMISSION_DENIED},
      // Bad requests.
      {"ValidationException", StatusCode::INVALID_ARGUMENT},
      {"ValidationError", StatusCode::INVALID_ARGUMENT},
      {"InvalidParameterException", StatusCode::INVALID_ARGUMENT},
      {"InvalidParameterValueException", StatusCode::INVALID_ARGUMENT},
      {"InvalidParameterCombination", StatusCode::INVALID_ARGUMENT},
      {"InvalidRequestException", StatusCode::INVALID_ARGUMENT},
      {"BadRequestException", StatusCode::INVALID_ARGUMENT},
      {"SerializationException", StatusCode::INVALID_ARGUMENT},
      {"MissingParameter", StatusCode::INVALID_ARGUMENT},
      // ECS's catch-all for the caller's mistakes ("a client action ... such
      // as using an identifier that isn't valid").
      {"ClientException", StatusCode::INVALID_ARGUMENT},
      // State conflicts: the request is valid but the resource is not in a
      // state that allows it; retrying unchanged will not help until it is.
      {"ConflictException", StatusCode::FAILED_PRECONDITION},
      {"InvalidStateException", StatusCode::FAILED_PRECONDITION},
      {"ResourceInUseException", StatusCode::FAILED_PRECONDITION},
      {"UpdateInProgressException", StatusCode::FAILED_PRECONDITION},
      {"ResourceAlreadyExistsException", StatusCode::ALREADY_EXISTS},
      // The feature exists in AWS but not for this resource or region.
      {"UnsupportedFeatureException", StatusCode::FAILED_PRECONDITION},
      // Server side.
      {"InternalFailure", StatusCode::UNAVAILABLE},
      {"InternalServerError", StatusCode::UNAVAILABLE},
      {"InternalServerErrorException", StatusCode::UNAVAILABLE},
      {"InternalServiceErrorException", StatusCode::UNAVAILABLE},
      {"InternalServerException", StatusCode::UNAVAILABLE},
      {"ServerException", StatusCode::UNAVAILABLE},
      {"ServiceUnavailable", StatusCode::UNAVAILABLE},
      {"ServiceUnavailableException", StatusCode::UNAVAILABLE},
      {"RequestTimeout", StatusCode::UNAVAILABLE},
      {"RequestTimeoutException", StatusCode::UNAVAILABLE},
  };
  return *table;
}

StatusCode FromHttpStatus(int status) {
  switch (status) {
    case 400:
      return StatusCode::INVALID_ARGUMENT;
    case 401:
      return StatusCode::UNAUTHENTICATED;
    case 403:
      return StatusCode::PERMISSION_DENIED;
    case 404:
      return StatusCode::NOT_FOUND;
    case 409:
      return StatusCode::FAILED_PRECONDITION;
    case 412:
      return StatusCode::FAILED_PRECONDITION;
    case 413:
      return StatusCode::INVALID_ARGUMENT;
    case 429:
      return StatusCode::RESOURCE_EXHAUSTED;
    case 501:
      return StatusCode::UNIMPLEMENTED;
    default:
      break;
  }
  if (status >= 500 && status <= 599) return StatusCode::UNAVAILABLE;
  if (status >= 400 && status <= 499) return StatusCode::FAILED_PRECONDITION;
  return StatusCode::UNKNOWN;
}

}  // namespace

bool IsThrottlingError(absl::string_view aws_code) {
  // The AWS SDKs' standard retry mode list of throttling codes.
  static const auto* codes =
      new absl::flat_hash_set<std::string>{"Throttling",
                                           "ThrottlingException",
                                           "ThrottledException",
                                           "RequestThrottledException",
                                           "TooManyRequestsException",
                                           "ProvisionedThroughputExceededException",
                                           "TransactionInProgressException",
                                           "RequestLimitExceeded",
                                           "BandwidthLimitExceeded",
                                           "LimitExceededException",
                                           "RequestThrottled",
                                           "SlowDown",
                                           "PriorRequestNotComplete",
                                           "EC2ThrottledException"};
  return codes->contains(aws_code);
}

StatusCode GrpcCodeFor(absl::string_view aws_code, int http_status) {
  if (auto it = CodeTable().find(aws_code); it != CodeTable().end()) return it->second;
  // Families of service-specific codes (ClusterNotFoundException,
  // NamespaceNotFoundException, ...).
  if (absl::StrContains(aws_code, "NotFound")) return StatusCode::NOT_FOUND;
  if (absl::StrContains(aws_code, "AlreadyExists")) return StatusCode::ALREADY_EXISTS;
  if (absl::StrContains(aws_code, "InUse")) return StatusCode::FAILED_PRECONDITION;
  // Resource state: "ServiceNotActiveException", "ClusterContainsTasksException"
  // (a cluster that still has tasks cannot be deleted).
  if (absl::StrContains(aws_code, "NotActive") || absl::StrContains(aws_code, "Contains")) {
    return StatusCode::FAILED_PRECONDITION;
  }
  if (absl::StrContains(aws_code, "LimitExceeded")) return StatusCode::RESOURCE_EXHAUSTED;
  if (absl::StartsWith(aws_code, "Invalid")) return StatusCode::INVALID_ARGUMENT;
  return FromHttpStatus(http_status);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

void AddRetryInfo(absl::Duration delay, google::rpc::Status* status) {
  google::rpc::RetryInfo retry;
  const int64_t seconds = absl::ToInt64Seconds(delay);
  retry.mutable_retry_delay()->set_seconds(seconds);
  retry.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(delay - absl::Seconds(seconds))));
  status->add_details()->PackFrom(retry);
}

grpc::Status GatewayStatus(grpc::StatusCode code, const std::string& message,
                           const google::rpc::ErrorInfo& info,
                           std::optional<absl::Duration> retry_after) {
  google::rpc::Status status;
  status.set_code(code);
  status.set_message(message);
  status.add_details()->PackFrom(info);
  if (retry_after.has_value()) AddRetryInfo(*retry_after, &status);
  return grpc::Status(code, message, status.SerializeAsString());
}

google::rpc::ErrorInfo GatewayErrorInfo(absl::string_view reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(absl::AsciiStrToUpper(reason));
  info.set_domain(std::string(kGatewayErrorDomain));
  return info;
}

grpc::Status ToGrpcStatus(const Operation& op, const AwsError& error,
                          const google::protobuf::Message* modeled) {
  const StatusCode code = GrpcCodeFor(error.code, error.http_status);
  std::string message = error.message.empty() ? error.code : error.message;
  if (!error.code.empty() && !error.message.empty()) {
    message = absl::StrCat(error.code, ": ", error.message);
  }

  google::rpc::Status status;
  status.set_code(code);
  status.set_message(message);
  google::rpc::ErrorInfo info;
  info.set_reason(error.code);
  info.set_domain(absl::StrCat(op.service->signing_name(), ".amazonaws.com"));
  (*info.mutable_metadata())["http_status"] = absl::StrCat(error.http_status);
  if (!error.request_id.empty()) (*info.mutable_metadata())["aws_request_id"] = error.request_id;
  status.add_details()->PackFrom(info);
  if (error.retry_after.has_value()) AddRetryInfo(*error.retry_after, &status);
  if (modeled != nullptr) status.add_details()->PackFrom(*modeled);
  return grpc::Status(code, message, status.SerializeAsString());
}

}  // namespace awsgw::translators
