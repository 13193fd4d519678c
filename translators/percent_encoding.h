// RFC 3986 percent-encoding for URI labels and query strings.
#ifndef AWSGW_TRANSLATORS_PERCENT_ENCODING_H_
#define AWSGW_TRANSLATORS_PERCENT_ENCODING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace awsgw::translators {

// Encodes every byte except the unreserved set (A-Z a-z 0-9 - . _ ~), and
// except '/' when `keep_slash` (greedy URI labels). Uppercase hex.
std::string PercentEncode(absl::string_view text, bool keep_slash = false);

// Decodes %XX escapes (and nothing else: '+' stays '+'). INVALID_ARGUMENT on
// a malformed escape.
absl::StatusOr<std::string> PercentDecode(absl::string_view text);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_PERCENT_ENCODING_H_
