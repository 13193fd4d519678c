// Proxy URL parsing and NO_PROXY matching (see proxy_config.h for the rules).
#include "http/client/proxy_config.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace awsgw::http::client {
namespace {

// The first of the variables that is set and non-empty, else "".
std::string GetEnv(const char* lower, const char* upper) {
  for (const char* name : {lower, upper}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "";
}

std::optional<absl::StatusOr<ProxyServer>> ParseIfSet(absl::string_view url) {
  if (absl::StripAsciiWhitespace(url).empty()) return std::nullopt;
  return ProxyServer::Parse(absl::StripAsciiWhitespace(url));
}

absl::string_view StripBrackets(absl::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

std::string ProxyServer::Authority() const {
  Endpoint as_endpoint{Scheme::kHttp, host, port, ""};
  return as_endpoint.Authority();
}

absl::StatusOr<ProxyServer> ProxyServer::Parse(absl::string_view url) {
  std::string with_scheme(url);
  if (!absl::StrContains(url, "://")) with_scheme = absl::StrCat("http://", url);
  // Messages name the proxy by host only: the URL may carry a password.
  auto invalid = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("invalid proxy URL: ", why));
  };
  boost::system::result<boost::urls::url_view> parsed = boost::urls::parse_absolute_uri(
      boost::core::string_view(with_scheme.data(), with_scheme.size()));
  if (parsed.has_error()) return invalid(parsed.error().message());
  const boost::urls::url_view& u = *parsed;
  if (!absl::EqualsIgnoreCase(absl::string_view(u.scheme().data(), u.scheme().size()), "http")) {
    return invalid("only http:// proxies (tunnelling with CONNECT) are supported");
  }
  if (u.host_type() != boost::urls::host_type::name &&
      u.host_type() != boost::urls::host_type::ipv4 &&
      u.host_type() != boost::urls::host_type::ipv6) {
    return invalid("a host is required");
  }
  ProxyServer proxy;
  proxy.host = absl::AsciiStrToLower(std::string(u.host_address()));
  if (proxy.host.empty()) return invalid("a host is required");
  if (u.has_port()) {
    std::optional<uint16_t> port = ParsePort(absl::string_view(u.port().data(), u.port().size()));
    if (!port.has_value()) return invalid("the port must be 1-65535");
    proxy.port = *port;
  }
  if (u.has_query() || u.has_fragment() || (!u.encoded_path().empty() && u.encoded_path() != "/")) {
    return invalid("a proxy URL has no path, query or fragment");
  }
  if (u.has_userinfo()) {
    std::string credentials = absl::StrCat(std::string(u.user()), ":", std::string(u.password()));
    proxy.authorization = absl::StrCat("Basic ", absl::Base64Escape(credentials));
  }
  return proxy;
}

ProxyConfig ProxyConfig::FromEnvironment() {
  return FromValues(GetEnv("https_proxy", "HTTPS_PROXY"), GetEnv("http_proxy", "HTTP_PROXY"),
                    GetEnv("no_proxy", "NO_PROXY"));
}

ProxyConfig ProxyConfig::FromValues(absl::string_view https_proxy, absl::string_view http_proxy,
                                    absl::string_view no_proxy, bool proxy_loopback) {
  ProxyConfig config;
  config.https_ = ParseIfSet(https_proxy);
  config.http_ = ParseIfSet(http_proxy);
  config.proxy_loopback_ = proxy_loopback;
  for (absl::string_view item : absl::StrSplit(no_proxy, ',', absl::SkipWhitespace())) {
    std::string entry = absl::AsciiStrToLower(absl::StripAsciiWhitespace(item));
    if (entry == "*") {
      config.bypass_all_ = true;
      continue;
    }
    NoProxyEntry parsed;
    absl::string_view rest = entry;
    // "host:port" or "[v6]:port"; a bare IPv6 address has several colons.
    size_t colon = rest.rfind(':');
    bool bracketed = absl::StartsWith(rest, "[");
    if (colon != absl::string_view::npos &&
        (bracketed ? colon > 0 && rest[colon - 1] == ']' : rest.find(':') == colon)) {
      uint32_t port = 0;
      if (absl::SimpleAtoi(rest.substr(colon + 1), &port) && port > 0 && port <= 65535) {
        parsed.port = static_cast<uint16_t>(port);
      }
      rest = rest.substr(0, colon);
    }
    rest = StripBrackets(rest);
    rest = absl::StripPrefix(rest, "*.");
    rest = absl::StripPrefix(rest, ".");
    rest = absl::StripSuffix(rest, ".");
    if (rest.empty()) continue;
    parsed.host = std::string(rest);
    config.no_proxy_.push_back(std::move(parsed));
  }
  return config;
}

bool ProxyConfig::Bypasses(absl::string_view host, uint16_t port) const {
  if (bypass_all_) return true;
  std::string name = absl::AsciiStrToLower(StripBrackets(host));
  while (absl::EndsWith(name, ".")) name.pop_back();
  for (const NoProxyEntry& entry : no_proxy_) {
    if (entry.port.has_value() && *entry.port != port) continue;
    if (name == entry.host) return true;
    // Domain suffix, on a label boundary; never for IP literals.
    if (!IsIpLiteral(name) && absl::EndsWith(name, absl::StrCat(".", entry.host))) return true;
  }
  return false;
}

absl::StatusOr<std::optional<ProxyServer>> ProxyConfig::ProxyFor(const Endpoint& endpoint) const {
  const std::optional<absl::StatusOr<ProxyServer>>& setting =
      endpoint.scheme == Scheme::kHttps ? https_ : http_;
  if (!setting.has_value()) return std::nullopt;
  if (!proxy_loopback_ && IsLoopbackHost(endpoint.host)) return std::nullopt;
  if (Bypasses(endpoint.host, endpoint.port)) return std::nullopt;
  if (!setting->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(endpoint.scheme == Scheme::kHttps ? "HTTPS_PROXY" : "HTTP_PROXY", ": ",
                     setting->status().message()));
  }
  return std::optional<ProxyServer>(**setting);
}

}  // namespace awsgw::http::client
