// HttpRequest -> Beast request, Beast response -> HttpResponse.
#include "http/client/wire_request.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace awsgw::http::client {
namespace {

namespace beast_http = boost::beast::http;

// Beast stores field lengths in 16 bits; stay well clear of it.
constexpr size_t kMaxHeaderPart = 64000;

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$%&'*+-.^_`|~").find(c) != absl::string_view::npos;
}

bool IsToken(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsTargetSafe(absl::string_view s) {
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '#') return false;
  }
  return true;
}

boost::beast::string_view Beast(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace

absl::StatusOr<WireRequest> ToWireRequest(const Endpoint& endpoint, http::HttpRequest request) {
  if (!IsToken(request.method)) {
    return absl::InvalidArgumentError("HTTP method is not a valid token");
  }
  if (request.path.empty() || request.path.front() != '/') {
    return absl::InvalidArgumentError("request path must start with '/'");
  }
  std::string target = endpoint.RequestPath(request.path);
  if (!IsTargetSafe(target) || target.find('?') != std::string::npos) {
    return absl::InvalidArgumentError(
        "request path holds a character not allowed in a request target");
  }
  if (!request.query.empty()) {
    std::string query = http::FormatQueryString(request.query);
    if (!IsTargetSafe(query)) {
      return absl::InvalidArgumentError(
          "query string holds a character not allowed in a request target");
    }
    absl::StrAppend(&target, "?", query);
  }
  if (target.size() > kMaxHeaderPart) {
    return absl::InvalidArgumentError("request target is too long");
  }

  WireRequest wire;
  wire.version(11);
  wire.method_string(Beast(request.method));
  wire.target(Beast(target));
  if (http::FindHeader(request.headers, "Host") == nullptr) {
    wire.insert(beast_http::field::host, endpoint.HostHeader());
  }
  bool has_content_length = false;
  for (const http::HttpHeader& header : request.headers) {
    if (!IsToken(header.name)) {
      return absl::InvalidArgumentError("a request header name is not a valid token");
    }
    if (header.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("header ", header.name, " holds CR, LF or NUL"));
    }
    if (header.name.size() > kMaxHeaderPart || header.value.size() > kMaxHeaderPart) {
      return absl::InvalidArgumentError(absl::StrCat("header ", header.name, " is too long"));
    }
    if (absl::EqualsIgnoreCase(header.name, "Transfer-Encoding")) {
      return absl::InvalidArgumentError(
          "Transfer-Encoding is not supported: the client sends whole bodies with Content-Length");
    }
    if (absl::EqualsIgnoreCase(header.name, "Content-Length")) {
      uint64_t declared = 0;
      if (has_content_length ||
          !absl::SimpleAtoi(absl::StripAsciiWhitespace(header.value), &declared) ||
          declared != request.body.size()) {
        return absl::InvalidArgumentError("Content-Length header does not match the body size");
      }
      has_content_length = true;
    }
    wire.insert(Beast(header.name), Beast(header.value));
  }
  bool method_has_body =
      request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (!has_content_length && (!request.body.empty() || method_has_body)) {
    wire.insert(beast_http::field::content_length, std::to_string(request.body.size()));
  }
  wire.body() = std::move(request.body);
  return wire;
}

http::HttpResponse FromWireResponse(WireResponse&& response) {
  http::HttpResponse model;
  model.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    model.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  model.body = std::move(response.body());
  return model;
}

}  // namespace awsgw::http::client
