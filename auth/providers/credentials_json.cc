#include "auth/providers/credentials_json.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "boost/json/parse.hpp"
#include "boost/json/value.hpp"

namespace awsgw::auth::providers {

absl::StatusOr<absl::Time> ParseIso8601(absl::string_view text) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, std::string(text), &time, &error)) {
    // absl::ParseTime also reads "infinite-future" and "infinite-past",
    // which no credential source means.
    if (time != absl::InfiniteFuture() && time != absl::InfinitePast()) return time;
    error = "not a finite instant";
  }
  return absl::InvalidArgumentError(absl::StrCat("not an ISO 8601 time: ", error));
}

absl::StatusOr<Credentials> ParseCredentialsJson(absl::string_view body,
                                                 CredentialsJsonFormat format,
                                                 absl::string_view source) {
  auto fail = [&source](absl::string_view why) {
    return absl::UnavailableError(absl::StrCat(source, ": ", why));
  };
  boost::system::error_code ec;
  boost::json::value document =
      boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
  if (ec) return fail("the answer is not valid JSON");
  const boost::json::object* object = document.if_object();
  if (object == nullptr) return fail("the answer is not a JSON object");

  // The string member `name`: nullopt when absent, an error when not a string.
  auto string_member = [&](const char* name) -> absl::StatusOr<std::optional<std::string>> {
    const boost::json::value* value = object->if_contains(name);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_string()) return fail(absl::StrCat(name, " is not a string"));
    return std::string(value->get_string());
  };

  if (format == CredentialsJsonFormat::kProcess) {
    const boost::json::value* version = object->if_contains("Version");
    if (version == nullptr) return fail("Version is missing (expected 1)");
    if (!version->is_int64() || version->get_int64() != 1) {
      return fail("unsupported Version (expected 1)");
    }
  } else {
    absl::StatusOr<std::optional<std::string>> code = string_member("Code");
    if (!code.ok()) return code.status();
    if (code->has_value() && **code != "Success") {
      return fail(absl::StrCat("the answer's Code is '", **code, "', not 'Success'"));
    }
  }

  absl::StatusOr<std::optional<std::string>> id = string_member("AccessKeyId");
  if (!id.ok()) return id.status();
  absl::StatusOr<std::optional<std::string>> secret = string_member("SecretAccessKey");
  if (!secret.ok()) return secret.status();
  absl::StatusOr<std::optional<std::string>> token =
      string_member(format == CredentialsJsonFormat::kProcess ? "SessionToken" : "Token");
  if (!token.ok()) return token.status();
  absl::StatusOr<std::optional<std::string>> expiration = string_member("Expiration");
  if (!expiration.ok()) return expiration.status();

  if (!id->has_value() || (*id)->empty()) return fail("AccessKeyId is missing");
  if (!secret->has_value() || (*secret)->empty()) return fail("SecretAccessKey is missing");
  std::optional<absl::Time> expires;
  if (expiration->has_value()) {
    absl::StatusOr<absl::Time> parsed = ParseIso8601(**expiration);
    if (!parsed.ok()) return fail(absl::StrCat("Expiration: ", parsed.status().message()));
    expires = *parsed;
  }
  return Credentials(**id, **secret, token->value_or(""), expires);
}

}  // namespace awsgw::auth::providers
