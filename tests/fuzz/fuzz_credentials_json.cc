// Credential JSON from a hostile or broken source: a credential_process
// program's output, the container credentials endpoint or IMDS
// (auth/providers/credentials_json.h), and the ISO 8601 expiry inside it.
// The first byte picks the format (kProcess, kMetadata); the rest is the
// document, and is also read as a time on its own.
//
// Invariants: nothing crashes; parsed credentials have a non-empty key id
// and secret and a finite expiry, if any; a refusal is UNAVAILABLE reading
// "fuzz: ..."; the outcome does not depend on the secret's value (the same
// document with another non-empty SecretAccessKey gives the same refusal),
// so no message can quote it; a time that parses is finite and reads back
// from its own RFC 3339 form.
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "auth/providers/credentials_json.h"
#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "boost/json/value.hpp"
#include "tests/fuzz/fuzz_support.h"

namespace {

using awsgw::auth::providers::CredentialsJsonFormat;
using awsgw::auth::providers::ParseCredentialsJson;

bool Finite(absl::Time t) { return t != absl::InfiniteFuture() && t != absl::InfinitePast(); }

void CheckTime(const std::string& text) {
  absl::StatusOr<absl::Time> time = awsgw::auth::providers::ParseIso8601(text);
  if (!time.ok()) {
    if (time.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return;
  }
  if (!Finite(*time)) std::abort();
  const std::string printed = absl::FormatTime(absl::RFC3339_full, *time, absl::UTCTimeZone());
  absl::StatusOr<absl::Time> again = awsgw::auth::providers::ParseIso8601(printed);
  if (!again.ok() || *again != *time) std::abort();
}

// A document with a non-empty string SecretAccessKey fares the same with
// another one: both are printed by Boost.JSON, so only the secret differs.
void CheckSecretIndependence(const std::string& body, CredentialsJsonFormat format) {
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(body, ec);
  if (ec || !document.is_object()) return;
  boost::json::object& object = document.as_object();
  boost::json::value* secret = object.if_contains("SecretAccessKey");
  if (secret == nullptr || !secret->is_string() || secret->get_string().empty()) return;
  const std::string original = boost::json::serialize(document);
  *secret = "fuzz-other-secret";
  const std::string replaced = boost::json::serialize(document);
  absl::StatusOr<awsgw::auth::Credentials> a = ParseCredentialsJson(original, format, "fuzz");
  absl::StatusOr<awsgw::auth::Credentials> b = ParseCredentialsJson(replaced, format, "fuzz");
  if (a.ok() != b.ok() || (!a.ok() && a.status() != b.status())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  awsgw::fuzz::Input input(data, size);
  const CredentialsJsonFormat format =
      (input.Byte() & 1) != 0 ? CredentialsJsonFormat::kMetadata : CredentialsJsonFormat::kProcess;
  const std::string body = input.Rest();
  absl::StatusOr<awsgw::auth::Credentials> credentials = ParseCredentialsJson(body, format, "fuzz");
  if (credentials.ok()) {
    if (credentials->access_key_id().empty() || credentials->secret_access_key().empty() ||
        (credentials->expiration().has_value() && !Finite(*credentials->expiration()))) {
      std::abort();
    }
  } else if (credentials.status().code() != absl::StatusCode::kUnavailable ||
             !absl::StartsWith(credentials.status().message(), "fuzz: ")) {
    std::abort();
  }
  CheckSecretIndependence(body, format);
  CheckTime(body);
  return 0;
}
