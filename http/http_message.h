// The HTTP request and response model shared by the translators, the SigV4
// signer and verifier, the HTTP client and the emulator.
//
// Why a model of its own: neither signing nor translation may depend on the
// HTTP client (Boost.Beast). Translators produce an HttpRequest, the signer
// adds its headers or query parameters, and the HTTP client sends it; the
// emulator builds one from what it received and hands it to the verifier and
// the translators' server side. Every field holds wire form: the bytes exactly as they go
// on (or came off) the wire, so signer and verifier canonicalize the same
// thing.
//
// Example:
//   HttpRequest request;
//   request.method = "POST";
//   request.path = "/";
//   request.headers = {{"Host", "ecs.us-east-1.amazonaws.com"},
//                      {"Content-Type", "application/x-amz-json-1.1"},
//                      {"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"}};
//   request.body = "{}";
#ifndef AWSGW_HTTP_HTTP_MESSAGE_H_
#define AWSGW_HTTP_HTTP_MESSAGE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace awsgw::http {

// One header line. Names compare case-insensitively; the value is kept
// byte for byte (leading/trailing whitespace included), as received.
struct HttpHeader {
  std::string name;
  std::string value;

  friend bool operator==(const HttpHeader&, const HttpHeader&) = default;
};

// An ordered multimap: repeats of one name are kept, in order, because SigV4
// joins repeated headers with ',' in the order they appear.
using HttpHeaders = std::vector<HttpHeader>;

// One query parameter in wire form: percent-encoded (or raw) exactly as it
// appears in the request target. The canonicalizer decodes and re-encodes, so
// `%E1%88%B4` and the raw UTF-8 bytes give the same signature. A parameter
// written without '=' has an empty value.
struct QueryParam {
  std::string key;
  std::string value;

  friend bool operator==(const QueryParam&, const QueryParam&) = default;
};
using QueryParams = std::vector<QueryParam>;

struct HttpRequest {
  std::string method = "GET";
  // Path in wire form (percent-encoded as sent), without the query.
  std::string path = "/";
  QueryParams query;
  HttpHeaders headers;
  std::string body;
  // Lowercase hex SHA-256 of the body when the caller already has it (for
  // example a streamed body that is not held in `body`). When set, the signer
  // uses it instead of hashing `body`.
  std::optional<std::string> payload_hash;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;
};

// Returns the first header named `name` (ASCII case-insensitive), or nullptr.
// The pointer is valid until `headers` is modified.
const HttpHeader* FindHeader(const HttpHeaders& headers, absl::string_view name);

// Number of headers named `name` (ASCII case-insensitive).
int CountHeaders(const HttpHeaders& headers, absl::string_view name);

// Removes every header named `name` (ASCII case-insensitive).
void RemoveHeaders(HttpHeaders& headers, absl::string_view name);

// Removes every header named `name`, then appends one with `value`.
void SetHeader(HttpHeaders& headers, absl::string_view name, std::string value);

// Returns the first parameter whose wire key equals `key` exactly, or nullptr.
const QueryParam* FindQueryParam(const QueryParams& query, absl::string_view key);

// Number of parameters whose wire key equals `key` exactly.
int CountQueryParams(const QueryParams& query, absl::string_view key);

// Removes every parameter whose wire key equals `key` exactly.
void RemoveQueryParams(QueryParams& query, absl::string_view key);

// Splits a raw query string (without the leading '?') on '&' and each item on
// its first '='. Nothing is decoded. Empty items (`a=1&&b=2`) are dropped.
QueryParams ParseQueryString(absl::string_view raw);

// The inverse of ParseQueryString: `k=v` items joined with '&'.
std::string FormatQueryString(const QueryParams& query);

// Splits a request target `path[?query]` into `request.path` and
// `request.query`.
void SetRequestTarget(HttpRequest& request, absl::string_view target);

// `path` plus `?query` when there is a query.
std::string RequestTarget(const HttpRequest& request);

}  // namespace awsgw::http

#endif  // AWSGW_HTTP_HTTP_MESSAGE_H_
