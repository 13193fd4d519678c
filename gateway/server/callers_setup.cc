#include "gateway/server/callers_setup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/identity/api_keys.h"
#include "auth/identity/authenticator.h"
#include "auth/identity/jwks_source.h"
#include "auth/identity/jwks_url_source.h"
#include "base/status_macros.h"
#include "gateway/config/callers_loader.h"
#include "gateway/config/config_loader.h"
#include "gateway/observability/json_log.h"
#include "http/client/endpoint.h"

namespace awsgw::gateway::server {
namespace {

using observability::Log;
using observability::LogLevel;

// How long start-up waits for a JWKS URL's first answer.
constexpr absl::Duration kFirstFetchTimeout = absl::Seconds(10);

auth::identity::CertificatePrincipalSource SourceOf(config::MtlsAuthConfig::PrincipalFrom from) {
  using From = config::MtlsAuthConfig::PrincipalFrom;
  using Source = auth::identity::CertificatePrincipalSource;
  switch (from) {
    case From::kSpiffe:
      return Source::kSpiffe;
    case From::kDns:
      return Source::kDns;
    case From::kCommonName:
      return Source::kCommonName;
    case From::kAuto:
      break;
  }
  return Source::kAuto;
}

// The client that fetches JWKS URLs trusting `ca_file` too ("": the system
// store only); one per distinct CA file.
absl::StatusOr<std::shared_ptr<http::client::HttpClient>> JwksClient(
    const std::string& ca_file, CallerAccess* access, std::vector<std::string>* cas) {
  for (size_t i = 0; i < cas->size(); ++i) {
    if ((*cas)[i] == ca_file) return access->jwks_clients[i];
  }
  http::client::HttpClientOptions options;
  options.threads = 1;
  options.extra_ca_file = ca_file;
  absl::StatusOr<std::unique_ptr<http::client::HttpClient>> client =
      http::client::HttpClient::Create(std::move(options));
  if (!client.ok()) return client.status();
  access->jwks_clients.push_back(*std::move(client));
  cas->push_back(ca_file);
  return access->jwks_clients.back();
}

// `fetch`: fetch a JWKS URL before returning (false: only build the source,
// for --check_config).
absl::StatusOr<std::shared_ptr<auth::identity::KeySource>> KeySourceFor(
    const config::JwtIssuerConfig& issuer, CallerAccess* access, std::vector<std::string>* cas,
    bool fetch) {
  if (issuer.jwks_file) {
    auth::identity::FileKeySourceOptions options;
    if (issuer.refresh_interval) options.refresh_interval = *issuer.refresh_interval;
    if (issuer.min_refresh_interval) options.min_refresh_interval = *issuer.min_refresh_interval;
    options.on_refresh = [path = *issuer.jwks_file](const absl::Status& status) {
      if (!status.ok()) {
        Log(LogLevel::kWarn, {{"msg", "JWKS file refused; the keys in use stay"},
                              {"file", path},
                              {"error", std::string(status.message())}});
      }
    };
    absl::StatusOr<std::unique_ptr<auth::identity::FileKeySource>> source =
        auth::identity::FileKeySource::Create(*issuer.jwks_file, std::move(options));
    if (!source.ok()) return source.status();
    return std::shared_ptr<auth::identity::KeySource>(*std::move(source));
  }
  absl::StatusOr<std::shared_ptr<http::client::HttpClient>> client =
      JwksClient(issuer.jwks_ca_file.value_or(""), access, cas);
  if (!client.ok()) return client.status();
  auth::identity::UrlKeySourceOptions options;
  options.url = *issuer.jwks_url;
  if (issuer.refresh_interval) options.refresh_interval = *issuer.refresh_interval;
  if (issuer.min_refresh_interval) options.min_refresh_interval = *issuer.min_refresh_interval;
  options.on_fetch = [url = *issuer.jwks_url](const absl::Status& status) {
    if (!status.ok()) {
      Log(LogLevel::kWarn, {{"msg", "JWKS fetch failed; the keys in use stay"},
                            {"url", url},
                            {"error", std::string(status.message())}});
    }
  };
  absl::StatusOr<std::unique_ptr<auth::identity::UrlKeySource>> source =
      auth::identity::UrlKeySource::Create(std::move(options), *client);
  if (!source.ok()) return source.status();
  // A JWKS endpoint that is down at start-up must not keep the gateway
  // down: the source keeps trying, and tokens verify once it answers.
  if (!fetch) return std::shared_ptr<auth::identity::KeySource>(*std::move(source));
  if (absl::Status first = (*source)->Start(kFirstFetchTimeout); !first.ok()) {
    Log(LogLevel::kWarn, {{"msg", "JWKS not fetched at start-up; retrying in the background"},
                          {"url", *issuer.jwks_url},
                          {"error", std::string(first.message())}});
  }
  return std::shared_ptr<auth::identity::KeySource>(*std::move(source));
}

absl::StatusOr<std::unique_ptr<auth::identity::Authenticator>> MakeAuthenticator(
    const config::AuthenticationConfig& config, CallerAccess* access, bool fetch_jwks = true) {
  if (!config.any()) return nullptr;
  auth::identity::AuthenticatorSettings settings;
  if (config.mtls) {
    settings.mtls = auth::identity::MtlsSettings{SourceOf(config.mtls->principal_from)};
  }
  std::vector<std::string> cas;
  if (config.jwt) {
    if (config.jwt->max_token_bytes) settings.max_token_bytes = *config.jwt->max_token_bytes;
    for (const config::JwtIssuerConfig& issuer : config.jwt->issuers) {
      absl::StatusOr<std::shared_ptr<auth::identity::KeySource>> keys =
          KeySourceFor(issuer, access, &cas, fetch_jwks);
      if (!keys.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(issuer.origin, ": issuer \"", issuer.issuer,
                                                       "\": ", keys.status().message()));
      }
      access->key_sources.push_back(*keys);
      auth::identity::JwtIssuer jwt;
      jwt.settings.issuer = issuer.issuer;
      jwt.settings.audiences = issuer.audiences;
      jwt.settings.principal_claim = issuer.principal_claim;
      jwt.settings.groups_claim = issuer.groups_claim;
      if (issuer.leeway) jwt.settings.leeway = *issuer.leeway;
      jwt.keys = *keys;
      settings.jwt_issuers.push_back(std::move(jwt));
    }
  }
  for (const config::ApiKeyConfig& key : config.api_keys) {
    absl::StatusOr<std::array<uint8_t, 32>> digest = auth::identity::ParseSha256Hex(key.sha256_hex);
    if (!digest.ok()) return digest.status();
    settings.api_keys.push_back({*digest, key.principal, key.groups});
  }
  return auth::identity::Authenticator::Create(std::move(settings));
}

absl::StatusOr<AccessRules> LoadRules(const config::CallersConfig& callers, int64_t generation,
                                      absl::Span<const std::string> known_actions) {
  absl::StatusOr<std::shared_ptr<const auth::policy::Policy>> policy =
      LoadPolicy(callers, known_actions);
  if (!policy.ok()) return policy.status();
  absl::StatusOr<std::unique_ptr<auth::policy::CallerLimiter>> limiter =
      auth::policy::CallerLimiter::Create(callers.limits);
  if (!limiter.ok()) return limiter.status();
  return MakeAccessRules(*std::move(policy),
                         std::shared_ptr<auth::policy::CallerLimiter>(*std::move(limiter)),
                         generation);
}

}  // namespace

