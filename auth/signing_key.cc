// SigV4 signing-key derivation; every intermediate key is wiped.
#include "auth/signing_key.h"

#include <openssl/crypto.h>

#include <string>

#include "auth/secret_string.h"
#include "auth/string_to_sign.h"

namespace awsgw::auth {

SigningKey::~SigningKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

SigningKey DeriveSigningKey(absl::string_view secret_access_key, absl::string_view scope_date,
                            absl::string_view region, absl::string_view service) {
  std::string prefixed = "AWS4";
  prefixed.append(secret_access_key.data(), secret_access_key.size());
  SecretString seed(prefixed);
  OPENSSL_cleanse(prefixed.data(), prefixed.size());
  absl::string_view seed_bytes = seed.view();
  SigningKey k_date(
      HmacSha256(std::span(reinterpret_cast<const uint8_t*>(seed_bytes.data()), seed_bytes.size()),
                 scope_date));
  SigningKey k_region(HmacSha256(k_date.bytes(), region));
  SigningKey k_service(HmacSha256(k_region.bytes(), service));
  return SigningKey(HmacSha256(k_service.bytes(), kScopeTerminator));
}

}  // namespace awsgw::auth
