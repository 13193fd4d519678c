// The two pattern kinds that policies and limits share: action patterns and
// principal patterns. Validation is public so the config loader can check an
// entry where it reads it and point at its line; matching is precompiled
// (PrincipalMatcher) so the per-call path does no parsing.
//
// Action patterns:    "*" or "<service>:<name pattern>", service made of
//                     letters, digits and '-' (no wildcard, so statements
//                     can be indexed by service), name of letters, digits,
//                     '*' and '?'. Matched case-insensitively, as IAM does:
//                     "ECS:describe*" matches "ecs:DescribeServices".
// Principal patterns: "*" (any authenticated caller), "group:<glob>" (a
//                     caller group), or a glob over the principal name.
//                     Case-sensitive.
#ifndef AWSGW_AUTH_POLICY_PATTERNS_H_
#define AWSGW_AUTH_POLICY_PATTERNS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace awsgw::auth::policy {

// Longest service prefix an action pattern may carry ("elasticloadbalancing"
// is 20); lets the policy lower-case a request's service on the stack.
inline constexpr size_t kMaxServicePrefixLength = 64;

// OK, or INVALID_ARGUMENT saying what is wrong with `pattern` (quoted,
// escaped) and what the accepted form is.
[[nodiscard]] absl::Status ValidateActionPattern(absl::string_view pattern);

// OK, or INVALID_ARGUMENT: empty, whitespace or control characters, or
// "group:" with no group name.
[[nodiscard]] absl::Status ValidatePrincipalPattern(absl::string_view pattern);

// The service part of an action or action pattern, before the first ':'
// ("ecs" for "ecs:DescribeServices"); empty when there is no ':'.
[[nodiscard]] absl::string_view ActionService(absl::string_view action);

// A validated list of principal patterns, compiled for matching.
// Immutable after construction; safe to use from many threads.
class PrincipalMatcher {
 public:
  // Precondition: every pattern passed ValidatePrincipalPattern.
  explicit PrincipalMatcher(absl::Span<const std::string> patterns);

  struct Match {
    bool matched = false;
    // The caller group the match came through ("group:" patterns), or empty
    // when the principal itself (or "*") matched. Points into `groups`.
    absl::string_view group;
  };

  // The first pattern, in list order, that matches decides `group`. An
  // empty principal matches nothing: "*" means any *authenticated* caller.
  [[nodiscard]] Match Find(absl::string_view principal, absl::Span<const std::string> groups) const;
  [[nodiscard]] bool Matches(absl::string_view principal,
                             absl::Span<const std::string> groups) const {
    return Find(principal, groups).matched;
  }

 private:
  enum class Kind { kAnyone, kGroup, kName };
  struct Entry {
    Kind kind;
    std::string glob;  // the name glob; for kGroup, without "group:"
  };
  std::vector<Entry> entries_;
};

}  // namespace awsgw::auth::policy

#endif  // AWSGW_AUTH_POLICY_PATTERNS_H_
