// Parsers for what a SigV4-signed request carries: the Authorization header
//   AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ecs/aws4_request,
//   SignedHeaders=host;x-amz-date, Signature=<64 hex>
// and its pieces, which presigned URLs carry as separate query parameters
// (X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Signature).
//
// Input is attacker-controlled: every function bounds its work by the input
// length, never reads past it, and explains a rejection in its message
// (quoting at most a short prefix of the input). The verifier turns these
// errors into the AWS error IncompleteSignature.
#ifndef AWSGW_AUTH_AUTHORIZATION_PARSER_H_
#define AWSGW_AUTH_AUTHORIZATION_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/string_to_sign.h"

namespace awsgw::auth {

// Longest Authorization header accepted; real ones are a few hundred bytes.
inline constexpr size_t kMaxAuthorizationSize = 8192;

struct ParsedCredential {
  std::string access_key_id;
  CredentialScope scope;
};

struct ParsedAuthorization {
  ParsedCredential credential;
  std::vector<std::string> signed_headers;  // lowercase, strictly sorted
  std::string signature;                    // 64 lowercase hex
};

// Parses `AKID/YYYYMMDD/region/service/aws4_request`.
// Returns INVALID_ARGUMENT unless there are exactly five non-empty parts, the
// date is eight digits and the last part is `aws4_request`.
absl::StatusOr<ParsedCredential> ParseCredential(absl::string_view credential);

// Parses `a;b;c`. Returns INVALID_ARGUMENT unless every name is a non-empty
// lowercase RFC 7230 token and the names are strictly sorted.
absl::StatusOr<std::vector<std::string>> ParseSignedHeaders(absl::string_view list);

// Returns INVALID_ARGUMENT unless `signature` is 64 lowercase hex characters.
absl::Status ValidateSignatureFormat(absl::string_view signature);

// Parses a whole Authorization header value. The three parameters may come in
// any order, separated by ',' with optional spaces. Returns INVALID_ARGUMENT
// for a different algorithm, a missing, repeated or unknown parameter, a
// parameter without '=', any invalid piece (see above), or a value longer
// than kMaxAuthorizationSize.
absl::StatusOr<ParsedAuthorization> ParseAuthorizationHeader(absl::string_view value);

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_AUTHORIZATION_PARSER_H_
