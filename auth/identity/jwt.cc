#include "auth/identity/jwt.h"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "auth/identity/base64url.h"

namespace awsgw::auth::identity {
namespace {

// A decoded part as a JSON object, or nullopt.
std::optional<boost::json::object> DecodeJsonObject(absl::string_view encoded) {
  std::optional<std::string> bytes = Base64UrlDecode(encoded);
  if (!bytes.has_value()) return std::nullopt;
  std::optional<boost::json::value> value = ParseBoundedJson(*bytes);
  if (!value.has_value() || !value->is_object()) return std::nullopt;
  return std::move(value->get_object());
}

}  // namespace

std::optional<boost::json::value> ParseBoundedJson(absl::string_view json) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(boost::json::string_view(json.data(), json.size()),
                                                ec, boost::json::storage_ptr(), options);
  if (ec) return std::nullopt;
  return value;
}

absl::StatusOr<ParsedJwt> ParseCompactJwt(absl::string_view token, size_t max_token_bytes) {
  if (token.size() > max_token_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("token is ", token.size(), " bytes, over the limit of ", max_token_bytes));
  }
  const size_t first_dot = token.find('.');
  const size_t second_dot =
      first_dot == absl::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == absl::string_view::npos ||
      token.find('.', second_dot + 1) != absl::string_view::npos) {
    return absl::InvalidArgumentError("token is not three dot-separated parts");
  }
  const absl::string_view header_part = token.substr(0, first_dot);
  const absl::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const absl::string_view signature_part = token.substr(second_dot + 1);
  if (header_part.empty() || payload_part.empty() || signature_part.empty()) {
    return absl::InvalidArgumentError("token has an empty part");
  }

  ParsedJwt jwt;
  std::optional<boost::json::object> header = DecodeJsonObject(header_part);
  if (!header.has_value()) {
    return absl::InvalidArgumentError("token header is not base64url of a JSON object");
  }
  const boost::json::value* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string()) {
    return absl::InvalidArgumentError("token header has no string \"alg\"");
  }
  jwt.alg = std::string(alg->get_string());
  if (const boost::json::value* kid = header->if_contains("kid"); kid != nullptr) {
    if (!kid->is_string())
      return absl::InvalidArgumentError("token header \"kid\" is not a string");
    jwt.kid = std::string(kid->get_string());
  }
  if (header->contains("crit")) {
    return absl::InvalidArgumentError(
        "token header has \"crit\" extensions, which this gateway does not understand");
  }
  jwt.header = *std::move(header);

  std::optional<boost::json::object> claims = DecodeJsonObject(payload_part);
  if (!claims.has_value()) {
    return absl::InvalidArgumentError("token payload is not base64url of a JSON object");
  }
  jwt.claims = *std::move(claims);

  std::optional<std::string> signature = Base64UrlDecode(signature_part);
  if (!signature.has_value()) {
    return absl::InvalidArgumentError("token signature is not base64url");
  }
  jwt.signature = *std::move(signature);
  jwt.signing_input = std::string(token.substr(0, second_dot));
  return jwt;
}

}  // namespace awsgw::auth::identity
