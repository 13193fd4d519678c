// SigningConfig: everything about *how* to sign, separate from *what* is
// signed (HttpRequest) and *who* signs (Credentials).
//
// The defaults are right for every AWS service the gateway talks to (none is
// S3): path normalized, path encoded again on top of its wire encoding
// ("double encoding"), payload hashed, session token signed, signature in the
// Authorization header. The other settings exist for the conformance suite
// and for presigned URLs.
#ifndef AWSGW_AUTH_SIGNING_CONFIG_H_
#define AWSGW_AUTH_SIGNING_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace awsgw::auth {

// Where the signature goes.
enum class SignatureLocation {
  kHeaders,      // X-Amz-Date and Authorization headers
  kQueryString,  // presigned URL: X-Amz-Algorithm ... X-Amz-Signature parameters
};

// What the canonical request carries as the payload hash.
enum class PayloadHashMode {
  kSha256,           // hex SHA-256 of the body (or HttpRequest::payload_hash)
  kUnsignedPayload,  // the literal UNSIGNED-PAYLOAD
};

// How a session token (Credentials::session_token) is attached.
enum class SessionTokenMode {
  kSigned,             // X-Amz-Security-Token is added before signing and signed
  kAddedAfterSigning,  // added after the signature is computed, not signed
};

struct SigningConfig {
  std::string region;   // e.g. "us-east-1"
  std::string service;  // signing name, e.g. "ecs"
  // The signing time. The caller supplies it (there is no hidden clock).
  absl::Time signing_time = absl::UnixEpoch();

  SignatureLocation location = SignatureLocation::kHeaders;
  // Remove dot segments and collapse empty segments before encoding. Every
  // service but S3.
  bool normalize_path = true;
  // Percent-encode the (already wire-encoded) path once more. Every service
  // but S3; false uses the wire path as it is.
  bool double_uri_encode = true;
  PayloadHashMode payload_hash_mode = PayloadHashMode::kSha256;
  // Header signing only: also add and sign `x-amz-content-sha256` holding the
  // payload hash.
  bool add_content_sha256_header = false;
  SessionTokenMode session_token_mode = SessionTokenMode::kSigned;
  // Query signing only: X-Amz-Expires, whole seconds in [1 s, 7 days].
  absl::Duration expires = absl::Hours(1);
};

// Returns INVALID_ARGUMENT when region or service is empty or contains a
// character that cannot appear in a credential scope ('/', whitespace,
// control), when the signing time is infinite, or when signing in the query
// string with `expires` outside [1 s, 7 days] or not whole seconds.
absl::Status ValidateSigningConfig(const SigningConfig& config);

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SIGNING_CONFIG_H_
