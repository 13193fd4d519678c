// The caller named by a client certificate that the TLS layer has already
// verified: which part of the certificate is the principal.
//
//   kAuto        the SPIFFE ID when there is one, else the first DNS SAN,
//                else the subject common name
//   kSpiffe      the SPIFFE ID (a URI SAN "spiffe://trust-domain/path")
//   kDns         the first DNS SAN
//   kCommonName  the subject CN
//
// Why a certificate with more than one SPIFFE ID is refused whatever the
// source: the SPIFFE X.509 profile allows exactly one, and picking one of
// several would let whoever issued the certificate choose which identity we
// see.
#ifndef AWSGW_AUTH_IDENTITY_CERTIFICATE_IDENTITY_H_
#define AWSGW_AUTH_IDENTITY_CERTIFICATE_IDENTITY_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/identity/caller_identity.h"

namespace awsgw::auth::identity {

enum class CertificatePrincipalSource { kAuto, kSpiffe, kDns, kCommonName };

// "auto", "spiffe", "dns" or "common_name" (for configuration); anything
// else is INVALID_ARGUMENT.
absl::StatusOr<CertificatePrincipalSource> ParseCertificatePrincipalSource(absl::string_view name);

// The certificate's caller (method kMtls, no groups), or
// no_certificate_identity: no certificate, no value for `source`, several
// SPIFFE IDs, a SPIFFE ID without trust domain, or a value that is empty,
// over 2048 bytes, not printable ASCII, or holds spaces (a common name may
// hold inner spaces).
AuthOutcome IdentityFromCertificate(const PresentedCredentials& presented,
                                    CertificatePrincipalSource source);

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_CERTIFICATE_IDENTITY_H_
