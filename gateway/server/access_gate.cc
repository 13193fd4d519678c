#include "gateway/server/access_gate.h"

#include <cstdio>
#include <ctime>
#include <utility>
#include <variant>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/aws_region.h"
#include "base/json_writer.h"
#include "gateway/server/presented_credentials.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "translators/status_mapping.h"

namespace awsgw::gateway::server {
namespace {

using auth::identity::CallerIdentity;
using auth::policy::CallerLimiter;

constexpr absl::string_view kAnonymous = "anonymous";
constexpr size_t kAuditedResources = 20;

using translators::GatewayErrorInfo;
using translators::GatewayStatus;

// RFC 3339 in UTC with microseconds ("2026-12-04T21:30:26.485551Z"):
// absl::FormatTime's general formatter costs a tenth of a decision.
std::string UtcTimestamp(absl::Time now) {
  const timespec spec = absl::ToTimespec(now);
  std::tm utc{};
  gmtime_r(&spec.tv_sec, &utc);
  char text[64];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(spec.tv_nsec / 1000));
  return text;
}

std::string StatementName(const auth::policy::Statement& statement) {
  if (!statement.id.empty()) return statement.id;
  return statement.origin.empty() ? std::string("(unnamed)") : statement.origin;
}

}  // namespace

AccessRules MakeAccessRules(std::shared_ptr<const auth::policy::Policy> policy,
                            std::shared_ptr<auth::policy::CallerLimiter> limiter,
                            int64_t generation) {
  AccessRules rules;
  absl::flat_hash_set<std::string> members;
  for (const auth::policy::Statement& statement : policy->statements()) {
    for (const auth::policy::Condition& condition : statement.conditions) {
      constexpr absl::string_view kRequest = "request.";
      if (absl::StartsWith(condition.key, kRequest)) {
        members.insert(condition.key.substr(kRequest.size()));
      }
    }
  }
  rules.condition_members.assign(members.begin(), members.end());
  rules.policy = std::move(policy);
  rules.limiter = std::move(limiter);
  rules.generation = generation;
  rules.loaded_at = absl::Now();
  return rules;
}

AccessGate::AccessGate(std::unique_ptr<auth::identity::Authenticator> authenticator,
                       Options options, observability::AuditLog* audit,
                       observability::Registry& registry)
    : authenticator_(std::move(authenticator)),
      options_(std::move(options)),
      audit_(audit),
      decisions_(registry.AddCounter(
          "awsgw_access_decisions_total",
          "Access decisions on callers' rpcs, by decision (allow, deny, unauthenticated, "
          "throttled), reason and AWS action.",
          {"decision", "reason", "action"})) {}

absl::StatusOr<std::unique_ptr<AccessGate>> AccessGate::Create(
    const translators::MethodTable& catalog,
    std::unique_ptr<auth::identity::Authenticator> authenticator, Options options,
    AccessRules rules, observability::AuditLog* audit, observability::Registry& registry) {
  std::unique_ptr<AccessGate> gate(
      new AccessGate(std::move(authenticator), std::move(options), audit, registry));
  for (const translators::ServiceEntry& service : catalog.services()) {
    for (const translators::MethodEntry& method : service.methods) {
      absl::StatusOr<translators::AccessResources> resources =
          translators::AccessResources::Compile(method);
      if (!resources.ok()) return resources.status();
      observability::Counter* allowed =
          &gate->decisions_.With({"allow", "allowed", resources->action()});
      gate->resources_.emplace(&method, MethodAccess{*std::move(resources), allowed});
    }
  }
  gate->actions_ = ActionsOf(catalog);
  gate->SetRules(std::move(rules));
  return gate;
}

std::vector<std::string> AccessGate::ActionsOf(const translators::MethodTable& catalog) {
  std::vector<std::string> actions;
  for (const translators::ServiceEntry& service : catalog.services()) {
    for (const translators::MethodEntry& method : service.methods) {
      actions.push_back(absl::StrCat(service.info->signing_name(), ":", method.operation->name()));
    }
  }
  return actions;
}

