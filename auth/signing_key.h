// The SigV4 signing key and its derivation:
//   kDate    = HMAC("AWS4" + secret, YYYYMMDD)
//   kRegion  = HMAC(kDate, region)
//   kService = HMAC(kRegion, service)
//   kSigning = HMAC(kService, "aws4_request")
//
// SigningKey wipes its 32 bytes (OPENSSL_cleanse) whenever a copy of it is
// destroyed, so key material does not linger in freed memory or stack slots.
// Derivation costs four HMACs; SigningKeyCache keeps recent keys.
#ifndef AWSGW_AUTH_SIGNING_KEY_H_
#define AWSGW_AUTH_SIGNING_KEY_H_

#include <cstdint>
#include <span>

#include "absl/strings/string_view.h"
#include "auth/crypto.h"

namespace awsgw::auth {

class SigningKey {
 public:
  SigningKey() { bytes_.fill(0); }
  explicit SigningKey(const Sha256Digest& bytes) : bytes_(bytes) {}
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
  ~SigningKey();

  std::span<const uint8_t> bytes() const { return bytes_; }

 private:
  Sha256Digest bytes_;
};

// Derives the signing key for `secret_access_key` and the scope
// (`scope_date` is YYYYMMDD). Never fails.
SigningKey DeriveSigningKey(absl::string_view secret_access_key, absl::string_view scope_date,
                            absl::string_view region, absl::string_view service);

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SIGNING_KEY_H_
