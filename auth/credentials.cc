// Credentials' redacting printer: the one place that decides what of a
// credential may appear in text.
#include "auth/credentials.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace awsgw::auth {

Credentials::Credentials(std::string access_key_id, absl::string_view secret_access_key,
                         absl::string_view session_token, std::optional<absl::Time> expiration)
    : access_key_id_(std::move(access_key_id)),
      secret_access_key_(secret_access_key),
      session_token_(session_token),
      expiration_(expiration) {}

std::string Credentials::DebugString() const {
  return absl::StrCat("Credentials{access_key_id=", access_key_id_,
                      ", secret_access_key=", secret_access_key_.empty() ? "<empty>" : "<redacted>",
                      ", session_token=", session_token_.empty() ? "<none>" : "<redacted>",
                      ", expiration=",
                      expiration_.has_value()
                          ? absl::FormatTime(absl::RFC3339_sec, *expiration_, absl::UTCTimeZone())
                          : std::string("<never>"),
                      "}");
}

}  // namespace awsgw::auth
