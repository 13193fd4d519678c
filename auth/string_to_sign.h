// Stage 2 of SigV4: the credential scope and the string to sign.
//
//   AWS4-HMAC-SHA256\n
//   <X-Amz-Date>\n
//   <YYYYMMDD>/<region>/<service>/aws4_request\n
//   <hex SHA-256 of the canonical request>
//
// Stage 1 (canonical_request.h) produces the canonical request; stage 3
// (signature.h) turns this string into the signature.
#ifndef AWSGW_AUTH_STRING_TO_SIGN_H_
#define AWSGW_AUTH_STRING_TO_SIGN_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace awsgw::auth {

inline constexpr absl::string_view kSigningAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr absl::string_view kScopeTerminator = "aws4_request";

// The scope a signing key is valid for.
struct CredentialScope {
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;

  // `date/region/service/aws4_request`.
  std::string ToString() const;

  friend bool operator==(const CredentialScope&, const CredentialScope&) = default;
};

// The scope for `signing_time` (its UTC date), `region` and `service`.
CredentialScope MakeCredentialScope(absl::Time signing_time, absl::string_view region,
                                    absl::string_view service);

// Builds the string to sign. `amz_date` is the X-Amz-Date value and `scope`
// the CredentialScope::ToString() of the same signing.
std::string BuildStringToSign(absl::string_view canonical_request, absl::string_view amz_date,
                              absl::string_view scope);

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_STRING_TO_SIGN_H_
