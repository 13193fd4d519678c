#include "auth/identity/authenticator.h"

#include <utility>

namespace awsgw::auth::identity {

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::Create(
    AuthenticatorSettings settings) {
  if (!settings.mtls.has_value() && settings.jwt_issuers.empty() && settings.api_keys.empty()) {
    return absl::InvalidArgumentError(
        "authentication: no method configured (mTLS, JWT issuers or API keys)");
  }
  std::unique_ptr<JwtVerifier> jwt;
  if (!settings.jwt_issuers.empty()) {
    JwtVerifierOptions options;
    options.max_token_bytes = settings.max_token_bytes;
    absl::StatusOr<std::unique_ptr<JwtVerifier>> verifier =
        JwtVerifier::Create(std::move(settings.jwt_issuers), options);
    if (!verifier.ok()) return verifier.status();
    jwt = *std::move(verifier);
  }
  std::optional<ApiKeyTable> api_keys;
  if (!settings.api_keys.empty()) {
    absl::StatusOr<ApiKeyTable> table = ApiKeyTable::Create(std::move(settings.api_keys));
    if (!table.ok()) return table.status();
    api_keys = *std::move(table);
  }
  return std::unique_ptr<Authenticator>(
      new Authenticator(settings.mtls, std::move(jwt), std::move(api_keys)));
}

Authenticator::Authenticator(std::optional<MtlsSettings> mtls, std::unique_ptr<JwtVerifier> jwt,
                             std::optional<ApiKeyTable> api_keys)
    : mtls_(mtls), jwt_(std::move(jwt)), api_keys_(std::move(api_keys)) {}

AuthOutcome Authenticator::Authenticate(const PresentedCredentials& presented,
                                        absl::Time now) const {
  if (mtls_.has_value() && presented.has_client_certificate) {
    return IdentityFromCertificate(presented, mtls_->principal_source);
  }
  if (presented.bearer_token.has_value()) {
    if (jwt_ == nullptr) {
      return AuthOutcome::Failure(failure_reason::kMethodNotAccepted,
                                  "bearer tokens are not accepted by this gateway");
    }
    return jwt_->Verify(*presented.bearer_token, now);
  }
  if (presented.api_key.has_value()) {
    if (!api_keys_.has_value()) {
      return AuthOutcome::Failure(failure_reason::kMethodNotAccepted,
                                  "API keys are not accepted by this gateway");
    }
    return api_keys_->Lookup(*presented.api_key);
  }
  return AuthOutcome::Failure(failure_reason::kNoCredentials,
                              "the call carries no credentials this gateway accepts");
}

}  // namespace awsgw::auth::identity
