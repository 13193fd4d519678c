// Who is calling the gateway, what the call presented to prove it, and the
// outcome of checking that proof.
//
// Why an outcome type rather than absl::Status: every refusal carries a short
// static label (AuthFailure::reason) from the fixed set below, which metrics
// count by, next to the human text the UNAUTHENTICATED status shows. Messages
// never contain a token, an API key, a signature or any other secret; they
// may name the issuer, a key id, claim names or the method.
//
// Example:
//   AuthOutcome outcome = authenticator.Authenticate(presented, absl::Now());
//   if (!outcome.ok()) {
//     metrics.Count(outcome.failure.reason);
//     return ToStatus(outcome.failure);  // UNAUTHENTICATED
//   }
//   const CallerIdentity& caller = *outcome.identity;
#ifndef AWSGW_AUTH_IDENTITY_CALLER_IDENTITY_H_
#define AWSGW_AUTH_IDENTITY_CALLER_IDENTITY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace awsgw::auth::identity {

enum class AuthMethod { kNone, kMtls, kJwt, kApiKey };

// "none", "mtls", "jwt" or "api_key".
absl::string_view AuthMethodName(AuthMethod method);

// An authenticated caller.
struct CallerIdentity {
  // mTLS: the SPIFFE ID, DNS name or common name; JWT: the principal claim
  // (by default "sub"); API key: the principal configured for the key.
  std::string principal;
  std::vector<std::string> groups;
  AuthMethod method = AuthMethod::kNone;

  friend bool operator==(const CallerIdentity&, const CallerIdentity&) = default;
};

// What one call carried, extracted by the gRPC front.
struct PresentedCredentials {
  std::optional<std::string> bearer_token;  // the token of "authorization: Bearer <token>"
  std::optional<std::string> api_key;       // "x-api-key" metadata
  bool has_client_certificate = false;      // a client certificate verified by the TLS layer
  std::vector<std::string> uri_sans;        // of that certificate
  std::vector<std::string> dns_sans;
  std::string common_name;
};

// The labels AuthFailure::reason takes. Static strings, so a reason can be
// kept and compared as a string_view.
namespace failure_reason {
inline constexpr absl::string_view kNoCredentials = "no_credentials";
// A credential of a method this gateway does not accept (e.g. a bearer token
// when no JWT issuer is configured).
inline constexpr absl::string_view kMethodNotAccepted = "method_not_accepted";
inline constexpr absl::string_view kMalformedToken = "malformed_token";
inline constexpr absl::string_view kTokenTooLarge = "token_too_large";
inline constexpr absl::string_view kUnsupportedAlgorithm = "unsupported_algorithm";
inline constexpr absl::string_view kUnknownKey = "unknown_key";
inline constexpr absl::string_view kBadSignature = "bad_signature";
inline constexpr absl::string_view kExpired = "expired";
inline constexpr absl::string_view kNotYetValid = "not_yet_valid";
inline constexpr absl::string_view kWrongIssuer = "wrong_issuer";
inline constexpr absl::string_view kWrongAudience = "wrong_audience";
inline constexpr absl::string_view kMissingClaim = "missing_claim";
inline constexpr absl::string_view kUnknownApiKey = "unknown_api_key";
inline constexpr absl::string_view kNoCertificateIdentity = "no_certificate_identity";
}  // namespace failure_reason

struct AuthFailure {
  absl::string_view reason;  // one of failure_reason::k*; empty when there is no failure
  std::string message;       // for the UNAUTHENTICATED status; never a secret
};

// Either an identity (ok()) or a failure. `failure` is meaningless when ok().
struct AuthOutcome {
  std::optional<CallerIdentity> identity;
  AuthFailure failure;

  bool ok() const { return identity.has_value(); }

  static AuthOutcome Success(CallerIdentity identity);
  // `reason` must be one of failure_reason::k* (a static string).
  static AuthOutcome Failure(absl::string_view reason, std::string message);
};

// UNAUTHENTICATED with the failure's message.
absl::Status ToStatus(const AuthFailure& failure);

// `text` for an error message when it is short printable ASCII, otherwise a
// placeholder: token contents (alg, kid, iss) are attacker input and must not
// be able to forge log lines.
std::string QuoteForMessage(absl::string_view text);

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_CALLER_IDENTITY_H_
