// ProxyConfig: which outbound calls go through an HTTP CONNECT proxy, read once
// from the conventional environment variables (HTTPS_PROXY / https_proxy for
// https endpoints, HTTP_PROXY / http_proxy for http, NO_PROXY / no_proxy for
// exceptions), or built from explicit values in tests and config files.
//
// Why read once: the environment is process state that tests and the rest of
// the gateway must not mutate under a running client; the HttpClient copies a
// ProxyConfig at construction and never looks at the environment again.
//
// Matching rules (those of curl and of Python's urllib, which botocore uses):
//   * NO_PROXY is a comma-separated list; blanks are ignored, case too.
//   * "*" bypasses the proxy for every host.
//   * "example.com" and ".example.com" both match example.com and every
//     name under it (api.example.com), never "badexample.com".
//   * an IP address matches that address exactly (no CIDR ranges).
//   * "host:port" matches only that port.
// Loopback destinations (localhost, 127.0.0.0/8, ::1) are never proxied unless
// proxy_loopback is set, as in Go's net/http: a proxy elsewhere would reach its
// own loopback, not ours. Set it when the proxy runs in the same network
// namespace (a sidecar) and loopback traffic should go through it.
//
// Example:
//   ProxyConfig proxy = ProxyConfig::FromEnvironment();
//   absl::StatusOr<std::optional<ProxyServer>> via = proxy.ProxyFor(endpoint);
#ifndef AWSGW_HTTP_CLIENT_PROXY_CONFIG_H_
#define AWSGW_HTTP_CLIENT_PROXY_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "http/client/endpoint.h"

namespace awsgw::http::client {

// An HTTP proxy reached over plain TCP that tunnels with CONNECT.
struct ProxyServer {
  std::string host;  // IPv6 without brackets
  uint16_t port = 80;
  // The Proxy-Authorization header value ("Basic <base64(user:password)>"),
  // empty when the proxy URL carries no user info. A secret: never logged.
  std::string authorization;

  // "host:port" (IPv6 bracketed), for messages; never includes credentials.
  std::string Authority() const;

  // Parses a proxy URL: `http://[user[:password]@]host[:port]`, or the same
  // without a scheme. User and password are percent-decoded. The port
  // defaults to 80. Returns INVALID_ARGUMENT for anything else, including
  // https:// proxies (TLS to the proxy itself is not supported). The message
  // never repeats the user info.
  static absl::StatusOr<ProxyServer> Parse(absl::string_view url);
};

class ProxyConfig {
 public:
  // No proxy at all.
  ProxyConfig() = default;

  // Reads https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY, no_proxy and
  // NO_PROXY (a lowercase variable wins over its uppercase twin).
  static ProxyConfig FromEnvironment();

  // From explicit values; an empty string means "not set".
  static ProxyConfig FromValues(absl::string_view https_proxy, absl::string_view http_proxy,
                                absl::string_view no_proxy, bool proxy_loopback = false);

  // The proxy a call to `endpoint` must tunnel through, or nullopt to connect
  // directly. Returns INVALID_ARGUMENT when the variable that applies holds a
  // malformed proxy URL: a broken proxy setting fails calls loudly rather
  // than silently bypassing the proxy.
  absl::StatusOr<std::optional<ProxyServer>> ProxyFor(const Endpoint& endpoint) const;

  // True when `host` (and `port`) is matched by the NO_PROXY list.
  bool Bypasses(absl::string_view host, uint16_t port) const;

 private:
  // Each holds nullopt (unset), a proxy, or the parse error.
  std::optional<absl::StatusOr<ProxyServer>> https_;
  std::optional<absl::StatusOr<ProxyServer>> http_;
  struct NoProxyEntry {
    std::string host;  // lowercase, no leading '.', IPv6 without brackets
    std::optional<uint16_t> port;
  };
  std::vector<NoProxyEntry> no_proxy_;
  bool bypass_all_ = false;
  bool proxy_loopback_ = false;
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_PROXY_CONFIG_H_
