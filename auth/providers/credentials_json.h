// Credentials in the JSON shape shared by credential_process, the container
// credentials endpoint and the instance metadata service:
//
//   {"AccessKeyId": "...", "SecretAccessKey": "...",
//    "SessionToken" | "Token": "...", "Expiration": "2026-11-23T12:00:00Z"}
//
// Error messages name the source and the missing or malformed field, never a
// value (the document holds secrets).
#ifndef AWSGW_AUTH_PROVIDERS_CREDENTIALS_JSON_H_
#define AWSGW_AUTH_PROVIDERS_CREDENTIALS_JSON_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "auth/credentials.h"

namespace awsgw::auth::providers {

enum class CredentialsJsonFormat {
  // credential_process: "Version": 1 required, token in "SessionToken".
  kProcess,
  // Container endpoint and IMDS: token in "Token"; IMDS adds "Code":
  // "Success", which is checked when present.
  kMetadata,
};

absl::StatusOr<Credentials> ParseCredentialsJson(absl::string_view body,
                                                 CredentialsJsonFormat format,
                                                 absl::string_view source);

// An ISO 8601 / RFC 3339 instant ("2026-11-23T12:00:00Z", fractions and
// offsets allowed). INVALID_ARGUMENT for anything else, "infinite-future"
// and "infinite-past" (which absl::ParseTime reads) included.
absl::StatusOr<absl::Time> ParseIso8601(absl::string_view text);

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_CREDENTIALS_JSON_H_
