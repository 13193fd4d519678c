// Test support for auth/identity: keys generated in the test with OpenSSL
// (RSA, EC P-256/P-384, Ed25519), their JWKs, and tokens signed with them,
// so the tests need no fixture files and no foreign JWT library.
#ifndef AWSGW_TESTS_AUTH_IDENTITY_JWT_TEST_SUPPORT_H_
#define AWSGW_TESTS_AUTH_IDENTITY_JWT_TEST_SUPPORT_H_

#include <openssl/types.h>

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace awsgw::auth::identity::testing {

class TestKey {
 public:
  static TestKey Rsa(int bits = 2048);
  static TestKey EcP256();
  static TestKey EcP384();
  static TestKey Ed25519();

  EVP_PKEY* pkey() const { return key_.get(); }

  // The public JWK: {"kty":..., "kid":kid, ["alg":alg], ["use":use], ...}.
  boost::json::object Jwk(absl::string_view kid,
                          std::optional<absl::string_view> alg = std::nullopt,
                          std::optional<absl::string_view> use = std::nullopt) const;

  // The JWS signature (JOSE form: r||s for ECDSA) of `input` under `alg`
  // ("RS256", "PS256", "ES256", "ES384" or "EdDSA").
  std::string Sign(absl::string_view alg, absl::string_view input) const;

  // The public key as PEM text: what an algorithm-confusion attacker uses
  // as the HMAC secret.
  std::string PublicPem() const;

 private:
  explicit TestKey(EVP_PKEY* key);
  std::shared_ptr<EVP_PKEY> key_;
};

// Keys generated once per process (RSA generation is slow).
const TestKey& RsaKey();
const TestKey& RsaKey2();
const TestKey& EcKey();
const TestKey& Ec384Key();
const TestKey& EdKey();

// {"keys":[...]} serialized.
std::string JwksJson(const std::vector<boost::json::object>& keys);

// base64url(header).base64url(claims) signed with `key` under header["alg"].
std::string SignToken(const boost::json::object& header, const boost::json::object& claims,
                      const TestKey& key);

// The same, signed with HMAC-SHA256 under `secret` (header should say HS256).
std::string HmacToken(const boost::json::object& header, const boost::json::object& claims,
                      absl::string_view secret);

// header.payload. with an empty signature replaced by `signature` bytes.
std::string UnsignedToken(const boost::json::object& header, const boost::json::object& claims,
                          absl::string_view signature = "");

}  // namespace awsgw::auth::identity::testing

#endif  // AWSGW_TESTS_AUTH_IDENTITY_JWT_TEST_SUPPORT_H_
