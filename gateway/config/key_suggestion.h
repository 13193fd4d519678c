// "Did you mean ...?" for a misspelled configuration key.
#ifndef AWSGW_GATEWAY_CONFIG_KEY_SUGGESTION_H_
#define AWSGW_GATEWAY_CONFIG_KEY_SUGGESTION_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace awsgw::gateway::config {

// The key of `known` nearest to `key` by edit distance (case-insensitive),
// when it is close enough to be a likely typo: at most 2 edits, and fewer
// than half the length of `key`. Empty when nothing is that close.
std::string NearestKey(absl::string_view key, absl::Span<const absl::string_view> known);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_KEY_SUGGESTION_H_