void AccessGate::SetRules(AccessRules rules) {
  auto replacement = std::make_shared<const AccessRules>(std::move(rules));
  absl::MutexLock lock(&rules_mu_);
  rules_ = std::move(replacement);
  // Versions come from one process-wide counter, so a gate created where a
  // destroyed one lived never matches a thread's copy of the old one's rules.
  static std::atomic<uint64_t> versions{0};
  rules_version_.store(versions.fetch_add(1, std::memory_order_relaxed) + 1,
                       std::memory_order_release);
}

std::shared_ptr<const AccessRules> AccessGate::rules() const {
  absl::MutexLock lock(&rules_mu_);
  return rules_;
}

const AccessRules& AccessGate::CurrentRules() const {
  struct Cached {
    const AccessGate* gate = nullptr;
    uint64_t version = 0;
    std::shared_ptr<const AccessRules> rules;
  };
  thread_local Cached cached;
  const uint64_t version = rules_version_.load(std::memory_order_acquire);
  if (cached.gate != this || cached.version != version || cached.rules == nullptr) {
    absl::MutexLock lock(&rules_mu_);
    cached = {this, rules_version_.load(std::memory_order_relaxed), rules_};
  }
  return *cached.rules;
}

absl::string_view AccessGate::ActionOf(const translators::MethodEntry* method) const {
  auto it = resources_.find(method);
  return it == resources_.end() ? absl::string_view() : it->second.resources.action();
}

void AccessGate::Count(absl::string_view decision, absl::string_view reason,
                       absl::string_view action) const {
  decisions_.With({std::string(decision), std::string(reason), std::string(action)}).Increment();
}

void AccessGate::Audit(const CallerIdentity* identity, absl::string_view action,
                       absl::Span<const std::string> resources, const CallFacts& facts,
                       absl::string_view decision, absl::string_view reason,
                       absl::string_view statement) const {
  if (audit_ == nullptr) return;
  std::string line;
  line.reserve(512);  // a record's usual size: one allocation
  base::JsonWriter json(&line);
  json.BeginObject();
  json.Key("time");
  json.String(UtcTimestamp(absl::Now()));
  json.Key("decision");
  json.String(decision);
  json.Key("reason");
  json.String(reason);
  json.Key("principal");
  if (identity != nullptr) {
    json.String(identity->principal);
    json.Key("auth");
    json.String(auth::identity::AuthMethodName(identity->method));
  } else {
    json.Null();
  }
  json.Key("rpc");
  json.String(facts.rpc);
  json.Key("action");
  json.String(action);
  json.Key("resources");
  json.BeginArray();
  // A record stays a line: at most kAuditedResources, then how many more.
  for (size_t i = 0; i < resources.size() && i < kAuditedResources; ++i) json.String(resources[i]);
  json.EndArray();
  if (resources.size() > kAuditedResources) {
    json.Key("more_resources");
    json.Int(static_cast<int64_t>(resources.size() - kAuditedResources));
  }
  json.Key("region");
  json.String(facts.region.empty() ? absl::string_view(options_.default_region) : facts.region);
  if (!statement.empty()) {
    json.Key("statement");
    json.String(statement);
  }
  json.Key("request_id");
  json.String(facts.request_id);
  json.Key("peer");
  json.String(facts.peer);
  json.EndObject();
  audit_->Write(std::move(line));
}

