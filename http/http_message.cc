// Helpers over the HttpRequest model: case-insensitive header lookup and the
// raw query-string split/join used by translators, signer and verifier.
#include "http/http_message.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace awsgw::http {

const HttpHeader* FindHeader(const HttpHeaders& headers, absl::string_view name) {
  for (const HttpHeader& header : headers) {
    if (absl::EqualsIgnoreCase(header.name, name)) return &header;
  }
  return nullptr;
}

int CountHeaders(const HttpHeaders& headers, absl::string_view name) {
  return static_cast<int>(std::count_if(headers.begin(), headers.end(), [&](const HttpHeader& h) {
    return absl::EqualsIgnoreCase(h.name, name);
  }));
}

void RemoveHeaders(HttpHeaders& headers, absl::string_view name) {
  std::erase_if(headers, [&](const HttpHeader& h) { return absl::EqualsIgnoreCase(h.name, name); });
}

void SetHeader(HttpHeaders& headers, absl::string_view name, std::string value) {
  RemoveHeaders(headers, name);
  headers.push_back(HttpHeader{std::string(name), std::move(value)});
}

const QueryParam* FindQueryParam(const QueryParams& query, absl::string_view key) {
  for (const QueryParam& param : query) {
    if (param.key == key) return &param;
  }
  return nullptr;
}

int CountQueryParams(const QueryParams& query, absl::string_view key) {
  return static_cast<int>(
      std::count_if(query.begin(), query.end(), [&](const QueryParam& p) { return p.key == key; }));
}

void RemoveQueryParams(QueryParams& query, absl::string_view key) {
  std::erase_if(query, [&](const QueryParam& p) { return p.key == key; });
}

QueryParams ParseQueryString(absl::string_view raw) {
  QueryParams params;
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    absl::string_view item = raw.substr(0, amp);
    raw = amp == absl::string_view::npos ? absl::string_view() : raw.substr(amp + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == absl::string_view::npos) {
      params.push_back(QueryParam{std::string(item), std::string()});
    } else {
      params.push_back(
          QueryParam{std::string(item.substr(0, eq)), std::string(item.substr(eq + 1))});
    }
  }
  return params;
}

std::string FormatQueryString(const QueryParams& query) {
  std::string out;
  for (const QueryParam& param : query) {
    if (!out.empty()) out.push_back('&');
    absl::StrAppend(&out, param.key, "=", param.value);
  }
  return out;
}

void SetRequestTarget(HttpRequest& request, absl::string_view target) {
  size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  request.query = question == absl::string_view::npos
                      ? QueryParams()
                      : ParseQueryString(target.substr(question + 1));
}

std::string RequestTarget(const HttpRequest& request) {
  if (request.query.empty()) return request.path;
  return absl::StrCat(request.path, "?", FormatQueryString(request.query));
}

}  // namespace awsgw::http