absl::Status CheckListenerIsGuarded(const std::string& listen,
                                    const std::optional<config::CallersConfig>& callers) {
  const size_t colon = listen.rfind(':');
  // Not host:port at all: the listener refuses it with its own words.
  if (colon == std::string::npos) return absl::OkStatus();
  const std::string host = listen.substr(0, colon);
  if (callers.has_value() && (callers->authentication.any() || callers->allow_unauthenticated)) {
    return absl::OkStatus();
  }
  if (callers.has_value()) {
    return absl::FailedPreconditionError(
        "callers.authentication configures no method: add mtls, jwt or api_keys, or set "
        "callers.allow_unauthenticated: true");
  }
  if (http::client::IsLoopbackHost(host)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to serve ", listen,
      " with no caller authentication: anyone who reaches it could call AWS as the gateway. "
      "Configure callers.authentication (README \"Callers\"), or set "
      "callers.allow_unauthenticated: true"));
}

absl::StatusOr<std::shared_ptr<const auth::policy::Policy>> LoadPolicy(
    const config::CallersConfig& callers, absl::Span<const std::string> known_actions) {
  std::vector<auth::policy::Statement> statements = callers.statements;
  if (callers.policy_file) {
    absl::StatusOr<std::vector<auth::policy::Statement>> from_file =
        config::LoadPolicyFile(*callers.policy_file);
    if (!from_file.ok()) return from_file.status();
    for (auth::policy::Statement& statement : *from_file)
      statements.push_back(std::move(statement));
  }
  return auth::policy::Policy::Create(std::move(statements), known_actions);
}

