// CallersConfig: the `callers` section of the configuration, validated. Who
// may call the gateway (authentication), what each caller may do (policy),
// how much (limits) and where decisions are written (audit). README
// "Callers" shows a complete example.
//
// Plain data like the rest of GatewayConfig. The policy statements and limit
// rules use auth/policy's own types, so what the file says is what the
// policy engine gets; `origin` says "file:line" for messages.
#ifndef AWSGW_GATEWAY_CONFIG_CALLERS_CONFIG_H_
#define AWSGW_GATEWAY_CONFIG_CALLERS_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "auth/policy/caller_limits.h"
#include "auth/policy/policy.h"

namespace awsgw::gateway::config {

// callers.authentication.mtls: the principal is read from the client
// certificate the TLS layer verified (server.tls.client_ca_file).
struct MtlsAuthConfig {
  enum class PrincipalFrom { kAuto, kSpiffe, kDns, kCommonName };
  PrincipalFrom principal_from = PrincipalFrom::kAuto;
};

// One entry of callers.authentication.jwt.issuers.
struct JwtIssuerConfig {
  std::string issuer;  // the exact `iss` of its tokens
  std::vector<std::string> audiences;
  // Exactly one of: a JWKS file (absolute path) or an https:// URL.
  std::optional<std::string> jwks_file;
  std::optional<std::string> jwks_url;
  std::optional<std::string> jwks_ca_file;  // extra CA bundle for jwks_url
  std::string principal_claim = "sub";
  std::string groups_claim;  // empty: no groups
  std::optional<absl::Duration> leeway;
  std::optional<absl::Duration> refresh_interval;
  // An unknown `kid` asks for a refresh at most this often (default 60s).
  std::optional<absl::Duration> min_refresh_interval;
  std::string origin;  // "file:line" of the entry
};

struct JwtAuthConfig {
  std::vector<JwtIssuerConfig> issuers;
  std::optional<int64_t> max_token_bytes;
};

// One entry of callers.authentication.api_keys: only the key's SHA-256 is
// in the file.
struct ApiKeyConfig {
  std::string sha256_hex;
  std::string principal;
  std::vector<std::string> groups;
};

struct AuthenticationConfig {
  std::optional<MtlsAuthConfig> mtls;
  std::optional<JwtAuthConfig> jwt;
  std::vector<ApiKeyConfig> api_keys;

  bool any() const { return mtls.has_value() || jwt.has_value() || !api_keys.empty(); }
};

struct AuditConfig {
  // A file to append JSON lines to (absolute); "-" or unset: standard error.
  std::optional<std::string> file;
};

struct CallersConfig {
  // Serve callers without an identity on a non-loopback address. Without
  // this, such a listener refuses to start when no method is configured.
  bool allow_unauthenticated = false;
  // The AWS account of the resources, for the ARNs the policy matches
  // (callers that pass full ARNs name their own account).
  std::string account_id;
  AuthenticationConfig authentication;
  // callers.policy, the statements written in the config file itself.
  std::vector<auth::policy::Statement> statements;
  // callers.policy_file (absolute), checked at load. Its statements join the
  // inline ones; they are read where the policy is built (LoadPolicyFile), so
  // that a reload reads the file again.
  std::optional<std::string> policy_file;
  auth::policy::LimitSettings limits;
  AuditConfig audit;
};

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_CALLERS_CONFIG_H_
