// Header and query-parameter names that SigV4 reads and writes, in the
// spelling the signer emits. Header lookups are case-insensitive; query keys
// are compared exactly, as AWS does.
#ifndef AWSGW_AUTH_SIGV4_NAMES_H_
#define AWSGW_AUTH_SIGV4_NAMES_H_

#include "absl/strings/string_view.h"

namespace awsgw::auth {

inline constexpr absl::string_view kAuthorizationHeader = "Authorization";
inline constexpr absl::string_view kAmzDateHeader = "X-Amz-Date";
inline constexpr absl::string_view kDateHeader = "Date";
inline constexpr absl::string_view kSecurityTokenHeader = "X-Amz-Security-Token";
inline constexpr absl::string_view kContentSha256Header = "x-amz-content-sha256";
inline constexpr absl::string_view kHostHeader = "Host";

inline constexpr absl::string_view kAlgorithmParam = "X-Amz-Algorithm";
inline constexpr absl::string_view kCredentialParam = "X-Amz-Credential";
inline constexpr absl::string_view kDateParam = "X-Amz-Date";
inline constexpr absl::string_view kExpiresParam = "X-Amz-Expires";
inline constexpr absl::string_view kSignedHeadersParam = "X-Amz-SignedHeaders";
inline constexpr absl::string_view kSecurityTokenParam = "X-Amz-Security-Token";
inline constexpr absl::string_view kSignatureParam = "X-Amz-Signature";

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SIGV4_NAMES_H_
