// Stage 1 of SigV4: canonical URI, query, headers and the canonical request.
// Written to run once per outbound call: one output buffer, header names
// lowercased into one arena, no per-header allocation in the common case.
#include "auth/canonical_request.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "http/uri_encoding.h"

namespace awsgw::auth {
namespace {

// Byte classes for the per-byte loops (header names and values run through
// them on every signature, so they are table-driven).
enum ByteClass : uint8_t { kPlain = 0, kBlank = 1, kForbidden = 2 };

constexpr std::array<uint8_t, 256> MakeValueClasses() {
  std::array<uint8_t, 256> classes{};
  classes[' '] = kBlank;
  classes['\t'] = kBlank;
  classes['\r'] = kForbidden;
  classes['\n'] = kForbidden;
  classes[0] = kForbidden;
  return classes;
}
constexpr std::array<uint8_t, 256> kValueClasses = MakeValueClasses();

// RFC 7230 tchar.
constexpr std::array<bool, 256> MakeTokenChars() {
  std::array<bool, 256> token{};
  for (int c = '0'; c <= '9'; ++c) token[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) token[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) token[c] = true;
  for (char c : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~'}) {
    token[static_cast<unsigned char>(c)] = true;
  }
  return token;
}
constexpr std::array<bool, 256> kTokenChars = MakeTokenChars();

// The lowercase of each token byte; 0 for bytes that are not token bytes.
constexpr std::array<char, 256> MakeTokenLower() {
  std::array<char, 256> lower{};
  for (int c = 0; c < 256; ++c) {
    if (kTokenChars[c]) lower[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
  return lower;
}
constexpr std::array<char, 256> kTokenLower = MakeTokenLower();

bool IsToken(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!kTokenChars[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// True when NormalizePath would change `path` (it has an empty segment other
// than a trailing slash, or a "." or ".." segment). Saves an allocation on
// the common, already-normal path.
bool NeedsNormalization(absl::string_view path) {
  absl::string_view rest = path.substr(1);
  while (true) {
    size_t slash = rest.find('/');
    absl::string_view segment = rest.substr(0, slash);
    if (segment == "." || segment == "..") return true;
    if (slash == absl::string_view::npos) return false;
    if (segment.empty()) return true;
    rest = rest.substr(slash + 1);
  }
}

struct HeaderEntry {
  absl::string_view name;   // lowercase, points into the names arena
  absl::string_view value;  // raw value from the request
  size_t order;
};

// Appends "name:v1,v2\n" for each group of equal names in sorted `entries`
// and the signed-header list. Returns INVALID_ARGUMENT for a value with CR,
// LF or NUL.
absl::Status AppendHeaders(absl::Span<const HeaderEntry> entries, std::string& text,
                           std::string& signed_headers) {
  for (size_t i = 0; i < entries.size();) {
    absl::string_view name = entries[i].name;
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers.append(name.data(), name.size());
    text.append(name.data(), name.size());
    text.push_back(':');
    bool first = true;
    for (; i < entries.size() && entries[i].name == name; ++i) {
      if (!first) text.push_back(',');
      first = false;
      if (!AppendCanonicalHeaderValue(entries[i].value, text)) {
        return absl::InvalidArgumentError(
            absl::StrCat("header '", name.substr(0, 64), "' has a CR, LF or NUL in its value"));
      }
    }
    text.push_back('\n');
  }
  return absl::OkStatus();
}

absl::Status ValidateSignedHeaderList(std::span<const std::string> names) {
  if (names.empty()) return absl::InvalidArgumentError("signed header list is empty");
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (!IsToken(name) || absl::AsciiStrToLower(name) != name) {
      return absl::InvalidArgumentError(
          absl::StrCat("signed header name '", name.substr(0, 64), "' is not a lowercase token"));
    }
    if (i > 0 && !(names[i - 1] < name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "signed header names are not strictly sorted at '", name.substr(0, 64), "'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsNeverSignedHeader(absl::string_view lowercase_name) {
  return lowercase_name == "authorization" || lowercase_name == "user-agent" ||
         lowercase_name == "expect" || lowercase_name == "x-amzn-trace-id";
}

absl::StatusOr<std::string> CanonicalUri(absl::string_view path, bool normalize_path,
                                         bool double_uri_encode) {
  if (path.empty()) return std::string("/");
  if (path.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("request path must start with '/', got '", path.substr(0, 64), "'"));
  }
  std::string normalized;
  if (normalize_path && NeedsNormalization(path)) {
    normalized = http::NormalizePath(path);
    path = normalized;
  }
  if (!double_uri_encode) return std::string(path);
  std::string out;
  out.reserve(path.size() + 16);
  http::AppendUriEncoded(path, /*keep_slash=*/true, out);
  return out;
}

std::string CanonicalQueryString(const QueryParams& query, absl::string_view excluded_key) {
  std::vector<std::pair<std::string, std::string>> items;
  items.reserve(query.size());
  std::string decoded;
  for (const QueryParam& param : query) {
    if (!excluded_key.empty() && param.key == excluded_key) continue;
    std::pair<std::string, std::string> item;
    decoded.clear();
    http::AppendUriDecoded(param.key, decoded);
    http::AppendUriEncoded(decoded, /*keep_slash=*/false, item.first);
    decoded.clear();
    http::AppendUriDecoded(param.value, decoded);
    http::AppendUriEncoded(decoded, /*keep_slash=*/false, item.second);
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& [key, value] : items) {
    if (!out.empty()) out.push_back('&');
    absl::StrAppend(&out, key, "=", value);
  }
  return out;
}

bool AppendCanonicalHeaderValue(absl::string_view value, std::string& out) {
  const char* p = value.data();
  const char* end = p + value.size();
  auto byte_class = [](char c) { return kValueClasses[static_cast<unsigned char>(c)]; };
  while (p < end && byte_class(*p) == kBlank) ++p;
  while (end > p && byte_class(end[-1]) == kBlank) --end;
  while (p < end) {
    // A run of plain bytes is copied in one go. Every special byte is below
    // 0x21, so the run is first skipped 8 bytes at a time while no byte of
    // the word is (SWAR "has a byte less than n", exact when it answers no).
    const char* run = p;
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHighs = 0x8080808080808080ULL;
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if (((word - kOnes * 0x21) & ~word & kHighs) != 0) break;
      p += 8;
    }
    while (p < end && byte_class(*p) == kPlain) ++p;
    out.append(run, p - run);
    if (p == end) break;
    if (byte_class(*p) == kForbidden) return false;
    // A run of blanks (never at the end: trailing blanks were trimmed)
    // becomes one space.
    while (p < end && byte_class(*p) == kBlank) ++p;
    out.push_back(' ');
  }
  return true;
}

std::string SignedHeaderList(const HttpHeaders& headers) {
  std::vector<std::string> names;
  names.reserve(headers.size());
  for (const HttpHeader& header : headers) {
    if (!IsToken(header.name)) continue;
    std::string name = absl::AsciiStrToLower(header.name);
    if (!IsNeverSignedHeader(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out.push_back(';');
    out.append(name);
  }
  return out;
}

absl::StatusOr<CanonicalRequest> BuildCanonicalRequest(const HttpRequest& request,
                                                       absl::string_view payload_hash,
                                                       const CanonicalRequestOptions& options) {
  if (!IsToken(request.method)) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP method '", request.method.substr(0, 32), "' is not a token"));
  }
  if (payload_hash.empty() || payload_hash.find('\n') != absl::string_view::npos) {
    return absl::InvalidArgumentError("payload hash is empty or contains a newline");
  }

  if (options.signed_headers.has_value()) {
    if (absl::Status s = ValidateSignedHeaderList(*options.signed_headers); !s.ok()) return s;
  }

  // Collect the headers to sign, names lowercased into one arena.
  size_t names_size = 0;
  size_t values_size = 0;
  for (const HttpHeader& header : request.headers) {
    names_size += header.name.size();
    values_size += header.value.size();
  }
  // Sized once and written by index: the string_views into it stay valid.
  std::string names(names_size, '\0');
  size_t names_used = 0;
  absl::InlinedVector<HeaderEntry, 16> entries;
  for (size_t i = 0; i < request.headers.size(); ++i) {
    const HttpHeader& header = request.headers[i];
    // Validate and lowercase in one pass: kTokenLower is 0 for non-tokens.
    char* lower = names.data() + names_used;
    bool token = !header.name.empty();
    for (size_t k = 0; k < header.name.size(); ++k) {
      const char c = kTokenLower[static_cast<unsigned char>(header.name[k])];
      token &= c != 0;
      lower[k] = c;
    }
    if (!token) {
      return absl::InvalidArgumentError(
          absl::StrCat("header name '", header.name.substr(0, 64), "' is not an RFC 7230 token"));
    }
    absl::string_view name(lower, header.name.size());
    bool wanted = options.signed_headers.has_value()
                      ? std::binary_search(options.signed_headers->begin(),
                                           options.signed_headers->end(), name)
                      : !IsNeverSignedHeader(name);
    if (!wanted) continue;
    names_used += header.name.size();
    entries.push_back(HeaderEntry{name, header.value, i});
  }
  std::sort(entries.begin(), entries.end(), [](const HeaderEntry& a, const HeaderEntry& b) {
    return a.name != b.name ? a.name < b.name : a.order < b.order;
  });
  if (options.signed_headers.has_value()) {
    size_t at = 0;
    for (const std::string& wanted : *options.signed_headers) {
      if (at >= entries.size() || entries[at].name != wanted) {
        return absl::NotFoundError(
            absl::StrCat("signed header '", wanted, "' is not present in the request"));
      }
      while (at < entries.size() && entries[at].name == wanted) ++at;
    }
  }

  absl::StatusOr<std::string> uri =
      CanonicalUri(request.path, options.normalize_path, options.double_uri_encode);
  if (!uri.ok()) return uri.status();

  size_t query_size = 0;
  for (const QueryParam& param : request.query) {
    query_size += param.key.size() + param.value.size() + 2;
  }

  CanonicalRequest result;
  std::string& text = result.text;
  text.reserve(request.method.size() + uri->size() + 3 * query_size + 2 * names_size + values_size +
               2 * entries.size() + payload_hash.size() + 16);
  absl::StrAppend(&text, request.method, "\n", *uri, "\n");
  if (!request.query.empty()) {
    text.append(CanonicalQueryString(request.query, options.excluded_query_key));
  }
  text.push_back('\n');
  result.signed_headers.reserve(names_size + entries.size());
  if (absl::Status s = AppendHeaders(entries, text, result.signed_headers); !s.ok()) return s;
  absl::StrAppend(&text, "\n", result.signed_headers, "\n", payload_hash);
  return result;
}

}  // namespace awsgw::auth
