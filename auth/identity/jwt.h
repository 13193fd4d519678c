// Parsing of a compact JWS (RFC 7515 section 7.1): `header.payload.signature`,
// each part unpadded base64url, header and payload JSON objects. Parsing only:
// nothing here checks a signature or a claim (JwtVerifier does).
//
// Why a separate stage: the parser takes arbitrary bytes from the network and
// is what a fuzzer drives. It never throws (Boost.JSON is called through its
// error_code overloads, with a bounded nesting depth) and checks the size
// bound before decoding anything.
//
// Example:
//   absl::StatusOr<ParsedJwt> jwt = ParseCompactJwt(token, kDefaultMaxTokenBytes);
//   if (jwt.ok()) Verify(jwt->alg, jwt->signing_input, jwt->signature);
#ifndef AWSGW_AUTH_IDENTITY_JWT_H_
#define AWSGW_AUTH_IDENTITY_JWT_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace awsgw::auth::identity {

inline constexpr size_t kDefaultMaxTokenBytes = 8192;
// Deepest JSON nesting accepted in a header, a payload or a JWKS document.
inline constexpr size_t kMaxJsonDepth = 16;

struct ParsedJwt {
  std::string alg;                 // header "alg", as written (not yet checked)
  std::optional<std::string> kid;  // header "kid"
  boost::json::object header;
  boost::json::object claims;  // the payload
  std::string signing_input;   // "header.payload" exactly as in the token
  std::string signature;       // decoded signature bytes
};

// Parses `token`. Returns
//   RESOURCE_EXHAUSTED  the token is longer than `max_token_bytes` (checked
//                       before anything is decoded);
//   INVALID_ARGUMENT    not three non-empty dot-separated parts, a part that is
//                       not canonical unpadded base64url, a header or payload
//                       that is not a JSON object (or nests too deep), "alg"
//                       missing or not a string, "kid" not a string, or a
//                       "crit" header parameter (no extension is understood
//                       here, so RFC 7515 section 4.1.11 says refuse).
// Messages never quote the token.
absl::StatusOr<ParsedJwt> ParseCompactJwt(absl::string_view token,
                                          size_t max_token_bytes = kDefaultMaxTokenBytes);

// Parses `json` as one JSON value with at most kMaxJsonDepth nesting, never
// throwing: nullopt on any error. Shared by the JWT and JWKS parsers.
std::optional<boost::json::value> ParseBoundedJson(absl::string_view json);

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_JWT_H_
