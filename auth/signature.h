// Stage 3 of SigV4: the signature and the Authorization header value.
//
//   signature     = lowercase hex HMAC-SHA256(signing key, string to sign)
//   Authorization = AWS4-HMAC-SHA256 Credential=<akid>/<scope>,
//                   SignedHeaders=<list>, Signature=<signature>
// (one line, ", " between the three parts).
#ifndef AWSGW_AUTH_SIGNATURE_H_
#define AWSGW_AUTH_SIGNATURE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "auth/signing_key.h"

namespace awsgw::auth {

// 64 lowercase hex characters.
std::string ComputeSignature(const SigningKey& key, absl::string_view string_to_sign);

// The Authorization header value. `scope` is CredentialScope::ToString().
std::string BuildAuthorizationValue(absl::string_view access_key_id, absl::string_view scope,
                                    absl::string_view signed_headers, absl::string_view signature);

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SIGNATURE_H_
