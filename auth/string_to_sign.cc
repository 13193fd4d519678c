// Stage 2 of SigV4: credential scope and string to sign.
#include "auth/string_to_sign.h"

#include "absl/strings/str_cat.h"
#include "auth/crypto.h"
#include "auth/sigv4_time.h"

namespace awsgw::auth {

std::string CredentialScope::ToString() const {
  return absl::StrCat(date, "/", region, "/", service, "/", kScopeTerminator);
}

CredentialScope MakeCredentialScope(absl::Time signing_time, absl::string_view region,
                                    absl::string_view service) {
  return CredentialScope{FormatScopeDate(signing_time), std::string(region), std::string(service)};
}

std::string BuildStringToSign(absl::string_view canonical_request, absl::string_view amz_date,
                              absl::string_view scope) {
  std::string out;
  out.reserve(kSigningAlgorithm.size() + amz_date.size() + scope.size() + 2 * kSha256Size + 3);
  absl::StrAppend(&out, kSigningAlgorithm, "\n", amz_date, "\n", scope, "\n");
  AppendHex(Sha256(canonical_request), out);
  return out;
}

}  // namespace awsgw::auth
