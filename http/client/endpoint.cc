// Endpoint parsing (Boost.URL, error_code overloads only) and the loopback
// rule for plain http.
#include "http/client/endpoint.h"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace awsgw::http::client {
namespace {

absl::string_view StripBrackets(absl::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

bool ParseIp(absl::string_view host, boost::asio::ip::address& out) {
  boost::system::error_code ec;
  absl::string_view bare = StripBrackets(host);
  out = boost::asio::ip::make_address(std::string(bare), ec);
  return !ec;
}

std::string BracketIfIpv6(const std::string& host) {
  return host.find(':') != std::string::npos ? absl::StrCat("[", host, "]") : host;
}

// `url` with any user info ("user:password@") replaced by "***@".
std::string RedactUserInfo(absl::string_view url) {
  size_t start = url.find("://");
  start = start == absl::string_view::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  if (end == absl::string_view::npos) end = url.size();
  size_t at = url.substr(start, end - start).rfind('@');
  if (at == absl::string_view::npos) return std::string(url);
  return absl::StrCat(url.substr(0, start), "***", url.substr(start + at));
}

absl::Status InvalidUrl(absl::string_view url, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid endpoint URL '", RedactUserInfo(url), "': ", why));
}

}  // namespace

absl::string_view SchemeName(Scheme scheme) { return scheme == Scheme::kHttps ? "https" : "http"; }

std::optional<uint16_t> ParsePort(absl::string_view digits) {
  uint32_t port = 0;
  if (digits.empty() || digits.size() > 5 || !absl::SimpleAtoi(digits, &port) || port == 0 ||
      port > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(port);
}

uint16_t DefaultPort(Scheme scheme) { return scheme == Scheme::kHttps ? 443 : 80; }

bool IsIpLiteral(absl::string_view host) {
  boost::asio::ip::address address;
  return ParseIp(host, address);
}

bool IsLoopbackHost(absl::string_view host) {
  absl::string_view name = absl::StripSuffix(host, ".");
  if (absl::EqualsIgnoreCase(name, "localhost")) return true;
  boost::asio::ip::address address;
  if (!ParseIp(host, address)) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
        .is_loopback();
  }
  return address.is_loopback();
}

bool IsAwsMetadataAddress(const boost::asio::ip::address& address) {
  for (const char* literal :
       {"169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23"}) {
    if (address == boost::asio::ip::make_address(literal)) return true;
  }
  return false;
}

bool IsPlainHttpHost(absl::string_view host) {
  if (IsLoopbackHost(host)) return true;
  boost::asio::ip::address address;
  return ParseIp(host, address) && IsAwsMetadataAddress(address);
}

absl::StatusOr<Endpoint> Endpoint::Parse(absl::string_view url) {
  boost::system::result<boost::urls::url_view> parsed =
      boost::urls::parse_absolute_uri(boost::core::string_view(url.data(), url.size()));
  if (parsed.has_error()) return InvalidUrl(url, parsed.error().message());
  const boost::urls::url_view& u = *parsed;

  Endpoint endpoint;
  std::string scheme = absl::AsciiStrToLower(std::string(u.scheme()));
  if (scheme == "https") {
    endpoint.scheme = Scheme::kHttps;
  } else if (scheme == "http") {
    endpoint.scheme = Scheme::kHttp;
  } else {
    return InvalidUrl(url, "the scheme must be http or https");
  }
  if (u.has_userinfo()) return InvalidUrl(url, "user info is not allowed");
  if (u.has_query()) return InvalidUrl(url, "a query is not allowed");
  if (u.has_fragment()) return InvalidUrl(url, "a fragment is not allowed");
  switch (u.host_type()) {
    case boost::urls::host_type::name:
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
      endpoint.host = absl::AsciiStrToLower(std::string(u.host_address()));
      break;
    default:
      return InvalidUrl(url, "a host name or IP address is required");
  }
  if (endpoint.host.empty()) return InvalidUrl(url, "a host is required");
  if (u.has_port()) {
    std::optional<uint16_t> port = ParsePort(absl::string_view(u.port().data(), u.port().size()));
    if (!port.has_value()) return InvalidUrl(url, "the port must be 1-65535");
    endpoint.port = *port;
  } else {
    endpoint.port = DefaultPort(endpoint.scheme);
  }
  endpoint.base_path = std::string(absl::StripSuffix(std::string(u.encoded_path()), "/"));
  while (absl::EndsWith(endpoint.base_path, "/")) endpoint.base_path.pop_back();

  if (absl::Status valid = endpoint.Validate(); !valid.ok())
    return InvalidUrl(url, valid.message());
  return endpoint;
}

absl::Status Endpoint::Validate() const {
  if (host.empty()) return absl::InvalidArgumentError("endpoint has no host");
  if (port == 0) return absl::InvalidArgumentError("endpoint has no port");
  if (!base_path.empty() && base_path.front() != '/') {
    return absl::InvalidArgumentError("endpoint base path must start with '/'");
  }
  for (char c : absl::StrCat(host, base_path)) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '?' || c == '#') {
      return absl::InvalidArgumentError("endpoint contains a character not allowed in a URL");
    }
  }
  if (scheme == Scheme::kHttp && !IsPlainHttpHost(host)) {
    return absl::InvalidArgumentError(
        absl::StrCat("plain http is only allowed to a loopback or AWS metadata host, not '", host,
                     "'; use https"));
  }
  return absl::OkStatus();
}

std::string Endpoint::HostHeader() const {
  std::string name = BracketIfIpv6(host);
  if (port == DefaultPort(scheme)) return name;
  return absl::StrCat(name, ":", port);
}

std::string Endpoint::Authority() const { return absl::StrCat(BracketIfIpv6(host), ":", port); }

std::string Endpoint::RequestPath(absl::string_view path) const {
  return absl::StrCat(base_path, path);
}

Endpoint Endpoint::WithoutBasePath() const {
  Endpoint copy = *this;
  copy.base_path.clear();
  return copy;
}

std::string Endpoint::ToString() const {
  return absl::StrCat(SchemeName(scheme), "://", Authority(), base_path);
}

}  // namespace awsgw::http::client
