// Strict base64url (RFC 4648 section 5) without padding, as JWS compact
// serialization uses it (RFC 7515 section 2).
//
// Why strict: a token is compared and logged in its encoded form, so each
// byte string must have exactly one accepted encoding. Padding, characters
// outside the URL-safe alphabet, a length of 1 mod 4 and non-zero unused
// trailing bits are all refused.
#ifndef AWSGW_AUTH_IDENTITY_BASE64URL_H_
#define AWSGW_AUTH_IDENTITY_BASE64URL_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace awsgw::auth::identity {

// The decoded bytes, or nullopt when `encoded` is not canonical unpadded
// base64url. The empty string decodes to the empty string.
std::optional<std::string> Base64UrlDecode(absl::string_view encoded);

// Unpadded base64url of `bytes`.
std::string Base64UrlEncode(absl::string_view bytes);

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_BASE64URL_H_
