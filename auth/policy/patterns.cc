// Validation and matching of action and principal patterns.
#include "auth/policy/patterns.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "auth/policy/glob.h"

namespace awsgw::auth::policy {
namespace {

constexpr absl::string_view kGroupPrefix = "group:";

bool IsServiceChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-';
}

bool IsActionNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '*' || c == '?';
}

absl::Status BadAction(absl::string_view pattern, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("action \"", absl::CHexEscape(pattern), "\" ", why,
                                                 "; expected \"*\" or \"<service>:<action>\", e.g. "
                                                 "\"ecs:DescribeServices\" or \"ecs:Describe*\""));
}

}  // namespace

absl::Status ValidateActionPattern(absl::string_view pattern) {
  if (pattern == "*") return absl::OkStatus();
  if (pattern.empty()) return BadAction(pattern, "is empty");
  const size_t colon = pattern.find(':');
  if (colon == absl::string_view::npos) return BadAction(pattern, "has no service prefix");
  const absl::string_view service = pattern.substr(0, colon);
  const absl::string_view name = pattern.substr(colon + 1);
  if (service.empty()) return BadAction(pattern, "has an empty service prefix");
  if (service.size() > kMaxServicePrefixLength) {
    return BadAction(pattern, "has a service prefix longer than 64 characters");
  }
  for (char c : service) {
    if (!IsServiceChar(c)) {
      return BadAction(pattern,
                       "has a service prefix with characters other than letters, digits and '-' "
                       "(the service part cannot be a wildcard)");
    }
  }
  if (name.empty()) return BadAction(pattern, "has an empty action name");
  for (char c : name) {
    if (!IsActionNameChar(c)) {
      return BadAction(
          pattern, "has an action name with characters other than letters, digits, '*' and '?'");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePrincipalPattern(absl::string_view pattern) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("principal \"", absl::CHexEscape(pattern), "\" ", why,
                     "; expected a name (glob allowed), \"group:<name>\" or \"*\""));
  };
  if (pattern.empty()) return bad("is empty");
  for (char c : pattern) {
    const auto u = static_cast<unsigned char>(c);
    if (absl::ascii_isspace(u) || absl::ascii_iscntrl(u)) {
      return bad("contains whitespace or control characters");
    }
  }
  if (absl::StartsWith(pattern, kGroupPrefix) && pattern.size() == kGroupPrefix.size()) {
    return bad("names no group");
  }
  return absl::OkStatus();
}

absl::string_view ActionService(absl::string_view action) {
  const size_t colon = action.find(':');
  return colon == absl::string_view::npos ? absl::string_view() : action.substr(0, colon);
}

PrincipalMatcher::PrincipalMatcher(absl::Span<const std::string> patterns) {
  entries_.reserve(patterns.size());
  for (const std::string& pattern : patterns) {
    if (pattern == "*") {
      entries_.push_back({Kind::kAnyone, ""});
    } else if (absl::StartsWith(pattern, kGroupPrefix)) {
      entries_.push_back({Kind::kGroup, pattern.substr(kGroupPrefix.size())});
    } else {
      entries_.push_back({Kind::kName, pattern});
    }
  }
}

PrincipalMatcher::Match PrincipalMatcher::Find(absl::string_view principal,
                                               absl::Span<const std::string> groups) const {
  if (principal.empty()) return {};
  for (const Entry& entry : entries_) {
    switch (entry.kind) {
      case Kind::kAnyone:
        return {true, {}};
      case Kind::kName:
        if (GlobMatch(entry.glob, principal)) return {true, {}};
        break;
      case Kind::kGroup:
        for (const std::string& group : groups) {
          if (GlobMatch(entry.glob, group)) return {true, group};
        }
        break;
    }
  }
  return {};
}

}  // namespace awsgw::auth::policy
