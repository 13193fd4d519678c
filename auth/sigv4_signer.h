// Sigv4Signer: signs an HttpRequest with AWS Signature Version 4, in the
// Authorization header or (presigned) in the query string.
//
// It runs the three stages in order and keeps their outputs, so a failing
// signature can be debugged stage by stage:
//   1. BuildCanonicalRequest  (canonical_request.h)
//   2. BuildStringToSign      (string_to_sign.h)
//   3. ComputeSignature, BuildAuthorizationValue (signature.h)
// with the signing key from a SigningKeyCache it owns.
//
// Header signing adds `X-Amz-Date`, `X-Amz-Security-Token` (session
// credentials), optionally `x-amz-content-sha256`, and `Authorization`,
// replacing any earlier copies (a retry re-signs the same request).
// Query signing adds `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
// `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Security-Token` and
// `X-Amz-Signature` parameters and no headers.
//
// Example:
//   Sigv4Signer signer;
//   SigningConfig config{.region = "us-east-1", .service = "ecs",
//                        .signing_time = clock->Now()};
//   absl::StatusOr<SigningResult> signed_ = signer.Sign(request, creds, config);
//
// Threading: Sign() is const and thread-safe; share one signer per process.
#ifndef AWSGW_AUTH_SIGV4_SIGNER_H_
#define AWSGW_AUTH_SIGV4_SIGNER_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "auth/credentials.h"
#include "auth/http_request.h"
#include "auth/signing_config.h"
#include "auth/signing_key_cache.h"

namespace awsgw::auth {

// The intermediate and final products of one signing.
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // 64 lowercase hex
  std::string authorization;  // Authorization header value; empty for query signing
};

class Sigv4Signer {
 public:
  explicit Sigv4Signer(size_t key_cache_capacity = SigningKeyCache::kDefaultCapacity);

  // Signs `request` in place and returns what was computed.
  // Preconditions: `request` has a Host header (its value is signed as is).
  // Returns INVALID_ARGUMENT for a bad `config` (ValidateSigningConfig), for
  // credentials without an access key id or secret or with an access key id
  // containing '/', ',', '=', whitespace or a control, for a request without a
  // Host header, and for anything BuildCanonicalRequest rejects. On error
  // `request` is valid but may already carry some signing headers; do not
  // send it.
  [[nodiscard]] absl::StatusOr<SigningResult> Sign(HttpRequest& request,
                                                   const Credentials& credentials,
                                                   const SigningConfig& config) const;

  const SigningKeyCache& key_cache() const { return key_cache_; }

 private:
  mutable SigningKeyCache key_cache_;  // internally synchronized
};

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SIGV4_SIGNER_H_
