// Checks one JWS signature (RFC 7518 section 3) with one key: the signing
// input "header.payload" against the decoded signature bytes.
//
//   RS256  RSASSA-PKCS1-v1_5 with SHA-256
//   PS256  RSASSA-PSS, SHA-256, MGF1 with SHA-256, salt length 32
//   ES256  ECDSA P-256 with SHA-256; the JOSE signature is r||s (64 bytes),
//          converted to DER for OpenSSL
//   ES384  ECDSA P-384 with SHA-384; r||s (96 bytes)
//   EdDSA  Ed25519
//
// Threading: thread-safe; each call makes its own OpenSSL contexts.
#ifndef AWSGW_AUTH_IDENTITY_JWS_SIGNATURE_H_
#define AWSGW_AUTH_IDENTITY_JWS_SIGNATURE_H_

#include "absl/strings/string_view.h"
#include "auth/identity/jwks.h"

namespace awsgw::auth::identity {

// True only when `key.CanVerify(alg)` (the key-type binding is checked here
// again, so no caller can skip it) and the signature is valid. Any malformed
// signature (wrong length, r or s out of range) is simply false.
bool VerifyJwsSignature(JwsAlgorithm alg, const JsonWebKey& key, absl::string_view signing_input,
                        absl::string_view signature);

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_JWS_SIGNATURE_H_
