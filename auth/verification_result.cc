// The one table from SigV4 verification failures to AWS error codes and HTTP
// statuses.
#include "auth/verification_result.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace awsgw::auth {

absl::string_view AuthErrorCodeName(AuthErrorCode code) {
  switch (code) {
    case AuthErrorCode::kIncompleteSignature:
      return "IncompleteSignature";
    case AuthErrorCode::kInvalidSignature:
      return "InvalidSignatureException";
    case AuthErrorCode::kUnrecognizedClient:
      return "UnrecognizedClientException";
    case AuthErrorCode::kMissingAuthenticationToken:
      return "MissingAuthenticationToken";
    case AuthErrorCode::kRequestTimeTooSkewed:
      return "RequestTimeTooSkewed";
    case AuthErrorCode::kInternalFailure:
      return "InternalFailure";
  }
  return "InternalFailure";
}

int AuthErrorHttpStatus(AuthErrorCode code) {
  switch (code) {
    case AuthErrorCode::kIncompleteSignature:
    case AuthErrorCode::kInvalidSignature:
    case AuthErrorCode::kUnrecognizedClient:
      return 400;  // what the JSON-protocol services answer for these
    case AuthErrorCode::kMissingAuthenticationToken:
    case AuthErrorCode::kRequestTimeTooSkewed:
      return 403;
    case AuthErrorCode::kInternalFailure:
      return 500;
  }
  return 500;
}

VerificationResult VerificationResult::Success(VerifiedRequest request) {
  VerificationResult result;
  result.ok_ = true;
  result.request_ = std::move(request);
  return result;
}

VerificationResult VerificationResult::Failure(AuthErrorCode code, std::string message) {
  VerificationResult result;
  result.ok_ = false;
  result.code_ = code;
  result.message_ = std::move(message);
  return result;
}

absl::Status VerificationResult::ToStatus() const {
  if (ok_) return absl::OkStatus();
  std::string text = absl::StrCat(AuthErrorCodeName(code_), ": ", message_);
  if (code_ == AuthErrorCode::kInternalFailure) return absl::InternalError(text);
  return absl::UnauthenticatedError(text);
}

}  // namespace awsgw::auth
