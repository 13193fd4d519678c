// Endpoint: where the HTTP client sends a request (scheme, host, port and an
// optional base path), parsed from a URL such as AWS_ENDPOINT_URL_ECS.
//
// Why a type of its own: the connection pool keys on (scheme, host, port), the
// signer needs the exact Host header the client will send, and plain http is
// only acceptable to a loopback host (an emulator on the same machine); every
// other endpoint must be https so credentials-bearing requests never cross a
// network in clear text. Parse() enforces that rule at configuration time and
// the client checks it again on every call.
//
// Example:
//   absl::StatusOr<Endpoint> ecs = Endpoint::Parse("https://ecs.us-east-1.amazonaws.com");
//   request.headers.push_back({"Host", ecs->HostHeader()});  // before signing
#ifndef AWSGW_HTTP_CLIENT_ENDPOINT_H_
#define AWSGW_HTTP_CLIENT_ENDPOINT_H_

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace awsgw::http::client {

enum class Scheme { kHttp, kHttps };

// "http" or "https".
absl::string_view SchemeName(Scheme scheme);

struct Endpoint {
  Scheme scheme = Scheme::kHttps;
  // Lowercase DNS name or IP literal; an IPv6 literal is held without brackets.
  std::string host;
  uint16_t port = 443;
  // Prefix the client prepends to every request path: empty, or "/a/b" (no
  // trailing '/'), in wire form. Note for signers: the wire path is then
  // RequestPath(request.path), not request.path, so sign a request whose path
  // already holds the prefix and send it to WithoutBasePath().
  std::string base_path;

  // Parses an absolute http(s) URL: `https://host[:port][/base/path]`.
  // Returns INVALID_ARGUMENT when the URL does not parse, the scheme is not
  // http or https, the host is missing, the URL carries user info, a query or
  // a fragment, or the scheme is http and the host is neither a loopback
  // address (127.0.0.0/8, ::1, localhost) nor an AWS metadata address.
  static absl::StatusOr<Endpoint> Parse(absl::string_view url);

  // The Host header value for this endpoint: the host, bracketed when IPv6,
  // with ":port" only when the port is not the scheme's default.
  std::string HostHeader() const;

  // "host:port" (IPv6 bracketed), as in a CONNECT request and in messages.
  std::string Authority() const;

  // base_path + path: the path the client puts on the wire for `path`.
  std::string RequestPath(absl::string_view path) const;

  // A copy with an empty base_path.
  Endpoint WithoutBasePath() const;

  // "https://host:port/base", for logs and messages.
  std::string ToString() const;

  // OK when the endpoint may be used as is: non-empty host, non-zero port,
  // base_path empty or starting with '/', and http only to a loopback host
  // or an AWS metadata address.
  // Otherwise INVALID_ARGUMENT.
  absl::Status Validate() const;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// True for "localhost" (any case, optional trailing dot), any IPv4 address in
// 127.0.0.0/8 and the IPv6 loopback ::1 (brackets allowed). Does not resolve
// names.
bool IsLoopbackHost(absl::string_view host);

// True for the link-local addresses where AWS serves credentials over plain
// http by design: the instance metadata service (169.254.169.254,
// fd00:ec2::254) and the container credentials endpoints (169.254.170.2,
// 169.254.170.23, fd00:ec2::23).
bool IsAwsMetadataAddress(const boost::asio::ip::address& address);

// True when plain http may go to `host`: a loopback host or one of the AWS
// metadata addresses above (as literals; names are not resolved).
bool IsPlainHttpHost(absl::string_view host);

// True when `host` is an IPv4 or IPv6 literal (IPv6 with or without brackets).
bool IsIpLiteral(absl::string_view host);

// A decimal port 1-65535, or nullopt (Boost.URL's port_number() wraps).
std::optional<uint16_t> ParsePort(absl::string_view digits);

// The scheme's default port: 443 for https, 80 for http.
uint16_t DefaultPort(Scheme scheme);

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_ENDPOINT_H_