absl::Status CheckCallers(const config::CallersConfig& callers,
                          const translators::MethodTable& catalog) {
  CallerAccess unused;
  if (absl::StatusOr<std::unique_ptr<auth::identity::Authenticator>> authenticator =
          MakeAuthenticator(callers.authentication, &unused, /*fetch_jwks=*/false);
      !authenticator.ok()) {
    return authenticator.status();
  }
  AWSGW_RETURN_IF_ERROR(LoadRules(callers, 1, AccessGate::ActionsOf(catalog)).status());
  // The audit file is opened (and created) at start; checking only says
  // whether it could be, without creating it.
  const std::string audit = callers.audit.file.value_or("-");
  if (audit != "-" && !audit.empty()) {
    const bool exists = access(audit.c_str(), F_OK) == 0;
    const std::string folder = std::filesystem::path(audit).parent_path().string();
    const std::string& target = exists ? audit : (folder.empty() ? std::string(".") : folder);
    if (access(target.c_str(), W_OK) != 0) {
      return absl::NotFoundError(
          absl::StrCat("callers.audit.file: cannot write \"", audit, "\": ", std::strerror(errno)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<CallerAccess>> SetUpCallerAccess(
    const config::CallersConfig& callers, const translators::MethodTable& catalog,
    const std::string& default_region, observability::Registry& registry) {
  auto access = std::make_unique<CallerAccess>();
  absl::StatusOr<std::unique_ptr<auth::identity::Authenticator>> authenticator =
      MakeAuthenticator(callers.authentication, access.get());
  if (!authenticator.ok()) return authenticator.status();
  absl::StatusOr<AccessRules> rules = LoadRules(callers, 1, AccessGate::ActionsOf(catalog));
  if (!rules.ok()) return rules.status();
  absl::StatusOr<std::unique_ptr<observability::AuditLog>> audit =
      observability::AuditLog::Open(callers.audit.file.value_or("-"));
  if (!audit.ok()) return audit.status();
  access->audit = *std::move(audit);
  observability::AuditLog* audit_log = access->audit.get();
  registry.AddCallback("awsgw_audit_records_dropped_total",
                       "Audit records dropped because the audit stream could not keep up.",
                       "counter",
                       [audit_log] { return static_cast<double>(audit_log->dropped()); });
  registry.AddCallback("awsgw_audit_write_errors_total",
                       "Audit records the audit file refused (a full disk, say).", "counter",
                       [audit_log] { return static_cast<double>(audit_log->write_errors()); });
  AccessGate::Options options;
  options.account_id = callers.account_id;
  options.default_region = default_region;
  options.allow_unauthenticated = callers.allow_unauthenticated;
  absl::StatusOr<std::unique_ptr<AccessGate>> gate =
      AccessGate::Create(catalog, *std::move(authenticator), std::move(options), *std::move(rules),
                         audit_log, registry);
  if (!gate.ok()) return gate.status();
  access->gate = *std::move(gate);
  AccessGate* live = access->gate.get();
  registry.AddCallback("awsgw_policy_generation",
                       "Generation of the caller policy in force (1 at start, +1 per reload).",
                       "gauge", [live] { return static_cast<double>(live->rules()->generation); });
  registry.AddCallback("awsgw_policy_loaded_timestamp_seconds",
                       "When the caller policy in force was loaded (Unix time).", "gauge", [live] {
                         return absl::ToDoubleSeconds(live->rules()->loaded_at - absl::UnixEpoch());
                       });
  registry.AddCallback("awsgw_policy_statements", "Statements of the caller policy in force.",
                       "gauge",
                       [live] { return static_cast<double>(live->rules()->policy->size()); });
  return access;
}

PolicyReloader::PolicyReloader(std::string config_path, std::string policy_file,
                               config::LoadOptions load_options, AccessGate* gate,
                               observability::Registry& registry, absl::Duration poll)
    : config_path_(std::move(config_path)),
      load_options_(std::move(load_options)),
      gate_(gate),
      poll_(poll),
      failures_(registry
                    .AddCounter("awsgw_policy_reload_failures_total",
                                "Policy reloads refused (the policy in force stayed).", {})
                    .With({})) {
  {
    absl::MutexLock lock(&mu_);
    policy_file_ = std::move(policy_file);
    fingerprint_ = Fingerprint();
  }
  watcher_ = std::thread([this] { Watch(); });
}

PolicyReloader::~PolicyReloader() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  watcher_.join();
}

// Size and modification time of the config file and of the policy file it
// named at the last load: what "the files changed" means here. Only stat():
// parsing the config every few seconds would cost more than it tells.
std::string PolicyReloader::Fingerprint() const {
  std::string out;
  for (const std::string& path : {config_path_, policy_file_}) {
    struct stat info {};
    if (!path.empty() && ::stat(path.c_str(), &info) == 0) {
      absl::StrAppend(&out, path, ":", info.st_size, ":", info.st_mtim.tv_sec, ".",
                      info.st_mtim.tv_nsec, ";");
    }
  }
  return out;
}

absl::Status PolicyReloader::Reload() { return ReloadIfChanged(/*log_unchanged=*/true); }

absl::Status PolicyReloader::ReloadIfChanged(bool log_unchanged) {
  // One reload at a time, read and applied together: SIGHUP and the file
  // watcher may both ask, and an older read must never be applied last.
  absl::MutexLock lock(&mu_);
  std::string now = Fingerprint();
  if (now == fingerprint_) {
    if (log_unchanged) {
      observability::LogLifecycle({{"msg", "caller policy unchanged: files as at the last load"},
                                   {"generation", generation_}});
    }
    return absl::OkStatus();
  }
  fingerprint_ = std::move(now);
  absl::StatusOr<config::GatewayConfig> config =
      config::LoadGatewayConfig(config_path_, load_options_);
  absl::Status status = config.status();
  if (status.ok() && !config->callers) {
    status = absl::InvalidArgumentError(
        absl::StrCat(config_path_,
                     ": the callers section is gone; a running gateway keeps "
                     "deciding about callers (restart to change that)"));
  }
  if (status.ok()) {
    absl::StatusOr<AccessRules> rules =
        LoadRules(*config->callers, generation_ + 1, gate_->actions());
    policy_file_ = config->callers->policy_file.value_or("");
    fingerprint_ = Fingerprint();  // the policy file may be another one now
    if (rules.ok()) {
      ++generation_;
      const size_t statements = rules->policy->size();
      gate_->SetRules(*std::move(rules));
      observability::LogLifecycle({{"msg", "caller policy reloaded"},
                                   {"generation", generation_},
                                   {"statements", statements}});
      return absl::OkStatus();
    }
    status = rules.status();
  }
  failures_.Increment();
  Log(LogLevel::kError, {{"msg", "caller policy refused; the one in force stays"},
                         {"error", std::string(status.message())}});
  return status;
}

void PolicyReloader::Watch() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), poll_)) return;
    }
    (void)ReloadIfChanged(/*log_unchanged=*/false);
  }
}

}  // namespace awsgw::gateway::server
