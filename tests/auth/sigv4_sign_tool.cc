// sigv4_sign_tool: a test helper that signs requests given as JSON, one per
// line on stdin, and prints one JSON result per line on stdout. It lets
// botocore_sigv4_diff_test.py compare this library with botocore.
//
// Input line:
//   {"method": "POST", "path": "/wire/path", "query": "raw&query=string",
//    "headers": [["Name", "value"], ...], "body": "...",
//    "access_key_id": "...", "secret_access_key": "...", "session_token": "",
//    "region": "us-east-1", "service": "ecs", "timestamp": "20150830T123600Z",
//    "unsigned_payload": false}
// Output line:
//   {"ok": true, "canonical_request": "...", "string_to_sign": "...",
//    "authorization": "...", "x_amz_date": "...", "x_amz_security_token": null|"...",
//    "x_amz_content_sha256": null|"..."}
//   or {"ok": false, "error": "..."}.
// Exit status 0 unless stdin holds a line that is not a JSON object.
#include <iostream>
#include <string>

#include "absl/status/statusor.h"
#include "auth/credentials.h"
#include "auth/http_request.h"
#include "auth/sigv4_signer.h"
#include "auth/sigv4_time.h"
#include "boost/json.hpp"

namespace {

namespace json = boost::json;
using awsgw::auth::Credentials;
using awsgw::auth::FindHeader;
using awsgw::auth::HttpHeader;
using awsgw::auth::HttpRequest;
using awsgw::auth::SigningConfig;
using awsgw::auth::SigningResult;
using awsgw::auth::Sigv4Signer;

std::string GetString(const json::object& object, const char* key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

json::value HeaderOrNull(const HttpRequest& request, const char* name) {
  const HttpHeader* header = FindHeader(request.headers, name);
  return header == nullptr ? json::value(nullptr) : json::value(header->value);
}

json::object SignOne(const json::object& input, const Sigv4Signer& signer) {
  HttpRequest request;
  request.method = GetString(input, "method");
  request.path = GetString(input, "path");
  request.query = awsgw::auth::ParseQueryString(GetString(input, "query"));
  request.body = GetString(input, "body");
  if (const json::value* headers = input.if_contains("headers"); headers && headers->is_array()) {
    for (const json::value& pair : headers->as_array()) {
      const json::array& items = pair.as_array();
      request.headers.push_back(
          HttpHeader{std::string(items.at(0).as_string()), std::string(items.at(1).as_string())});
    }
  }
  absl::StatusOr<absl::Time> time = awsgw::auth::ParseAmzDate(GetString(input, "timestamp"));
  if (!time.ok()) return {{"ok", false}, {"error", std::string(time.status().message())}};

  SigningConfig config;
  config.region = GetString(input, "region");
  config.service = GetString(input, "service");
  config.signing_time = *time;
  if (const json::value* unsigned_payload = input.if_contains("unsigned_payload");
      unsigned_payload != nullptr && unsigned_payload->is_bool() && unsigned_payload->as_bool()) {
    config.payload_hash_mode = awsgw::auth::PayloadHashMode::kUnsignedPayload;
    config.add_content_sha256_header = true;
  }
  Credentials credentials(GetString(input, "access_key_id"), GetString(input, "secret_access_key"),
                          GetString(input, "session_token"));

  absl::StatusOr<SigningResult> result = signer.Sign(request, credentials, config);
  if (!result.ok()) return {{"ok", false}, {"error", result.status().ToString()}};
  return {{"ok", true},
          {"canonical_request", result->canonical_request},
          {"string_to_sign", result->string_to_sign},
          {"authorization", result->authorization},
          {"x_amz_date", HeaderOrNull(request, "X-Amz-Date")},
          {"x_amz_security_token", HeaderOrNull(request, "X-Amz-Security-Token")},
          {"x_amz_content_sha256", HeaderOrNull(request, "x-amz-content-sha256")}};
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  Sigv4Signer signer;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    json::error_code ec;
    json::value input = json::parse(line, ec);
    if (ec || !input.is_object()) {
      std::cerr << "sigv4_sign_tool: input line is not a JSON object: " << line.substr(0, 80)
                << "\n";
      return 2;
    }
    std::cout << json::serialize(SignOne(input.as_object(), signer)) << "\n";
  }
  return 0;
}
