// Percent-encoding and path normalization as SigV4 defines them, shared by
// the signer and the translators (URI labels and query strings use the same
// RFC 3986 encoding).
//
// SigV4 uses one encoding everywhere: every byte except the RFC 3986
// unreserved characters `A-Z a-z 0-9 - _ . ~` becomes `%XX` with uppercase
// hex; a space is `%20`, never `+`. In the canonical URI `/` is also kept.
// Decoding is the lenient inverse used before re-encoding query parameters:
// `%XX` in either case is decoded, a `%` not followed by two hex digits stays
// as it is, and `+` stays `+` (it is not a space in SigV4).
#ifndef AWSGW_HTTP_URI_ENCODING_H_
#define AWSGW_HTTP_URI_ENCODING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace awsgw::http {

// True for `A-Z a-z 0-9 - _ . ~`.
bool IsUnreserved(unsigned char c);

// Appends `in` to `out`, percent-encoding every byte that is not unreserved
// (and not '/', when `keep_slash`).
void AppendUriEncoded(absl::string_view in, bool keep_slash, std::string& out);

// Percent-encodes `in`; see AppendUriEncoded.
std::string UriEncode(absl::string_view in, bool keep_slash = false);

// Appends the percent-decoding of `in` to `out` (see the file comment).
void AppendUriDecoded(absl::string_view in, std::string& out);

// Percent-decodes `in`; see AppendUriDecoded.
std::string UriDecode(absl::string_view in);

// Strict decoding, for what the emulator receives in URI labels and query
// strings: `%XX` escapes only ('+' stays '+'), and INVALID_ARGUMENT on a
// malformed escape.
absl::StatusOr<std::string> UriDecodeStrict(absl::string_view in);

// True when `text`, split on '/', has a "." or ".." segment: text that a
// server normalizing its path (as AWS does before checking a signature) would
// read as a step in the path rather than as a name.
bool HasDotSegment(absl::string_view text);

// Removes dot segments and collapses empty segments, as AWS services other
// than S3 do before signing: split on '/', drop empty and "." segments, let
// ".." drop the previous segment (never above the root), rejoin with a
// leading '/', and keep a trailing '/' if the input had one and the result is
// not just "/". An empty path becomes "/".
std::string NormalizePath(absl::string_view path);

}  // namespace awsgw::http

#endif  // AWSGW_HTTP_URI_ENCODING_H_
