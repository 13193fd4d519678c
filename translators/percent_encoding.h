// Strict percent-decoding for what the emulator receives in URI labels and
// query strings. Encoding is http::UriEncode (http/uri_encoding.h), the one
// encoder the signer uses too.
#ifndef AWSGW_TRANSLATORS_PERCENT_ENCODING_H_
#define AWSGW_TRANSLATORS_PERCENT_ENCODING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace awsgw::translators {

// Decodes %XX escapes (and nothing else: '+' stays '+'). INVALID_ARGUMENT on
// a malformed escape.
absl::StatusOr<std::string> PercentDecode(absl::string_view text);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_PERCENT_ENCODING_H_
