// Stage 1 of SigV4: the canonical request.
//
//   <method>\n
//   <canonical URI>\n
//   <canonical query string>\n
//   <canonical headers, one "name:value\n" each>\n
//   <signed headers, ';'-joined>\n
//   <payload hash>
//
// Input is an HttpRequest exactly as it will be sent (wire form), after the
// signer has added its own headers or query parameters. The rules, pinned
// down by the AWS test suites (see /work/shared/testdata/README.md):
//  * URI: optionally normalized (NormalizePath), then percent-encoded again
//    with '/' kept (double encoding) unless disabled (S3).
//  * Query: each key and value percent-decoded and re-encoded (RFC 3986
//    unreserved set, space as %20), sorted by key then value.
//  * Headers: names lowercased; values trimmed with inner runs of spaces and
//    tabs collapsed to one space; repeats joined with ',' in request order;
//    sorted by name. Every header is signed except the never-signed ones.
// Stage 2 is string_to_sign.h.
#ifndef AWSGW_AUTH_CANONICAL_REQUEST_H_
#define AWSGW_AUTH_CANONICAL_REQUEST_H_

#include <optional>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/http_request.h"

namespace awsgw::auth {

inline constexpr absl::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct CanonicalRequestOptions {
  bool normalize_path = true;
  bool double_uri_encode = true;
  // Verifier side: the names from a received SignedHeaders list (lowercase,
  // strictly sorted). Exactly those headers are canonicalized and each must be
  // present. Unset (signer side): every header except IsNeverSignedHeader.
  std::optional<std::span<const std::string>> signed_headers;
  // Wire key of one query parameter to leave out (the verifier passes
  // "X-Amz-Signature" for presigned requests). Empty: none.
  absl::string_view excluded_query_key;
};

struct CanonicalRequest {
  std::string text;            // the six parts above
  std::string signed_headers;  // e.g. "host;x-amz-date"
};

// Builds the canonical request of `request` with `payload_hash` (lowercase hex
// SHA-256 or kUnsignedPayload) as its last line.
// Returns INVALID_ARGUMENT for an empty or non-token method, a non-empty path
// not starting with '/', a header name that is not an RFC 7230 token, a
// header value containing CR, LF or NUL, an empty payload hash or one with a
// newline, or a malformed `options.signed_headers` list; NOT_FOUND when a name
// in `options.signed_headers` has no header in the request.
absl::StatusOr<CanonicalRequest> BuildCanonicalRequest(const HttpRequest& request,
                                                       absl::string_view payload_hash,
                                                       const CanonicalRequestOptions& options);

// The canonical URI of a wire path. Returns INVALID_ARGUMENT when the path is
// non-empty and does not start with '/'. An empty path is "/".
absl::StatusOr<std::string> CanonicalUri(absl::string_view path, bool normalize_path,
                                         bool double_uri_encode);

// The canonical query string, leaving out parameters whose wire key equals
// `excluded_key` (when non-empty).
std::string CanonicalQueryString(const QueryParams& query, absl::string_view excluded_key = {});

// Appends a header value trimmed of leading and trailing spaces and tabs, with
// every inner run of them collapsed to a single space. Returns false (output
// then incomplete) when the value holds CR, LF or NUL, which no valid header
// value does.
[[nodiscard]] bool AppendCanonicalHeaderValue(absl::string_view value, std::string& out);

// The ';'-joined list of headers the signer signs for `headers` (what
// X-Amz-SignedHeaders says in a presigned URL). Invalid names are skipped
// here; BuildCanonicalRequest reports them.
std::string SignedHeaderList(const HttpHeaders& headers);

// Headers never signed by default (name already lowercase): `authorization`
// (it carries the signature), and `user-agent`, `expect` and
// `x-amzn-trace-id`, which HTTP stacks and proxies add or rewrite after
// signing (botocore and aws-c-auth skip the same).
bool IsNeverSignedHeader(absl::string_view lowercase_name);

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_CANONICAL_REQUEST_H_
