// Sigv4Verifier: the server side of SigV4, used by the embedded AWS emulator.
// It checks a received request the way an AWS service does and answers with
// the AWS error code a real service would use (VerificationResult).
//
// Header-signed requests (Authorization header) and presigned requests
// (X-Amz-* query parameters) are both accepted. In order, it checks:
//  1. something is signed at all          -> MissingAuthenticationToken
//  2. the signing data parses             -> IncompleteSignature
//     (Authorization or query parameters, X-Amz-Date or Date, and the signed
//     headers include `host` and the header that carries the date)
//  3. the date is within `max_clock_skew` of `now` (presigned: not before
//     X-Amz-Date - skew)                  -> RequestTimeTooSkewed
//     a presigned URL past X-Amz-Date + X-Amz-Expires
//                                         -> InvalidSignatureException
//  4. the credential scope matches the date, region and service
//                                         -> InvalidSignatureException
//  5. the access key id is known          -> UnrecognizedClientException
//     and the session token matches the one issued with it (signed or not)
//  6. x-amz-content-sha256, when signed, matches the body
//  7. the recomputed signature matches (CRYPTO_memcmp, constant time)
//                                         -> InvalidSignatureException
//
// Secrets come from an injected lookup; the clock is the `now` argument.
// Presigned requests are verified with the session token as a signed
// parameter and the payload hashed (the aws-c-auth suite's convention).
//
// Threading: Verify() is const and thread-safe if the lookup is.
#ifndef AWSGW_AUTH_SIGV4_VERIFIER_H_
#define AWSGW_AUTH_SIGV4_VERIFIER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "auth/credentials.h"
#include "auth/http_request.h"
#include "auth/signing_key_cache.h"
#include "auth/verification_result.h"

namespace awsgw::auth {

struct VerifierConfig {
  std::string region;   // the region this endpoint serves
  std::string service;  // the signing name this endpoint serves
  absl::Duration max_clock_skew = absl::Minutes(5);
  bool normalize_path = true;     // as SigningConfig; false only for S3
  bool double_uri_encode = true;  // as SigningConfig; false only for S3
  // Accept `x-amz-content-sha256: UNSIGNED-PAYLOAD` (header signing only).
  bool allow_unsigned_payload = false;
};

// Returns the credentials issued for `access_key_id`: NOT_FOUND when the id
// is unknown (-> UnrecognizedClientException); any other error becomes
// InternalFailure. A non-empty session token in the result means requests
// must carry exactly that X-Amz-Security-Token.
using CredentialsLookup = std::function<absl::StatusOr<Credentials>(absl::string_view)>;

class Sigv4Verifier {
 public:
  Sigv4Verifier(VerifierConfig config, CredentialsLookup lookup);

  // Verifies `request` (as received, wire form) at server time `now`.
  VerificationResult Verify(const HttpRequest& request, absl::Time now) const;

 private:
  // What a header-signed or a presigned request provides for steps 3-7.
  struct SignatureInputs;

  VerificationResult VerifyHeaderSigned(const HttpRequest& request, absl::string_view authorization,
                                        absl::Time now) const;
  VerificationResult VerifyPresigned(const HttpRequest& request, absl::Time now) const;
  VerificationResult VerifyInputs(const HttpRequest& request, const SignatureInputs& inputs,
                                  absl::Time now) const;

  VerifierConfig config_;
  CredentialsLookup lookup_;
  mutable SigningKeyCache key_cache_;  // internally synchronized
};

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SIGV4_VERIFIER_H_
