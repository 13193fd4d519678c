#include "auth/identity/certificate_identity.h"

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace awsgw::auth::identity {
namespace {

constexpr absl::string_view kSpiffeScheme = "spiffe://";
constexpr size_t kMaxPrincipalBytes = 2048;  // the SPIFFE ID limit

// Printable ASCII; spaces only inside a common name ("Build Robot"), never
// at its ends.
bool Usable(absl::string_view value, bool allow_spaces) {
  if (value.empty() || value.size() > kMaxPrincipalBytes) return false;
  if (value.front() == ' ' || value.back() == ' ') return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e || (c == ' ' && !allow_spaces)) return false;
  }
  return true;
}

AuthOutcome Fail(std::string message) {
  return AuthOutcome::Failure(failure_reason::kNoCertificateIdentity, std::move(message));
}

AuthOutcome Use(absl::string_view value, absl::string_view what, bool allow_spaces = false) {
  if (!Usable(value, allow_spaces)) {
    return Fail(absl::StrCat("the client certificate's ", what, " is not a usable name"));
  }
  return AuthOutcome::Success(
      CallerIdentity{.principal = std::string(value), .groups = {}, .method = AuthMethod::kMtls});
}

}  // namespace

absl::StatusOr<CertificatePrincipalSource> ParseCertificatePrincipalSource(absl::string_view name) {
  if (name == "auto") return CertificatePrincipalSource::kAuto;
  if (name == "spiffe") return CertificatePrincipalSource::kSpiffe;
  if (name == "dns") return CertificatePrincipalSource::kDns;
  if (name == "common_name") return CertificatePrincipalSource::kCommonName;
  return absl::InvalidArgumentError(absl::StrCat("certificate principal source \"", name,
                                                 "\" is not auto, spiffe, dns or common_name"));
}

AuthOutcome IdentityFromCertificate(const PresentedCredentials& presented,
                                    CertificatePrincipalSource source) {
  if (!presented.has_client_certificate) return Fail("the call has no client certificate");
  std::optional<absl::string_view> spiffe;
  for (const std::string& uri : presented.uri_sans) {
    if (!absl::StartsWith(uri, kSpiffeScheme)) continue;
    if (spiffe.has_value()) return Fail("the client certificate has more than one SPIFFE ID");
    spiffe = uri;
  }
  // A SPIFFE ID needs a trust domain: "spiffe://" alone names nobody.
  auto spiffe_ok = [&] {
    return spiffe->size() > kSpiffeScheme.size() && (*spiffe)[kSpiffeScheme.size()] != '/';
  };
  switch (source) {
    case CertificatePrincipalSource::kSpiffe:
      if (!spiffe.has_value()) return Fail("the client certificate has no SPIFFE ID");
      if (!spiffe_ok()) return Fail("the client certificate's SPIFFE ID has no trust domain");
      return Use(*spiffe, "SPIFFE ID");
    case CertificatePrincipalSource::kDns:
      if (presented.dns_sans.empty()) return Fail("the client certificate has no DNS name");
      return Use(presented.dns_sans.front(), "DNS name");
    case CertificatePrincipalSource::kCommonName:
      if (presented.common_name.empty()) return Fail("the client certificate has no common name");
      return Use(presented.common_name, "common name", /*allow_spaces=*/true);
    case CertificatePrincipalSource::kAuto:
      if (spiffe.has_value()) {
        if (!spiffe_ok()) return Fail("the client certificate's SPIFFE ID has no trust domain");
        return Use(*spiffe, "SPIFFE ID");
      }
      if (!presented.dns_sans.empty()) return Use(presented.dns_sans.front(), "DNS name");
      if (!presented.common_name.empty())
        return Use(presented.common_name, "common name", /*allow_spaces=*/true);
      return Fail("the client certificate names no SPIFFE ID, DNS name or common name");
  }
  return Fail("unknown certificate principal source");
}

}  // namespace awsgw::auth::identity
