// GlobMatch: the one wildcard language of policies and limits (actions,
// principals, resource ARNs, condition values).
//
//   '*'  any run of characters, including none and including ':' and '/'
//        (so "arn:aws:ecs:*:123456789012:service/prod/*" works as in IAM)
//   '?'  exactly one character (one byte: patterns and texts are ASCII in
//        practice; a multi-byte UTF-8 character needs one '?' per byte)
//   anything else matches itself; there is no escape and no character class.
//
// Patterns come from config and texts from callers, so the matcher must not
// blow up: it is the greedy two-pointer algorithm that backtracks only to the
// last '*', O(len(pattern) * len(text)) in the worst case, no recursion, no
// allocation.
#ifndef AWSGW_AUTH_POLICY_GLOB_H_
#define AWSGW_AUTH_POLICY_GLOB_H_

#include "absl/strings/string_view.h"

namespace awsgw::auth::policy {

// True when `pattern` matches all of `text`. With `ignore_case`, ASCII
// letters compare case-insensitively (IAM action names).
//
//   GlobMatch("ecs:Describe*", "ecs:DescribeServices")         -> true
//   GlobMatch("ECS:describe*", "ecs:DescribeServices", true)   -> true
//   GlobMatch("us-?ast-1", "us-east-1")                        -> true
[[nodiscard]] bool GlobMatch(absl::string_view pattern, absl::string_view text,
                             bool ignore_case = false);

// True when `pattern` contains '*' or '?'.
[[nodiscard]] bool HasWildcard(absl::string_view pattern);

}  // namespace awsgw::auth::policy

#endif  // AWSGW_AUTH_POLICY_GLOB_H_
