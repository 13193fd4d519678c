// SigV4 percent-encoding (RFC 3986 unreserved set, uppercase hex) and path
// normalization (RFC 3986 section 5.2.4 plus AWS's empty-segment collapse).
#include "http/uri_encoding.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsgw::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The one percent-decoder. A '%' not followed by two hex digits is kept as
// it is, or (strict) makes the decoding fail.
bool AppendDecoded(absl::string_view in, bool strict, std::string& out) {
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      const bool room = i + 2 < in.size();
      const int high = room ? HexValue(in[i + 1]) : -1;
      const int low = room ? HexValue(in[i + 2]) : -1;
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
      if (strict) return false;
    }
    out.push_back(in[i]);
  }
  return true;
}

}  // namespace

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

void AppendUriEncoded(absl::string_view in, bool keep_slash, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : in) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      const char encoded[3] = {'%', kHex[c >> 4], kHex[c & 0xf]};
      out.append(encoded, 3);
    }
  }
}

std::string UriEncode(absl::string_view in, bool keep_slash) {
  std::string out;
  out.reserve(in.size());
  AppendUriEncoded(in, keep_slash, out);
  return out;
}

void AppendUriDecoded(absl::string_view in, std::string& out) {
  AppendDecoded(in, /*strict=*/false, out);
}

absl::StatusOr<std::string> UriDecodeStrict(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  if (!AppendDecoded(in, /*strict=*/true, out)) {
    return absl::InvalidArgumentError(absl::StrCat("bad percent-escape in \"", in, "\""));
  }
  return out;
}

std::string UriDecode(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  AppendUriDecoded(in, out);
  return out;
}

bool HasDotSegment(absl::string_view text) {
  while (true) {
    const size_t slash = text.find('/');
    const absl::string_view segment = text.substr(0, slash);
    if (segment == "." || segment == "..") return true;
    if (slash == absl::string_view::npos) return false;
    text.remove_prefix(slash + 1);
  }
}

std::string NormalizePath(absl::string_view path) {
  std::vector<absl::string_view> segments;
  absl::string_view rest = path;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    absl::string_view segment = rest.substr(0, slash);
    rest = slash == absl::string_view::npos ? absl::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i].data(), segments[i].size());
  }
  if (!segments.empty() && !path.empty() && path.back() == '/') out.push_back('/');
  return out;
}

}  // namespace awsgw::http
