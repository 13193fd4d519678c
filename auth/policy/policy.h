// Policy: IAM-style allow/deny statements over (principal, action,
// resources, conditions), decided per gRPC call before the gateway calls AWS.
//
// Semantics (as IAM's, minus what the gateway does not need):
//   * A statement applies when a principal pattern, an action pattern, a
//     resource pattern and every condition match.
//   * An explicit deny on any requested resource wins over any allow.
//   * A request naming several resources is allowed only when every one of
//     them is allowed by some statement; no matching allow is a deny
//     (implicit deny). An empty policy denies everything.
//   * Actions match case-insensitively; principals, resources and condition
//     values case-sensitively. Patterns are globs (auth/policy/glob.h).
//
// Use:
//   AWSGW_ASSIGN_OR_RETURN(std::shared_ptr<const Policy> policy,
//                          Policy::Create(std::move(statements)), Wrap);
//   Decision d = policy->Decide({.principal = "alice", .groups = groups,
//                                .action = "ecs:DescribeServices",
//                                .resources = arns, .region = "us-east-1",
//                                .fields = &fields});
//
// Threading: a Policy is immutable; Decide may run on many threads at once.
// A reload builds a new Policy and swaps the shared_ptr.
#ifndef AWSGW_AUTH_POLICY_POLICY_H_
#define AWSGW_AUTH_POLICY_POLICY_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "auth/policy/request_fields.h"

namespace awsgw::auth::policy {

enum class Effect { kAllow, kDeny };

// One condition of a statement.
//   key "region":           the AWS region the call goes to.
//   key "request.<Member>": a top-level request member by its AWS member
//                           name ("request.cluster", "request.ApplicationId").
// `values` are globs. The condition holds when the request has a value for
// the key and every one of its values (each element of a list member)
// matches at least one pattern. An absent member, an empty list or an empty
// region never satisfies a condition: a deny conditioned on a member does
// not apply to calls without it, and an allow does not grant them.
struct Condition {
  std::string key;
  std::vector<std::string> values;
};

struct Statement {
  std::string id;  // optional; unique when given
  Effect effect = Effect::kAllow;
  // Exact names or globs; "group:<glob>" matches a caller group; "*" any
  // authenticated caller.
  std::vector<std::string> principals;
  // "ecs:DescribeServices", "ecs:Describe*", "appconfig:*", "*".
  std::vector<std::string> actions;
  // ARN globs; "*" any (including calls that name no resource).
  std::vector<std::string> resources;
  std::vector<Condition> conditions;  // all must hold
  std::string origin;                 // "file:line" it was written at, for messages; may be empty
};

struct AccessRequest {
  absl::string_view principal;
  absl::Span<const std::string> groups;
  absl::string_view action;  // "ecs:DescribeServices"
  // The ARNs the call acts on. A call without a specific resource passes
  // {"*"} (which only statements with resource "*" match); an empty span is
  // treated the same way.
  absl::Span<const std::string> resources;
  absl::string_view region;
  const RequestFields* fields = nullptr;  // nullptr: no request.* condition holds
};

struct Decision {
  bool allowed = false;
  // The deciding statement: for a deny, the deny statement that matched; for
  // an allow, the allow that matched the last resource; nullptr when no
  // statement matched (implicit deny). Points into the Policy, so it lives as
  // long as the Policy does.
  const Statement* statement = nullptr;
  // The resource the decision is about: for a deny, the first (in request
  // order) resource denied; for an allow, the last resource.
  std::string resource;
};

class Policy {
 public:
  // Validates and indexes `statements`. INVALID_ARGUMENT, naming the
  // statement (its id, else its index, plus its origin) and the problem,
  // when a statement lacks principals, actions or resources, a pattern is
  // malformed (ValidateActionPattern, ValidatePrincipalPattern), a condition
  // key is neither "region" nor "request.<Name>" or has no values, or two
  // statements share an id.
  //
  // `known_actions` (the gateway passes every action it serves): their
  // candidate statements are found once here, so deciding one of them
  // matches no action pattern at all. Other actions are decided the same,
  // through the by-service index.
  [[nodiscard]] static absl::StatusOr<std::shared_ptr<const Policy>> Create(
      std::vector<Statement> statements, absl::Span<const std::string> known_actions = {});

  // Decides one call. Does not allocate beyond the returned Decision unless
  // the request names more than a few resources.
  [[nodiscard]] Decision Decide(const AccessRequest& request) const;

  [[nodiscard]] size_t size() const { return statements_.size(); }
  [[nodiscard]] const std::vector<Statement>& statements() const { return statements_; }

  Policy(const Policy&) = delete;
  Policy& operator=(const Policy&) = delete;
  ~Policy();

 private:
  struct Index;  // the compiled statements and the by-service index (policy.cc)

  explicit Policy(std::vector<Statement> statements);

  std::vector<Statement> statements_;
  std::unique_ptr<const Index> index_;  // points into statements_
};

}  // namespace awsgw::auth::policy

#endif  // AWSGW_AUTH_POLICY_POLICY_H_
