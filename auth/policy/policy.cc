// Policy compilation (validate, lower-case, index by service) and the
// per-call decision. Decide walks only the statements indexed under the
// action's service, tests the cheap resource-independent parts (action name,
// principal, conditions) once per statement, then the resource globs.
#include "auth/policy/policy.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "auth/policy/glob.h"
#include "auth/policy/patterns.h"

namespace awsgw::auth::policy {

namespace {

struct CompiledCondition {
  bool region = false;       // else a request member
  absl::string_view member;  // for request members: the name after "request."
  absl::Span<const std::string> patterns;
};

struct CompiledStatement {
  const Statement* source = nullptr;
  size_t order = 0;  // position in the policy, so buckets keep statement order
  bool deny = false;
  PrincipalMatcher principals;
  std::vector<CompiledCondition> conditions;
};

// One statement as seen from one service bucket.
struct IndexEntry {
  const CompiledStatement* statement = nullptr;
  bool any_name = false;           // "*" or "<service>:*"
  std::vector<std::string> names;  // lower-cased name globs (after "<service>:")
};

}  // namespace

struct Policy::Index {
  std::vector<CompiledStatement> compiled;  // parallel to the policy's statements
  absl::flat_hash_map<std::string, std::vector<IndexEntry>> by_service;
  std::vector<IndexEntry> any_service;  // "*"-action statements only
  // Lower-cased known action -> the entries whose name patterns match it,
  // in statement order (their names need no further check).
  absl::flat_hash_map<std::string, std::vector<const IndexEntry*>> by_action;

  // The candidates of a known action, or nullptr.
  const std::vector<const IndexEntry*>* ForAction(absl::string_view action) const {
    constexpr size_t kMaxAction = 256;
    if (by_action.empty() || action.size() > kMaxAction) return nullptr;
    char lower[kMaxAction];
    for (size_t i = 0; i < action.size(); ++i) {
      lower[i] = absl::ascii_tolower(static_cast<unsigned char>(action[i]));
    }
    const auto it = by_action.find(absl::string_view(lower, action.size()));
    return it == by_action.end() ? nullptr : &it->second;
  }

  const std::vector<IndexEntry>& BucketFor(absl::string_view action) const {
    const absl::string_view service = ActionService(action);
    if (service.empty() || service.size() > kMaxServicePrefixLength) return any_service;
    char lower[kMaxServicePrefixLength];
    for (size_t i = 0; i < service.size(); ++i) {
      lower[i] = absl::ascii_tolower(static_cast<unsigned char>(service[i]));
    }
    const auto it = by_service.find(absl::string_view(lower, service.size()));
    return it == by_service.end() ? any_service : it->second;
  }
};

namespace {

constexpr absl::string_view kRequestPrefix = "request.";

std::string Describe(const Statement& statement, size_t index) {
  std::string label = statement.id.empty()
                          ? absl::StrCat("statements[", index, "]")
                          : absl::StrCat("statement \"", absl::CHexEscape(statement.id), "\"");
  if (!statement.origin.empty()) absl::StrAppend(&label, " (", statement.origin, ")");
  return label;
}

absl::Status Invalid(const Statement& statement, size_t index, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(Describe(statement, index), ": ", what));
}

absl::Status ValidateConditionKey(absl::string_view key) {
  if (key == "region") return absl::OkStatus();
  if (absl::StartsWith(key, kRequestPrefix)) {
    const absl::string_view name = key.substr(kRequestPrefix.size());
    const bool well_formed = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    if (well_formed) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("condition key \"", absl::CHexEscape(key),
                   "\" is neither \"region\" nor \"request.<Member>\" (e.g. \"request.cluster\")"));
}

absl::Status ValidateStatement(const Statement& statement, size_t index) {
  const auto wrap = [&](const absl::Status& status) {
    return Invalid(statement, index, status.message());
  };
  if (statement.principals.empty()) return Invalid(statement, index, "has no principals");
  for (const std::string& principal : statement.principals) {
    if (absl::Status s = ValidatePrincipalPattern(principal); !s.ok()) return wrap(s);
  }
  if (statement.actions.empty()) return Invalid(statement, index, "has no actions");
  for (const std::string& action : statement.actions) {
    if (absl::Status s = ValidateActionPattern(action); !s.ok()) return wrap(s);
  }
  if (statement.resources.empty()) return Invalid(statement, index, "has no resources");
  for (const std::string& resource : statement.resources) {
    if (resource.empty()) return Invalid(statement, index, "has an empty resource pattern");
  }
  for (const Condition& condition : statement.conditions) {
    if (absl::Status s = ValidateConditionKey(condition.key); !s.ok()) return wrap(s);
    if (condition.values.empty()) {
      return Invalid(statement, index,
                     absl::StrCat("condition \"", absl::CHexEscape(condition.key),
                                  "\" has no values, so it could never hold"));
    }
  }
  return absl::OkStatus();
}

bool AnyGlob(absl::Span<const std::string> patterns, absl::string_view text, bool ignore_case) {
  for (const std::string& pattern : patterns) {
    if (GlobMatch(pattern, text, ignore_case)) return true;
  }
  return false;
}

bool ConditionsHold(const CompiledStatement& statement, const AccessRequest& request) {
  for (const CompiledCondition& condition : statement.conditions) {
    if (condition.region) {
      if (request.region.empty() || !AnyGlob(condition.patterns, request.region, false)) {
        return false;
      }
      continue;
    }
    if (request.fields == nullptr) return false;
    const std::vector<std::string>* values = request.fields->Find(condition.member);
    // An empty list holds no value to check; treating it as "all allowed"
    // would let `[]` through an allow meant to restrict the list.
    if (values == nullptr || values->empty()) return false;
    for (const std::string& value : *values) {
      if (!AnyGlob(condition.patterns, value, false)) return false;
    }
  }
  return true;
}

}  // namespace

