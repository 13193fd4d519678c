// Single values as text, for members bound to URI labels, query parameters
// and headers (everything outside a JSON body).
//
//   strings as they are (jsonvalue headers base64-encoded), blobs base64,
//   integers in decimal, floats as AWS writes them ("1.5", "NaN"), booleans
//   "true"/"false", enums as their AWS strings, timestamps in the member's
//   format or the location's default (ISO 8601 in URIs and queries,
//   HTTP-date in headers).
#ifndef AWSGW_TRANSLATORS_WIRE_VALUES_H_
#define AWSGW_TRANSLATORS_WIRE_VALUES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "translators/message_binding.h"

namespace awsgw::translators {

// The text of field `f` of `message` (element `index` when repeated, -1 when
// singular). INVALID_ARGUMENT for an enum value with no AWS string.
absl::StatusOr<std::string> FormatScalar(const google::protobuf::Message& message,
                                         const google::protobuf::FieldDescriptor* f, int index,
                                         const MemberInfo& member, Location location);

// Parses `text` into field `f` of `target` (appended when `add`). Returns true
// when `f` is an enum and `text` is not a value this build knows (the enum is
// then set to 0). INVALID_ARGUMENT when `text` does not parse.
absl::StatusOr<bool> ParseScalar(absl::string_view text, google::protobuf::Message* target,
                                 const google::protobuf::FieldDescriptor* f, bool add,
                                 const MemberInfo& member, Location location);

// All values of a member bound outside the body, as text: one for a singular
// field, one per element for a list (the `_raw` sibling's strings when it is
// set). Map fields are not handled here.
absl::StatusOr<std::vector<std::string>> FormatMember(const google::protobuf::Message& message,
                                                      const FieldBinding& binding,
                                                      Location location);

// Parses the texts of one member (one for singular fields, any number for
// lists), keeping enum strings this build does not know in the `_raw` sibling.
absl::Status ParseMember(const std::vector<std::string>& texts, google::protobuf::Message* message,
                         const FieldBinding& binding, Location location);

// A header list value: items joined with ", ", string items that contain a
// comma or a quote double-quoted with backslash escapes.
std::string JoinHeaderList(const std::vector<std::string>& items, bool quote_items);

// Splits a header list value. HTTP-dates contain a comma of their own, so
// `http_dates` rejoins "Mon" with " 16 Dec 2019 23:48:18 GMT".
std::vector<std::string> SplitHeaderList(absl::string_view value, bool http_dates);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_WIRE_VALUES_H_
