// AccessGate: every rpc passes here before anything reaches AWS. It decides
// who is calling (auth/identity), whether the policy lets that caller do
// what the request asks on the resources it names (auth/policy,
// translators/access_resources.h), and whether the caller is within its
// limits; it writes one audit record per decision and counts refusals.
//
// Two steps, because the first must not parse what an unknown caller sent:
//   1. Authenticate(context): UNAUTHENTICATED, or the caller's identity.
//   2. Authorize(identity, calls, ...): PERMISSION_DENIED naming the action
//      and resource, RESOURCE_EXHAUSTED with RetryInfo, or OK with the
//      admission that holds the caller's in-flight slot until the call ends.
//
// The policy and limits can be replaced while calls run (SetPolicy, on a
// reload); a call is decided wholly by the set it started with.
#ifndef AWSGW_GATEWAY_SERVER_ACCESS_GATE_H_
#define AWSGW_GATEWAY_SERVER_ACCESS_GATE_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "auth/identity/authenticator.h"
#include "auth/identity/caller_identity.h"
#include "auth/policy/caller_limits.h"
#include "auth/policy/policy.h"
#include "gateway/observability/audit_log.h"
#include "gateway/observability/metrics_registry.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "translators/access_resources.h"
#include "translators/method_table.h"

namespace awsgw::gateway::server {

// What the gate decides with: replaced as a whole on a reload.
struct AccessRules {
  std::shared_ptr<const auth::policy::Policy> policy;
  std::shared_ptr<auth::policy::CallerLimiter> limiter;
  // AWS member names the policy's "request.<member>" conditions read, so a
  // call copies only those out of its request.
  std::vector<std::string> condition_members;
  int64_t generation = 0;
  absl::Time loaded_at;
};

// The rules for `policy` and `limiter` (condition_members filled in).
AccessRules MakeAccessRules(std::shared_ptr<const auth::policy::Policy> policy,
                            std::shared_ptr<auth::policy::CallerLimiter> limiter,
                            int64_t generation);

// One AWS action a call performs: a watch may perform two (its poll and its
// event feed).
struct RequestedAction {
  const translators::MethodEntry* method = nullptr;
  const google::protobuf::Message* request = nullptr;
};

// Facts about the call for the audit record.
struct CallFacts {
  absl::string_view rpc;         // "/aws.ecs.v1.EcsService/DescribeServices"
  absl::string_view request_id;  // x-request-id
  absl::string_view peer;
  absl::string_view region;  // as requested; empty: the gateway's
  // The AWS operation the rpc performs (a watch: the one it polls), so that
  // a refusal before the request is read still names its action.
  const translators::MethodEntry* method = nullptr;
};

class AccessGate {
 public:
  struct Options {
    std::string account_id;      // for the ARNs of resources given by name
    std::string default_region;  // the gateway's region
    // Calls without credentials pass as principal "anonymous" (group
    // "unauthenticated"); carried but invalid credentials still fail.
    bool allow_unauthenticated = false;
  };

  // `authenticator` may be null when no method is configured (then every
  // caller is anonymous, or refused). `audit` may be null (no audit
  // stream). Refuses (FAILED_PRECONDITION) a method whose resource
  // templates do not compile.
  static absl::StatusOr<std::unique_ptr<AccessGate>> Create(
      const translators::MethodTable& catalog,
      std::unique_ptr<auth::identity::Authenticator> authenticator, Options options,
      AccessRules rules, observability::AuditLog* audit, observability::Registry& registry);

  // Step 1. OK and `*identity` set, or UNAUTHENTICATED (audited, counted).
  grpc::Status Authenticate(const grpc::ServerContextBase& context, const CallFacts& facts,
                            auth::identity::CallerIdentity* identity) const;

  // Step 2 for a unary call: `action` on its request. On OK, `*admission`
  // holds the caller's in-flight slots; drop it when the call ends.
  grpc::Status AuthorizeCall(
      const auth::identity::CallerIdentity& identity, const RequestedAction& action,
      const CallFacts& facts,
      std::optional<auth::policy::CallerLimiter::Admission>* admission) const;

  // Step 2 for a watch stream: every action the watch would perform must be
  // allowed; the admission holds the caller's stream slot.
  grpc::Status AuthorizeWatch(
      const auth::identity::CallerIdentity& identity, absl::Span<const RequestedAction> actions,
      const CallFacts& facts,
      std::optional<auth::policy::CallerLimiter::Admission>* admission) const;

  // An operator's question, answered without a call: may `principal` (in
  // `groups`) perform `action` on `resource` in `region`? Fills `*statement`
  // with the deciding statement ("" for none).
  static bool Explain(const auth::policy::Policy& policy, absl::string_view principal,
                      absl::Span<const std::string> groups, absl::string_view action,
                      absl::string_view resource, absl::string_view region, std::string* statement);

  // Every AWS action `catalog` serves ("ecs:DescribeServices"), for
  // auth::policy::Policy::Create's known actions.
  static std::vector<std::string> ActionsOf(const translators::MethodTable& catalog);
  const std::vector<std::string>& actions() const { return actions_; }

  // Replaces the policy and limits for calls that start from now on.
  void SetRules(AccessRules rules);
  std::shared_ptr<const AccessRules> rules() const;

 private:
  AccessGate(std::unique_ptr<auth::identity::Authenticator> authenticator, Options options,
             observability::AuditLog* audit, observability::Registry& registry);

  struct MethodAccess;
  // One action the policy allowed, audited once the limits admit the call.
  struct Allowed {
    const MethodAccess* access;
    std::vector<std::string> resources;
    std::string statement;
  };

  // The policy's decision on every action (each allowed one in `*allowed`),
  // or the first refusal (audited and counted).
  grpc::Status Decide(const AccessRules& rules, const auth::identity::CallerIdentity& identity,
                      absl::Span<const RequestedAction> actions, const CallFacts& facts,
                      std::vector<Allowed>* allowed) const;
  void AuditAllowed(const auth::identity::CallerIdentity& identity,
                    const std::vector<Allowed>& allowed, const CallFacts& facts) const;
  void Audit(const auth::identity::CallerIdentity* identity, absl::string_view action,
             absl::Span<const std::string> resources, const CallFacts& facts,
             absl::string_view decision, absl::string_view reason,
             absl::string_view statement) const;
  void Count(absl::string_view decision, absl::string_view reason, absl::string_view action) const;
  // "ecs:DescribeServices" for `method`, "" when unknown.
  absl::string_view ActionOf(const translators::MethodEntry* method) const;

  const std::unique_ptr<auth::identity::Authenticator> authenticator_;
  const Options options_;
  observability::AuditLog* const audit_;
  observability::Family<observability::Counter>& decisions_;
  // Per method, compiled once: its resources and its "allowed" counter.
  struct MethodAccess {
    translators::AccessResources resources;
    observability::Counter* allowed;
  };
  absl::flat_hash_map<const translators::MethodEntry*, MethodAccess> resources_;
  std::vector<std::string> actions_;
  // The rules in force, and how many times they were replaced: a call's
  // thread keeps its own copy of the pointer and takes the lock only when
  // the version moved, so calls do not share a reference count (CurrentRules).
  mutable absl::Mutex rules_mu_;
  std::shared_ptr<const AccessRules> rules_ ABSL_GUARDED_BY(rules_mu_);
  std::atomic<uint64_t> rules_version_{0};

  // The rules for this call: this thread's copy, refreshed when stale.
  const AccessRules& CurrentRules() const;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_ACCESS_GATE_H_
