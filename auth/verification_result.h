// What Sigv4Verifier returns: either the verified identity, or the AWS error
// code, HTTP status and message an AWS service would answer with.
//
// Why not only absl::Status: the emulator must reproduce AWS's error code
// strings (clients such as botocore switch on them, e.g. to refresh
// credentials after UnrecognizedClientException or to correct clock skew
// after RequestTimeTooSkewed), which no canonical status code carries.
// ToStatus() is there for callers that only need a Status.
//
// Messages never contain a secret access key, a session token or a derived
// key; they may quote the access key id and parts of the request.
#ifndef AWSGW_AUTH_VERIFICATION_RESULT_H_
#define AWSGW_AUTH_VERIFICATION_RESULT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "auth/string_to_sign.h"

namespace awsgw::auth {

// The AWS errors a SigV4 check can produce.
enum class AuthErrorCode {
  kIncompleteSignature,         // malformed or incomplete signing data
  kInvalidSignature,            // InvalidSignatureException: mismatch, wrong scope, expired URL
  kUnrecognizedClient,          // UnrecognizedClientException: unknown key id or bad token
  kMissingAuthenticationToken,  // no signature at all
  kRequestTimeTooSkewed,        // X-Amz-Date too far from the server clock
  kInternalFailure,             // the credential lookup itself failed
};

// The AWS error code string, e.g. "InvalidSignatureException".
absl::string_view AuthErrorCodeName(AuthErrorCode code);

// The HTTP status AWS answers with: 400 IncompleteSignature,
// InvalidSignatureException, UnrecognizedClientException; 403
// MissingAuthenticationToken, RequestTimeTooSkewed; 500 InternalFailure.
int AuthErrorHttpStatus(AuthErrorCode code);

// Facts established by a successful verification.
struct VerifiedRequest {
  std::string access_key_id;
  CredentialScope scope;
  absl::Time signing_time;
  std::vector<std::string> signed_headers;
  bool presigned = false;
};

class [[nodiscard]] VerificationResult {
 public:
  static VerificationResult Success(VerifiedRequest request);
  static VerificationResult Failure(AuthErrorCode code, std::string message);

  bool ok() const { return ok_; }
  // Preconditions: !ok().
  AuthErrorCode error_code() const { return code_; }
  // The AWS error code string; empty when ok().
  absl::string_view aws_error_code() const {
    return ok_ ? absl::string_view() : AuthErrorCodeName(code_);
  }
  int http_status() const { return ok_ ? 200 : AuthErrorHttpStatus(code_); }
  // Empty when ok().
  const std::string& message() const { return message_; }
  // Preconditions: ok().
  const VerifiedRequest& request() const { return request_; }

  // OK; INTERNAL for kInternalFailure; UNAUTHENTICATED otherwise, with the
  // message "<AwsCode>: <message>".
  absl::Status ToStatus() const;

 private:
  bool ok_ = false;
  AuthErrorCode code_ = AuthErrorCode::kInternalFailure;
  std::string message_;
  VerifiedRequest request_;
};

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_VERIFICATION_RESULT_H_
