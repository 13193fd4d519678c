// Builds what decides about callers from the `callers` section: the
// authenticator with its JWKS sources, the policy and limits, the audit
// stream, and the AccessGate over them; and reloads the policy.
//
// Start-up rules (README "Callers"):
//   * no `callers` section: an open gateway, allowed on a loopback listener
//     only;
//   * a section that configures no authentication method needs
//     allow_unauthenticated: true (every caller is then "anonymous").
#ifndef AWSGW_GATEWAY_SERVER_CALLERS_SETUP_H_
#define AWSGW_GATEWAY_SERVER_CALLERS_SETUP_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "auth/identity/key_source.h"
#include "gateway/config/callers_config.h"
#include "gateway/config/config_loader.h"
#include "gateway/config/gateway_config.h"
#include "gateway/observability/audit_log.h"
#include "gateway/observability/metrics_registry.h"
#include "gateway/server/access_gate.h"
#include "http/client/http_client.h"
#include "translators/method_table.h"

namespace awsgw::gateway::server {

// FAILED_PRECONDITION when `listen` (host:port) is not a loopback address
// and `callers` neither authenticates callers nor says
// allow_unauthenticated: the message says how to fix it.
absl::Status CheckListenerIsGuarded(const std::string& listen,
                                    const std::optional<config::CallersConfig>& callers);

// The policy of `callers`: its inline statements, then the policy file's,
// indexed for `known_actions` (AccessGate::ActionsOf).
absl::StatusOr<std::shared_ptr<const auth::policy::Policy>> LoadPolicy(
    const config::CallersConfig& callers, absl::Span<const std::string> known_actions = {});

// What SetUpCallerAccess would refuse in `callers`, found without starting
// anything: the policy (with its file) and limits, the API key digests.
// JWKS URLs are not fetched: one that is down does not stop a start either.
absl::Status CheckCallers(const config::CallersConfig& callers,
                          const translators::MethodTable& catalog);

// Everything the gate needs and owns, kept alive together.
struct CallerAccess {
  std::unique_ptr<observability::AuditLog> audit;
  std::vector<std::shared_ptr<auth::identity::KeySource>> key_sources;
  std::vector<std::shared_ptr<http::client::HttpClient>> jwks_clients;
  std::unique_ptr<AccessGate> gate;
};

// Builds the gate for `callers` (JWKS URLs are fetched once before this
// returns; one that fails is logged and retried in the background).
absl::StatusOr<std::unique_ptr<CallerAccess>> SetUpCallerAccess(
    const config::CallersConfig& callers, const translators::MethodTable& catalog,
    const std::string& default_region, observability::Registry& registry);

// Re-reads the policy and limits of the configuration file (on SIGHUP, and
// when the config or policy file changes: checked every `poll`). A new
// policy that does not load is refused, logged with its file, line and key,
// and counted; the one in force stays.
class PolicyReloader {
 public:
  // `policy_file`: the one the config named at start-up ("" for none).
  PolicyReloader(std::string config_path, std::string policy_file, config::LoadOptions load_options,
                 AccessGate* gate, observability::Registry& registry,
                 absl::Duration poll = absl::Seconds(2));
  ~PolicyReloader();

  // Reloads now, unless neither file changed since the last load (by either
  // path: a SIGHUP right after an edit the watcher already took reloads
  // nothing, so one edit is one generation); OK or why the new policy was
  // refused.
  absl::Status Reload();

 private:
  void Watch();
  // Loads if the files' fingerprint differs from the last load's.
  absl::Status ReloadIfChanged(bool log_unchanged);
  std::string Fingerprint() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string config_path_;
  const config::LoadOptions load_options_;
  AccessGate* const gate_;
  const absl::Duration poll_;
  observability::Counter& failures_;
  absl::Mutex mu_;
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 1;
  std::string policy_file_ ABSL_GUARDED_BY(mu_);
  std::string fingerprint_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread watcher_;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_CALLERS_SETUP_H_
