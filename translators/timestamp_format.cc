#include "translators/timestamp_format.h"

#include <charconv>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace awsgw::translators {
namespace {

// google.protobuf.Timestamp's range: 0001-01-01 to 9999-12-31.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

absl::StatusOr<google::protobuf::Timestamp> FromTime(absl::Time t) {
  google::protobuf::Timestamp ts;
  int64_t seconds = absl::ToUnixSeconds(t);
  if (t < absl::FromUnixSeconds(seconds)) --seconds;  // floor for pre-1970 times
  if (seconds < kMinSeconds || seconds > kMaxSeconds) {
    return absl::InvalidArgumentError("timestamp out of range");
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
  return ts;
}

// Fraction digits: none for whole seconds, microseconds where that is exact
// (what AWS SDKs write), nanoseconds otherwise.
std::string Fraction(int32_t nanos) {
  if (nanos == 0) return "";
  if (nanos % 1000 == 0) return absl::StrFormat(".%06d", nanos / 1000);
  return absl::StrFormat(".%09d", nanos);
}

}  // namespace

TimestampFormat EffectiveFormat(TimestampFormat member_format, Location location) {
  if (member_format != TIMESTAMP_FORMAT_DEFAULT) return member_format;
  switch (location) {
    case LOCATION_HEADER:
    case LOCATION_HEADERS:
      return TIMESTAMP_FORMAT_RFC822;
    case LOCATION_URI:
    case LOCATION_QUERYSTRING:
      return TIMESTAMP_FORMAT_ISO8601;
    default:
      return TIMESTAMP_FORMAT_UNIX;
  }
}

double ToEpochSeconds(const google::protobuf::Timestamp& ts) {
  return static_cast<double>(ts.seconds()) + ts.nanos() / 1e9;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts, TimestampFormat format) {
  const absl::Time t = absl::FromUnixSeconds(ts.seconds());
  switch (format) {
    case TIMESTAMP_FORMAT_ISO8601:
      return absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%S", t, absl::UTCTimeZone()),
                          Fraction(ts.nanos()), "Z");
    case TIMESTAMP_FORMAT_RFC822:
      return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", t, absl::UTCTimeZone());
    default: {
      if (ts.nanos() == 0) return absl::StrCat(ts.seconds());
      // Whole seconds, then the fraction with trailing zeros removed. Before
      // 1970 the value is seconds + nanos (nanos is never negative): -1.5 is
      // {-2, 500000000}.
      const bool negative = ts.seconds() < 0;
      const int64_t whole = negative ? -(ts.seconds() + 1) : ts.seconds();
      const int32_t frac = negative ? 1000000000 - ts.nanos() : ts.nanos();
      std::string text = absl::StrCat(negative ? "-" : "", whole, absl::StrFormat(".%09d", frac));
      while (text.back() == '0') text.pop_back();
      return text;
    }
  }
}

absl::StatusOr<google::protobuf::Timestamp> TimestampFromEpochSeconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < kMinSeconds || seconds > kMaxSeconds + 1) {
    return absl::InvalidArgumentError("timestamp out of range");
  }
  const double whole = std::floor(seconds);
  int64_t micros = std::llround((seconds - whole) * 1e6);
  int64_t secs = static_cast<int64_t>(whole);
  if (micros == 1000000) {
    ++secs;
    micros = 0;
  }
  google::protobuf::Timestamp ts;
  ts.set_seconds(secs);
  ts.set_nanos(static_cast<int32_t>(micros * 1000));
  return ts;
}

absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return absl::InvalidArgumentError("empty timestamp");
  // Epoch seconds, possibly fractional.
  if (text.find_first_not_of("+-0123456789.eE") == absl::string_view::npos) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) {
      return TimestampFromEpochSeconds(value);
    }
  }
  absl::Time t;
  std::string err;
  const std::string s(text);
  // ISO 8601 / RFC 3339, with 'T' or ' ', fractions, 'Z' or an offset.
  for (const char* format : {"%Y-%m-%d%ET%H:%M:%E*S%Ez", "%Y-%m-%d%ET%H:%M:%E*SZ",
                             "%Y-%m-%d%ET%H:%M:%E*Sz", "%Y-%m-%d %H:%M:%E*S%Ez"}) {
    if (absl::ParseTime(format, s, &t, &err)) return FromTime(t);
  }
  // HTTP-date (IMF-fixdate), and the obsolete RFC 850 and asctime forms.
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%E*S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    if (absl::ParseTime(format, s, absl::UTCTimeZone(), &t, &err)) return FromTime(t);
  }
  return absl::InvalidArgumentError(absl::StrCat("not a timestamp: \"", text, "\""));
}

}  // namespace awsgw::translators
