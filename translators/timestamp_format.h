// Timestamps in the three textual forms AWS protocols use, to and from
// google.protobuf.Timestamp.
//
//   epoch seconds  1576540098 or 1576540098.123   (JSON bodies, "unixTimestamp")
//   ISO 8601       2019-12-16T23:48:18Z           (URI labels, query strings)
//   HTTP-date      Mon, 16 Dec 2019 23:48:18 GMT  (headers, "rfc822")
//
// Parsing is lenient in the way AWS SDKs are: any of the three forms is
// accepted wherever a timestamp is read, ISO 8601 with offsets and fractions.
#ifndef AWSGW_TRANSLATORS_TIMESTAMP_FORMAT_H_
#define AWSGW_TRANSLATORS_TIMESTAMP_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "awsgw/options.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace awsgw::translators {

// The format to use for a member: its explicit format, else the protocol's
// default for where it is bound.
TimestampFormat EffectiveFormat(TimestampFormat member_format, Location location);

// Text of `ts` in `format` (which must not be TIMESTAMP_FORMAT_DEFAULT).
std::string FormatTimestamp(const google::protobuf::Timestamp& ts, TimestampFormat format);

// Epoch seconds as a double, for JSON numbers.
double ToEpochSeconds(const google::protobuf::Timestamp& ts);

// Parses any of the three forms. INVALID_ARGUMENT when `text` is none of them.
absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(absl::string_view text);

// From epoch seconds (a JSON number), rounded to the microsecond as AWS
// SDKs do; INVALID_ARGUMENT when out of the Timestamp range or not finite.
absl::StatusOr<google::protobuf::Timestamp> TimestampFromEpochSeconds(double seconds);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_TIMESTAMP_FORMAT_H_
