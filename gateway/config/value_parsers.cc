#include "gateway/config/value_parsers.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace awsgw::gateway::config {

std::optional<absl::Duration> ParseDuration(absl::string_view text) {
  // absl::ParseDuration also takes "inf", "-1s" and a unitless "0"; none of
  // them is a sensible timeout, so only digits, '.' and unit letters pass.
  if (text.empty() || !absl::ascii_isdigit(text.front()) || !absl::ascii_isalpha(text.back())) {
    return std::nullopt;
  }
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && !absl::ascii_isalpha(c) && c != '.') return std::nullopt;
  }
  absl::Duration duration;
  if (!absl::ParseDuration(text, &duration)) return std::nullopt;
  return duration;
}

std::optional<int64_t> ParseInteger(absl::string_view text) {
  // SimpleAtoi skips surrounding whitespace; a config value should not have any.
  if (text.empty() || absl::ascii_isspace(text.front()) || absl::ascii_isspace(text.back())) {
    return std::nullopt;
  }
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) return std::nullopt;
  return value;
}

bool IsHostPort(absl::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) return false;
  absl::string_view host = text.substr(0, colon);
  absl::string_view port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5) return false;
  for (char c : port) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  int port_number = 0;
  if (!absl::SimpleAtoi(port, &port_number) || port_number > 65535) return false;
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  } else if (absl::StrContains(host, ':')) {
    return false;  // an IPv6 host needs brackets, or its last ':' is ambiguous
  }
  if (host.empty()) return false;
  for (char c : host) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '-' && c != '_' && c != ':' && c != '%') {
      return false;
    }
  }
  return true;
}

std::optional<bool> ParseBool(absl::string_view text) {
  if (absl::EqualsIgnoreCase(text, "true")) return true;
  if (absl::EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

}  // namespace awsgw::gateway::config