Policy::Policy(std::vector<Statement> statements) : statements_(std::move(statements)) {}
Policy::~Policy() = default;

absl::StatusOr<std::shared_ptr<const Policy>> Policy::Create(
    std::vector<Statement> statements, absl::Span<const std::string> known_actions) {
  absl::flat_hash_map<absl::string_view, size_t> ids;
  for (size_t i = 0; i < statements.size(); ++i) {
    const Statement& statement = statements[i];
    if (absl::Status s = ValidateStatement(statement, i); !s.ok()) return s;
    if (statement.id.empty()) continue;
    const auto [it, inserted] = ids.emplace(statement.id, i);
    if (!inserted) {
      return Invalid(
          statement, i,
          absl::StrCat("repeats the id of ", Describe(statements[it->second], it->second),
                       "; statement ids must be unique"));
    }
  }

  std::shared_ptr<Policy> policy(new Policy(std::move(statements)));
  auto index = std::make_unique<Index>();
  index->compiled.reserve(policy->statements_.size());
  for (size_t i = 0; i < policy->statements_.size(); ++i) {
    const Statement& statement = policy->statements_[i];
    CompiledStatement compiled{&statement,
                               i,
                               statement.effect == Effect::kDeny,
                               PrincipalMatcher(statement.principals),
                               {}};
    for (const Condition& condition : statement.conditions) {
      const bool region = condition.key == "region";
      compiled.conditions.push_back(
          {region,
           region ? absl::string_view()
                  : absl::string_view(condition.key).substr(kRequestPrefix.size()),
           condition.values});
    }
    index->compiled.push_back(std::move(compiled));
  }

  // Index. A statement lands once per service it names, carrying only that
  // service's name patterns; "*"-action statements land in every bucket.
  std::vector<const CompiledStatement*> any_action;
  for (const CompiledStatement& compiled : index->compiled) {
    const auto& actions = compiled.source->actions;
    if (std::find(actions.begin(), actions.end(), "*") != actions.end()) {
      any_action.push_back(&compiled);
      continue;
    }
    absl::flat_hash_map<std::string, IndexEntry> per_service;
    for (const std::string& action : actions) {
      const std::string lower = absl::AsciiStrToLower(action);
      const absl::string_view service = ActionService(lower);
      const absl::string_view name = absl::string_view(lower).substr(service.size() + 1);
      IndexEntry& entry = per_service[service];
      entry.statement = &compiled;
      if (name == "*") {
        entry.any_name = true;
        entry.names.clear();
      } else if (!entry.any_name) {
        entry.names.emplace_back(name);
      }
    }
    for (auto& [service, entry] : per_service) {
      index->by_service[service].push_back(std::move(entry));
    }
  }
  for (const CompiledStatement* compiled : any_action) {
    const IndexEntry entry{compiled, true, {}};
    index->any_service.push_back(entry);
    for (auto& [service, bucket] : index->by_service) bucket.push_back(entry);
  }
  // Statement order in every bucket, so the reported statement is the first
  // in the file that decided, however the statement was indexed.
  for (auto& [service, bucket] : index->by_service) {
    std::sort(bucket.begin(), bucket.end(), [](const IndexEntry& a, const IndexEntry& b) {
      return a.statement->order < b.statement->order;
    });
  }
  for (const std::string& action : known_actions) {
    const std::string lower = absl::AsciiStrToLower(action);
    const size_t colon = lower.find(':');
    const absl::string_view name = colon == std::string::npos
                                       ? absl::string_view(lower)
                                       : absl::string_view(lower).substr(colon + 1);
    std::vector<const IndexEntry*>& candidates = index->by_action[lower];
    for (const IndexEntry& entry : index->BucketFor(lower)) {
      if (entry.any_name || AnyGlob(entry.names, name, /*ignore_case=*/true)) {
        candidates.push_back(&entry);
      }
    }
  }
  policy->index_ = std::move(index);
  return std::shared_ptr<const Policy>(std::move(policy));
}

