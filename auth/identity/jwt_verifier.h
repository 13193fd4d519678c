// JwtVerifier: checks a bearer JWT against the configured issuers and turns
// it into a CallerIdentity.
//
// The checks, in order (the first failing one decides the reason):
//   1. size <= max_token_bytes, before any decoding        token_too_large
//   2. compact JWS syntax, header and payload JSON           malformed_token
//   3. "alg" in the allow-list RS256, PS256, ES256, ES384,
//      EdDSA ("none", HS*, anything else refused)            unsupported_algorithm
//   4. "iss" names a configured issuer (exact match)         missing_claim / wrong_issuer
//   5. a key of that issuer: the "kid" one, else each key
//      of a type that fits the alg (at most
//      max_keys_tried); none known -> the issuer's source
//      is asked to refresh                                   unknown_key
//      a key with that kid exists but of another type
//      (algorithm confusion: e.g. an RSA key, ES256 header)  unsupported_algorithm
//   6. the signature                                         bad_signature
//   7. "exp" (required) and "nbf" (optional), with leeway    expired / not_yet_valid
//   8. "aud" (string or array) holds a configured audience   missing_claim / wrong_audience
//   9. the principal claim, then the groups claim            missing_claim / malformed_token
//
// Time boundaries (RFC 7519 4.1.4/4.1.5, widened by the leeway): a token is
// accepted while now < exp + leeway, so at exactly exp + leeway it has
// expired; and from now >= nbf - leeway on, so at exactly nbf - leeway it is
// already valid. Numeric dates may be JSON integers or floats.
//
// Threading: Verify() is const, thread-safe and never blocks on I/O (it
// reads the key sources' current sets and only asks them to refresh).
#ifndef AWSGW_AUTH_IDENTITY_JWT_VERIFIER_H_
#define AWSGW_AUTH_IDENTITY_JWT_VERIFIER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "auth/identity/caller_identity.h"
#include "auth/identity/jwt.h"
#include "auth/identity/key_source.h"

namespace awsgw::auth::identity {

struct IssuerSettings {
  std::string issuer{};  // compared exactly with the token's "iss"
  // The token's "aud" must contain one of these. Required: a verifier that
  // accepted any audience would accept tokens minted for other services.
  std::vector<std::string> audiences{};
  std::string principal_claim = "sub";
  // Empty: no groups. The claim may be a string or an array of strings.
  std::string groups_claim{};
  absl::Duration leeway = absl::Seconds(60);
};

struct JwtIssuer {
  IssuerSettings settings;
  std::shared_ptr<KeySource> keys;
};

struct JwtVerifierOptions {
  size_t max_token_bytes = kDefaultMaxTokenBytes;
  size_t max_keys_tried = 8;  // keys tried for a token without "kid"
  size_t max_groups = 64;
  size_t max_group_bytes = 256;
  size_t max_principal_bytes = 256;
};

class JwtVerifier {
 public:
  // INVALID_ARGUMENT for: no issuer, an empty or repeated issuer, an issuer
  // without audiences (or with an empty one), an empty principal claim, a
  // null key source, a negative leeway, or zero limits.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(std::vector<JwtIssuer> issuers,
                                                             JwtVerifierOptions options = {});

  // The caller named by `token` (method kJwt), or why not (reasons above).
  AuthOutcome Verify(absl::string_view token, absl::Time now) const;

 private:
  JwtVerifier(std::vector<JwtIssuer> issuers, JwtVerifierOptions options);

  const JwtIssuer* FindIssuer(absl::string_view iss) const;
  AuthOutcome CheckClaims(const JwtIssuer& issuer, const ParsedJwt& jwt, absl::Time now) const;

  const std::vector<JwtIssuer> issuers_;
  const JwtVerifierOptions options_;
};

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_JWT_VERIFIER_H_