grpc::Status AccessGate::Authenticate(const grpc::ServerContextBase& context,
                                      const CallFacts& facts, CallerIdentity* identity) const {
  auth::identity::PresentedCredentials presented =
      PresentedBy(context, authenticator_ != nullptr && authenticator_->uses_certificates());
  auth::identity::AuthOutcome outcome;
  if (authenticator_ != nullptr) {
    outcome = authenticator_->Authenticate(presented, absl::Now());
  } else if (presented.bearer_token || presented.api_key) {
    outcome =
        auth::identity::AuthOutcome::Failure(auth::identity::failure_reason::kMethodNotAccepted,
                                             "this gateway accepts no bearer tokens or API keys");
  } else {
    outcome = auth::identity::AuthOutcome::Failure(auth::identity::failure_reason::kNoCredentials,
                                                   "no credentials");
  }
  if (outcome.ok() && !base::IsValidUtf8(outcome.identity->principal)) {
    // A certificate's CN may hold any bytes; the audit trail must stay JSON.
    outcome = auth::identity::AuthOutcome::Failure(
        auth::identity::failure_reason::kNoCertificateIdentity, "the principal is not UTF-8");
  }
  if (outcome.ok()) {
    *identity = *std::move(outcome.identity);
    return grpc::Status::OK;
  }
  if (outcome.failure.reason == auth::identity::failure_reason::kNoCredentials &&
      options_.allow_unauthenticated) {
    *identity = CallerIdentity{
        std::string(kAnonymous), {"unauthenticated"}, auth::identity::AuthMethod::kNone};
    return grpc::Status::OK;
  }
  const absl::string_view reason = outcome.failure.reason;
  const absl::string_view action = ActionOf(facts.method);
  Count("unauthenticated", reason, action);
  Audit(nullptr, action, {}, facts, "unauthenticated", reason, "");
  return GatewayStatus(grpc::StatusCode::UNAUTHENTICATED,
                       absl::StrCat("caller not authenticated: ", outcome.failure.message),
                       GatewayErrorInfo(reason));
}

grpc::Status AccessGate::Decide(const AccessRules& rules, const CallerIdentity& identity,
                                absl::Span<const RequestedAction> actions, const CallFacts& facts,
                                std::vector<Allowed>* allowed) const {
  // The region is caller text that conditions match and the audit records:
  // only a plausible one gets that far.
  if (!facts.region.empty() && !base::IsPlausibleRegion(facts.region)) {
    Count("deny", "invalid_region", ActionOf(facts.method));
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "x-aws-region: not an AWS region name like \"us-east-1\"");
  }
  const absl::string_view region =
      facts.region.empty() ? absl::string_view(options_.default_region) : facts.region;
  for (const RequestedAction& requested : actions) {
    auto it = resources_.find(requested.method);
    if (it == resources_.end()) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "no access rules for this method");
    }
    const translators::AccessResources& access = it->second.resources;
    absl::StatusOr<std::vector<std::string>> resources =
        access.Resolve(*requested.request, region, options_.account_id);
    if (!resources.ok()) {
      Count("deny", "invalid_resource", access.action());
      Audit(&identity, access.action(), {}, facts, "deny", "invalid_resource", "");
      return translators::ToGrpcStatus(resources.status());
    }
    auth::policy::RequestFields fields;
    for (const std::string& member : rules.condition_members) {
      std::vector<std::string> values = access.ConditionValues(*requested.request, member);
      if (!values.empty()) fields.Set(member, std::move(values));
    }
    const auth::policy::Decision decision = rules.policy->Decide({.principal = identity.principal,
                                                                  .groups = identity.groups,
                                                                  .action = access.action(),
                                                                  .resources = *resources,
                                                                  .region = region,
                                                                  .fields = &fields});
    const std::string statement =
        decision.statement != nullptr ? StatementName(*decision.statement) : std::string();
    if (decision.allowed) {
      // Audited once the caller's limits admit the call too.
      allowed->push_back({&it->second, *std::move(resources), statement});
      continue;
    }
    const absl::string_view reason =
        decision.statement != nullptr ? "explicit_deny" : "implicit_deny";
    Count("deny", reason, access.action());
    Audit(&identity, access.action(), *resources, facts, "deny", reason, statement);
    google::rpc::ErrorInfo info = GatewayErrorInfo(reason);
    (*info.mutable_metadata())["action"] = access.action();
    (*info.mutable_metadata())["resource"] = decision.resource;
    if (!statement.empty()) (*info.mutable_metadata())["statement"] = statement;
    const std::string why = decision.statement != nullptr
                                ? absl::StrCat("denied by statement \"", statement, "\"")
                                : std::string("no statement allows it");
    return GatewayStatus(grpc::StatusCode::PERMISSION_DENIED,
                         absl::StrCat("caller \"", identity.principal, "\" may not perform ",
                                      access.action(), " on ", decision.resource, ": ", why),
                         info);
  }
  return grpc::Status::OK;
}

