// The two time formats SigV4 uses: `X-Amz-Date` (ISO 8601 basic,
// `20150830T123600Z`) and the credential-scope date (`20150830`), plus the
// HTTP `Date` header form a verifier may have to accept instead.
//
// Times always come in as absl::Time from the caller: nothing here reads a
// clock, so signing dates are deterministic under test.
#ifndef AWSGW_AUTH_SIGV4_TIME_H_
#define AWSGW_AUTH_SIGV4_TIME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace awsgw::auth {

// `YYYYMMDDTHHMMSSZ` in UTC, sub-second part dropped.
std::string FormatAmzDate(absl::Time time);

// `YYYYMMDD` in UTC: the date in the credential scope.
std::string FormatScopeDate(absl::Time time);

// Parses `YYYYMMDDTHHMMSSZ` strictly (16 characters, valid calendar fields).
// Returns INVALID_ARGUMENT otherwise.
absl::StatusOr<absl::Time> ParseAmzDate(absl::string_view text);

// Parses an HTTP-date (RFC 7231 IMF-fixdate, `Sun, 30 Aug 2015 12:36:00 GMT`).
// Returns INVALID_ARGUMENT otherwise.
absl::StatusOr<absl::Time> ParseHttpDate(absl::string_view text);

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SIGV4_TIME_H_
