// Stage 3 of SigV4: HMAC of the string to sign and the Authorization value.
#include "auth/signature.h"

#include "absl/strings/str_cat.h"
#include "auth/crypto.h"
#include "auth/string_to_sign.h"

namespace awsgw::auth {

std::string ComputeSignature(const SigningKey& key, absl::string_view string_to_sign) {
  Sha256Digest mac = HmacSha256(key.bytes(), string_to_sign);
  return HexEncode(mac);
}

std::string BuildAuthorizationValue(absl::string_view access_key_id, absl::string_view scope,
                                    absl::string_view signed_headers, absl::string_view signature) {
  return absl::StrCat(kSigningAlgorithm, " Credential=", access_key_id, "/", scope,
                      ", SignedHeaders=", signed_headers, ", Signature=", signature);
}

}  // namespace awsgw::auth
