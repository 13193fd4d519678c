// JSON Web Keys (RFC 7517) for verifying JWT signatures: a JWKS document
// {"keys": [...]} parsed into an immutable set of OpenSSL public keys.
//
// What is accepted (everything else is skipped, with a note in skipped()):
//   * RSA ("kty":"RSA", "n", "e"), 2048 to 8192 bits;
//   * EC P-256 and P-384 ("kty":"EC", "crv", "x", "y" of the curve's exact
//     length), the point checked to be on the curve;
//   * Ed25519 ("kty":"OKP", "crv":"Ed25519", "x").
// A key whose "use" is present and not "sig", whose "key_ops" lacks
// "verify", whose "alg" is not one this gateway verifies with or does not fit
// its type, or that does not decode, is skipped. Symmetric keys ("oct") are
// always skipped: a JWKS never supplies an HMAC secret.
//
// Why immutable: a key source swaps whole sets (shared_ptr<const
// JsonWebKeySet>), so concurrent verifiers never see a half-updated set.
// OpenSSL 3 allows concurrent read-only use of one EVP_PKEY.
#ifndef AWSGW_AUTH_IDENTITY_JWKS_H_
#define AWSGW_AUTH_IDENTITY_JWKS_H_

#include <openssl/types.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace awsgw::auth::identity {

// The JWS algorithms this gateway verifies: the allow-list. "none", the
// HMAC family and everything else have no value here.
enum class JwsAlgorithm { kRs256, kPs256, kEs256, kEs384, kEdDsa };

// The algorithm named `name` ("RS256", "PS256", "ES256", "ES384", "EdDSA";
// case-sensitive, as RFC 7518 spells them), or nullopt.
std::optional<JwsAlgorithm> JwsAlgorithmFromName(absl::string_view name);
absl::string_view JwsAlgorithmName(JwsAlgorithm alg);

// The key types a JsonWebKey can hold.
enum class JwkKind { kRsa, kEcP256, kEcP384, kEd25519 };
absl::string_view JwkKindName(JwkKind kind);  // "RSA", "EC P-256", "EC P-384", "Ed25519"

inline constexpr size_t kMaxJwksBytes = 1024 * 1024;
inline constexpr size_t kMaxJwksKeys = 64;  // entries beyond it are skipped
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;  // bounds the cost of one verification

class JsonWebKey {
 public:
  JsonWebKey(JwkKind kind, std::optional<std::string> kid, std::optional<JwsAlgorithm> alg,
             std::shared_ptr<EVP_PKEY> key);

  JwkKind kind() const { return kind_; }
  const std::optional<std::string>& kid() const { return kid_; }
  // The key's own "alg": when set, the only algorithm it verifies.
  std::optional<JwsAlgorithm> alg() const { return alg_; }
  EVP_PKEY* pkey() const { return key_.get(); }

  // The key-type binding that defeats algorithm confusion: RS256 and PS256
  // only with an RSA key, ES256 only with P-256, ES384 only with P-384,
  // EdDSA only with Ed25519; and only `alg()` when the key names one.
  bool CanVerify(JwsAlgorithm alg) const;

 private:
  JwkKind kind_;
  std::optional<std::string> kid_;
  std::optional<JwsAlgorithm> alg_;
  std::shared_ptr<EVP_PKEY> key_;
};

class JsonWebKeySet {
 public:
  // An empty set (no key verifies anything).
  JsonWebKeySet() = default;

  // Parses a JWKS document. Never throws, whatever the bytes. Returns
  // INVALID_ARGUMENT when the document is over kMaxJwksBytes, is not a JSON
  // object, has no "keys" array, or yields no usable key (the message gives
  // the first reason a key was skipped). Individual bad keys are skipped.
  static absl::StatusOr<JsonWebKeySet> Parse(absl::string_view json);

  const std::vector<JsonWebKey>& keys() const { return keys_; }
  // One line per skipped entry ("key 2 (kid \"a\"): RSA key has 1024 bits, ...").
  const std::vector<std::string>& skipped() const { return skipped_; }

  // True when some key carries kid `kid`, whatever its type.
  bool HasKid(absl::string_view kid) const;

 private:
  std::vector<JsonWebKey> keys_;
  std::vector<std::string> skipped_;
};

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_JWKS_H_
