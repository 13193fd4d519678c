// Authenticator: decides who is calling from what one call presented, with
// the methods the gateway is configured for.
//
// The order is fixed:
//   1. mTLS, when configured and the connection has a verified client
//      certificate: the certificate decides (a bearer token or API key on
//      the same call is not looked at);
//   2. a bearer token, when the call carries one: verified when JWT issuers
//      are configured, otherwise the call fails (method_not_accepted);
//   3. an API key, when the call carries one: looked up when API keys are
//      configured, otherwise the call fails (method_not_accepted);
//   4. nothing of the above: no_credentials.
// The first credential that is examined decides: one that fails
// verification fails the call, with no falling through to another method,
// so a caller cannot get around a revoked token by adding an API key. A
// carried credential of an unconfigured method fails rather than being
// ignored, because a client that sends one expects it to count. A client
// certificate while mTLS is not configured is ignored: the TLS layer may
// request certificates for other reasons.
//
// Threading: Authenticate() is const, thread-safe and never blocks.
#ifndef AWSGW_AUTH_IDENTITY_AUTHENTICATOR_H_
#define AWSGW_AUTH_IDENTITY_AUTHENTICATOR_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/identity/api_keys.h"
#include "auth/identity/caller_identity.h"
#include "auth/identity/certificate_identity.h"
#include "auth/identity/jwt_verifier.h"

namespace awsgw::auth::identity {

struct MtlsSettings {
  CertificatePrincipalSource principal_source = CertificatePrincipalSource::kAuto;
};

struct AuthenticatorSettings {
  std::optional<MtlsSettings> mtls;    // nullopt: mTLS is not an auth method
  std::vector<JwtIssuer> jwt_issuers;  // empty: bearer tokens are refused
  std::vector<ApiKeyEntry> api_keys;   // empty: API keys are refused
  size_t max_token_bytes = kDefaultMaxTokenBytes;
};

class Authenticator {
 public:
  // INVALID_ARGUMENT when no method is configured, or from
  // JwtVerifier::Create / ApiKeyTable::Create.
  static absl::StatusOr<std::unique_ptr<Authenticator>> Create(AuthenticatorSettings settings);

  // Who is calling, by the order above. `now` is the time token lifetimes
  // are checked against.
  AuthOutcome Authenticate(const PresentedCredentials& presented, absl::Time now) const;

  // Whether client certificates are looked at (so the caller of
  // Authenticate need not read them otherwise).
  bool uses_certificates() const { return mtls_.has_value(); }

 private:
  Authenticator(std::optional<MtlsSettings> mtls, std::unique_ptr<JwtVerifier> jwt,
                std::optional<ApiKeyTable> api_keys);

  const std::optional<MtlsSettings> mtls_;
  const std::unique_ptr<JwtVerifier> jwt_;     // null: not configured
  const std::optional<ApiKeyTable> api_keys_;  // nullopt: not configured
};

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_AUTHENTICATOR_H_