namespace {

grpc::Status Throttled(const CallerLimiter::Rejection& rejection) {
  google::rpc::ErrorInfo info = GatewayErrorInfo("caller_limit");
  (*info.mutable_metadata())["rule"] = rejection.rule_id;
  return GatewayStatus(grpc::StatusCode::RESOURCE_EXHAUSTED, rejection.message, info,
                       rejection.retry_after);
}

}  // namespace

grpc::Status AccessGate::AuthorizeCall(const CallerIdentity& identity,
                                       const RequestedAction& action, const CallFacts& facts,
                                       std::optional<CallerLimiter::Admission>* admission) const {
  const AccessRules& rules = CurrentRules();
  std::vector<Allowed> allowed;
  if (grpc::Status decided = Decide(rules, identity, {&action, 1}, facts, &allowed);
      !decided.ok()) {
    return decided;
  }
  const std::string& name = resources_.at(action.method).resources.action();
  CallerLimiter::Result admitted =
      rules.limiter->Admit(identity.principal, identity.groups, name, absl::Now());
  if (auto* rejection = std::get_if<CallerLimiter::Rejection>(&admitted)) {
    Count("throttled", "caller_limit", name);
    Audit(&identity, name, allowed.front().resources, facts, "throttled", "caller_limit",
          rejection->rule_id);
    return Throttled(*rejection);
  }
  AuditAllowed(identity, allowed, facts);
  admission->emplace(std::move(std::get<CallerLimiter::Admission>(admitted)));
  return grpc::Status::OK;
}

grpc::Status AccessGate::AuthorizeWatch(const CallerIdentity& identity,
                                        absl::Span<const RequestedAction> actions,
                                        const CallFacts& facts,
                                        std::optional<CallerLimiter::Admission>* admission) const {
  const AccessRules& rules = CurrentRules();
  std::vector<Allowed> allowed;
  if (grpc::Status decided = Decide(rules, identity, actions, facts, &allowed); !decided.ok()) {
    return decided;
  }
  CallerLimiter::Result admitted = rules.limiter->AdmitWatchStream(identity.principal, absl::Now());
  if (auto* rejection = std::get_if<CallerLimiter::Rejection>(&admitted)) {
    const std::string& name = resources_.at(actions.front().method).resources.action();
    Count("throttled", "watch_streams", name);
    Audit(&identity, name, allowed.front().resources, facts, "throttled", "watch_streams",
          rejection->rule_id);
    return Throttled(*rejection);
  }
  AuditAllowed(identity, allowed, facts);
  admission->emplace(std::move(std::get<CallerLimiter::Admission>(admitted)));
  return grpc::Status::OK;
}

void AccessGate::AuditAllowed(const CallerIdentity& identity, const std::vector<Allowed>& allowed,
                              const CallFacts& facts) const {
  for (const Allowed& call : allowed) {
    call.access->allowed->Increment();
    Audit(&identity, call.access->resources.action(), call.resources, facts, "allow", "allowed",
          call.statement);
  }
}

bool AccessGate::Explain(const auth::policy::Policy& policy, absl::string_view principal,
                         absl::Span<const std::string> groups, absl::string_view action,
                         absl::string_view resource, absl::string_view region,
                         std::string* statement) {
  const std::string resource_text(resource.empty() ? "*" : resource);
  const auth::policy::RequestFields fields;
  const auth::policy::Decision decision = policy.Decide({.principal = principal,
                                                         .groups = groups,
                                                         .action = action,
                                                         .resources = {&resource_text, 1},
                                                         .region = region,
                                                         .fields = &fields});
  *statement = decision.statement != nullptr ? StatementName(*decision.statement) : "";
  return decision.allowed;
}

}  // namespace awsgw::gateway::server
