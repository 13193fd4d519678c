// Validation of SigningConfig, done once per Sign() call before any work.
#include "auth/signing_config.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace awsgw::auth {
namespace {

absl::Status ValidateScopePart(absl::string_view what, absl::string_view value) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("signing ", what, " is empty"));
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '/' || u <= 0x20 || u == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat("signing ", what, " '", value, "' contains '/', whitespace or a control"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSigningConfig(const SigningConfig& config) {
  if (absl::Status s = ValidateScopePart("region", config.region); !s.ok()) return s;
  if (absl::Status s = ValidateScopePart("service", config.service); !s.ok()) return s;
  if (config.signing_time == absl::InfinitePast() ||
      config.signing_time == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("signing time is infinite");
  }
  if (config.location == SignatureLocation::kQueryString) {
    if (config.expires < absl::Seconds(1) || config.expires > absl::Hours(24 * 7) ||
        config.expires != absl::Seconds(absl::ToInt64Seconds(config.expires))) {
      return absl::InvalidArgumentError(absl::StrCat("X-Amz-Expires must be whole seconds in [1, ",
                                                     24 * 7 * 3600, "], got ",
                                                     absl::FormatDuration(config.expires)));
    }
  }
  return absl::OkStatus();
}

}  // namespace awsgw::auth