Decision Policy::Decide(const AccessRequest& request) const {
  static const std::string kAnyResource = "*";
  const absl::Span<const std::string> resources =
      request.resources.empty() ? absl::Span<const std::string>(&kAnyResource, 1)
                                : request.resources;
  const size_t colon = request.action.find(':');
  const absl::string_view name =
      colon == absl::string_view::npos ? request.action : request.action.substr(colon + 1);

  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t denied_at = kNone;  // earliest resource an explicit deny matched
  const Statement* deny = nullptr;
  // For each resource, the first allow that matched it.
  absl::InlinedVector<const Statement*, 8> allowed_by(resources.size(), nullptr);
  size_t uncovered = resources.size();

  // Known actions come with their candidates; others are matched here.
  const std::vector<const IndexEntry*>* known = index_->ForAction(request.action);
  absl::InlinedVector<const IndexEntry*, 32> matched;
  if (known == nullptr) {
    for (const IndexEntry& entry : index_->BucketFor(request.action)) {
      if (entry.any_name || AnyGlob(entry.names, name, /*ignore_case=*/true)) {
        matched.push_back(&entry);
      }
    }
  }
  for (const IndexEntry* entry :
       known != nullptr ? absl::MakeConstSpan(*known) : absl::MakeConstSpan(matched)) {
    const CompiledStatement& statement = *entry->statement;
    if (statement.deny) {
      const size_t limit = denied_at == kNone ? resources.size() : denied_at;
      if (limit == 0) continue;
    } else if (denied_at != kNone || uncovered == 0) {
      // Allows can no longer change the outcome, nor which allow is reported
      // (the first to match each resource wins).
      continue;
    }
    if (!statement.principals.Matches(request.principal, request.groups)) continue;
    if (!ConditionsHold(statement, request)) continue;
    const auto& patterns = statement.source->resources;
    if (statement.deny) {
      const size_t limit = denied_at == kNone ? resources.size() : denied_at;
      for (size_t r = 0; r < limit; ++r) {
        if (AnyGlob(patterns, resources[r], false)) {
          denied_at = r;
          deny = statement.source;
          break;
        }
      }
    } else {
      for (size_t r = 0; r < resources.size(); ++r) {
        if (allowed_by[r] == nullptr && AnyGlob(patterns, resources[r], false)) {
          allowed_by[r] = statement.source;
          --uncovered;
        }
      }
    }
  }

  if (deny != nullptr) return {false, deny, resources[denied_at]};
  for (size_t r = 0; r < resources.size(); ++r) {
    if (allowed_by[r] == nullptr) return {false, nullptr, resources[r]};
  }
  return {true, allowed_by.back(), resources.back()};
}

}  // namespace awsgw::auth::policy
