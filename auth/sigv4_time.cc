// SigV4 date formatting and parsing. Formatting is hand-rolled because it
// runs on every signature and absl::FormatTime / time-zone lookups are
// several times slower.
#include "auth/sigv4_time.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsgw::auth {
namespace {

void PutDigits(int64_t value, int width, char* out) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

bool ParseDigits(absl::string_view text, int64_t& value) {
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return !text.empty();
}

}  // namespace

std::string FormatAmzDate(absl::Time time) {
  // Whole seconds, rounded toward the past, then the proleptic Gregorian
  // civil date from the day count (H. Hinnant's civil_from_days): cheaper
  // than a time-zone lookup, and UTC needs none.
  const int64_t seconds = absl::ToUnixSeconds(time);
  int64_t days = seconds / 86400;
  int64_t second_of_day = seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) {
    return absl::FormatTime("%Y%m%dT%H%M%SZ", time, absl::UTCTimeZone());
  }
  std::string out(16, '\0');
  PutDigits(year, 4, &out[0]);
  PutDigits(month, 2, &out[4]);
  PutDigits(day, 2, &out[6]);
  out[8] = 'T';
  PutDigits(second_of_day / 3600, 2, &out[9]);
  PutDigits(second_of_day / 60 % 60, 2, &out[11]);
  PutDigits(second_of_day % 60, 2, &out[13]);
  out[15] = 'Z';
  return out;
}

std::string FormatScopeDate(absl::Time time) { return FormatAmzDate(time).substr(0, 8); }

absl::StatusOr<absl::Time> ParseAmzDate(absl::string_view text) {
  int64_t year, month, day, hour, minute, second;
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z' ||
      !ParseDigits(text.substr(0, 4), year) || !ParseDigits(text.substr(4, 2), month) ||
      !ParseDigits(text.substr(6, 2), day) || !ParseDigits(text.substr(9, 2), hour) ||
      !ParseDigits(text.substr(11, 2), minute) || !ParseDigits(text.substr(13, 2), second)) {
    return absl::InvalidArgumentError(
        absl::StrCat("date must be in ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z', got '",
                     text.substr(0, 32), "'"));
  }
  absl::CivilSecond civil(year, month, day, hour, minute, second);
  // CivilSecond normalizes out-of-range fields (month 13 -> next January);
  // a round trip that changes a field means the input was not a real date.
  if (civil.year() != year || civil.month() != month || civil.day() != day ||
      civil.hour() != hour || civil.minute() != minute || civil.second() != second) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a valid calendar time"));
  }
  return absl::FromCivil(civil, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseHttpDate(absl::string_view text) {
  absl::Time time;
  std::string error;
  if (text.size() > 64 || !absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", std::string(text),
                                           absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not an HTTP-date like 'Sun, 30 Aug 2015 12:36:00 GMT': '", text.substr(0, 64), "'"));
  }
  return time;
}

}  // namespace awsgw::auth
