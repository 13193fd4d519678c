#include "auth/identity/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json/value.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "auth/identity/base64url.h"
#include "auth/identity/caller_identity.h"
#include "auth/identity/jwt.h"

namespace awsgw::auth::identity {
namespace {

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, [](EVP_PKEY* k) { EVP_PKEY_free(k); });
}

// A key that could not be used: why, for JsonWebKeySet::skipped().
using KeyOr = absl::StatusOr<JsonWebKey>;
absl::Status Skip(absl::string_view why) { return absl::InvalidArgumentError(why); }

// The base64url member `name` of `jwk`, decoded, or an error naming it.
absl::StatusOr<std::string> Member(const boost::json::object& jwk, const char* name) {
  const boost::json::value* value = jwk.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    return Skip(absl::StrCat("no string \"", name, "\""));
  }
  const boost::json::string& text = value->get_string();
  std::optional<std::string> bytes = Base64UrlDecode(absl::string_view(text.data(), text.size()));
  if (!bytes.has_value() || bytes->empty()) {
    return Skip(absl::StrCat("\"", name, "\" is not base64url"));
  }
  return *std::move(bytes);
}

// Builds a public key of `type` ("RSA", "EC") from OSSL parameters.
absl::StatusOr<std::shared_ptr<EVP_PKEY>> FromData(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Skip(absl::StrCat("OpenSSL refused the ", type, " key"));
  }
  return Own(key);
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> RsaKey(const boost::json::object& jwk) {
  absl::StatusOr<std::string> n = Member(jwk, "n");
  if (!n.ok()) return n.status();
  absl::StatusOr<std::string> e = Member(jwk, "e");
  if (!e.ok()) return e.status();
  std::unique_ptr<BIGNUM, BnFree> modulus(BN_bin2bn(
      reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
  std::unique_ptr<BIGNUM, BnFree> exponent(BN_bin2bn(
      reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
  if (modulus == nullptr || exponent == nullptr) return Skip("out of memory");
  const int bits = BN_num_bits(modulus.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return Skip(
        absl::StrCat("RSA key has ", bits, " bits, outside ", kMinRsaBits, "-", kMaxRsaBits));
  }
  // A huge or even exponent is never legitimate and would only slow us down.
  if (BN_num_bits(exponent.get()) > 64 || !BN_is_odd(exponent.get()) || BN_is_one(exponent.get())) {
    return Skip("RSA exponent is not a small odd number above 1");
  }
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1) {
    return Skip("out of memory");
  }
  return FromData("RSA", bld.get());
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> EcKey(const boost::json::object& jwk, const char* group,
                                                size_t coordinate_bytes) {
  absl::StatusOr<std::string> x = Member(jwk, "x");
  if (!x.ok()) return x.status();
  absl::StatusOr<std::string> y = Member(jwk, "y");
  if (!y.ok()) return y.status();
  // RFC 7518 section 6.2.1.2: coordinates are the full field size, no more,
  // no less.
  if (x->size() != coordinate_bytes || y->size() != coordinate_bytes) {
    return Skip(absl::StrCat("EC coordinates are not ", coordinate_bytes, " bytes"));
  }
  const std::string point = absl::StrCat("\x04", *x, *y);  // SEC 1 uncompressed
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Skip("out of memory");
  }
  absl::StatusOr<std::shared_ptr<EVP_PKEY>> key = FromData("EC", bld.get());
  if (!key.ok()) return Skip("EC point is not on the curve");
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(
      EVP_PKEY_CTX_new_from_pkey(nullptr, key->get(), nullptr));
  if (check == nullptr || EVP_PKEY_public_check(check.get()) != 1) {
    return Skip("EC point is not a valid public key");
  }
  return key;
}

absl::StatusOr<std::shared_ptr<EVP_PKEY>> Ed25519Key(const boost::json::object& jwk) {
  absl::StatusOr<std::string> x = Member(jwk, "x");
  if (!x.ok()) return x.status();
  if (x->size() != 32) return Skip("Ed25519 key is not 32 bytes");
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->data()), x->size());
  if (key == nullptr) return Skip("OpenSSL refused the Ed25519 key");
  return Own(key);
}

// The optional string member `name`; an error when present and not a string.
absl::StatusOr<std::optional<std::string>> OptionalString(const boost::json::object& jwk,
                                                          const char* name) {
  const boost::json::value* value = jwk.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) return Skip(absl::StrCat("\"", name, "\" is not a string"));
  return std::string(value->get_string());
}

KeyOr ParseKey(const boost::json::value& entry) {
  const boost::json::object* jwk = entry.if_object();
  if (jwk == nullptr) return Skip("not a JSON object");
  absl::StatusOr<std::optional<std::string>> kty = OptionalString(*jwk, "kty");
  if (!kty.ok()) return kty.status();
  if (!kty->has_value()) return Skip("no \"kty\"");
  absl::StatusOr<std::optional<std::string>> kid = OptionalString(*jwk, "kid");
  if (!kid.ok()) return kid.status();
  absl::StatusOr<std::optional<std::string>> use = OptionalString(*jwk, "use");
  if (!use.ok()) return use.status();
  if (use->has_value() && **use != "sig") return Skip("\"use\" is not \"sig\"");
  if (const boost::json::value* ops = jwk->if_contains("key_ops"); ops != nullptr) {
    bool verify = false;
    if (const boost::json::array* list = ops->if_array(); list != nullptr) {
      for (const boost::json::value& op : *list)
        verify = verify || (op.is_string() && op.get_string() == "verify");
    }
    if (!verify) return Skip("\"key_ops\" does not allow \"verify\"");
  }
  absl::StatusOr<std::optional<std::string>> alg_name = OptionalString(*jwk, "alg");
  if (!alg_name.ok()) return alg_name.status();
  std::optional<JwsAlgorithm> alg;
  if (alg_name->has_value()) {
    alg = JwsAlgorithmFromName(**alg_name);
    if (!alg.has_value()) return Skip("\"alg\" is not an algorithm this gateway verifies");
  }
  absl::StatusOr<std::optional<std::string>> crv = OptionalString(*jwk, "crv");
  if (!crv.ok()) return crv.status();
  const std::string curve = crv->value_or("");

  JwkKind kind = JwkKind::kRsa;
  absl::StatusOr<std::shared_ptr<EVP_PKEY>> key;
  if (**kty == "RSA") {
    kind = JwkKind::kRsa;
    key = RsaKey(*jwk);
  } else if (**kty == "EC" && curve == "P-256") {
    kind = JwkKind::kEcP256;
    key = EcKey(*jwk, "P-256", 32);
  } else if (**kty == "EC" && curve == "P-384") {
    kind = JwkKind::kEcP384;
    key = EcKey(*jwk, "P-384", 48);
  } else if (**kty == "OKP" && curve == "Ed25519") {
    kind = JwkKind::kEd25519;
    key = Ed25519Key(*jwk);
  } else {
    return Skip("unsupported \"kty\"/\"crv\"");
  }
  if (!key.ok()) return key.status();
  JsonWebKey result(kind, *std::move(kid), alg, *std::move(key));
  if (alg.has_value() && !result.CanVerify(*alg)) {
    return Skip(absl::StrCat("\"alg\" ", JwsAlgorithmName(*alg), " does not fit a ",
                             JwkKindName(kind), " key"));
  }
  return result;
}

}  // namespace

std::optional<JwsAlgorithm> JwsAlgorithmFromName(absl::string_view name) {
  if (name == "RS256") return JwsAlgorithm::kRs256;
  if (name == "PS256") return JwsAlgorithm::kPs256;
  if (name == "ES256") return JwsAlgorithm::kEs256;
  if (name == "ES384") return JwsAlgorithm::kEs384;
  if (name == "EdDSA") return JwsAlgorithm::kEdDsa;
  return std::nullopt;
}

absl::string_view JwsAlgorithmName(JwsAlgorithm alg) {
  switch (alg) {
    case JwsAlgorithm::kRs256:
      return "RS256";
    case JwsAlgorithm::kPs256:
      return "PS256";
    case JwsAlgorithm::kEs256:
      return "ES256";
    case JwsAlgorithm::kEs384:
      return "ES384";
    case JwsAlgorithm::kEdDsa:
      return "EdDSA";
  }
  return "?";
}

absl::string_view JwkKindName(JwkKind kind) {
  switch (kind) {
    case JwkKind::kRsa:
      return "RSA";
    case JwkKind::kEcP256:
      return "EC P-256";
    case JwkKind::kEcP384:
      return "EC P-384";
    case JwkKind::kEd25519:
      return "Ed25519";
  }
  return "?";
}

JsonWebKey::JsonWebKey(JwkKind kind, std::optional<std::string> kid,
                       std::optional<JwsAlgorithm> alg, std::shared_ptr<EVP_PKEY> key)
    : kind_(kind), kid_(std::move(kid)), alg_(alg), key_(std::move(key)) {}

bool JsonWebKey::CanVerify(JwsAlgorithm alg) const {
  if (alg_.has_value() && *alg_ != alg) return false;
  switch (alg) {
    case JwsAlgorithm::kRs256:
    case JwsAlgorithm::kPs256:
      return kind_ == JwkKind::kRsa;
    case JwsAlgorithm::kEs256:
      return kind_ == JwkKind::kEcP256;
    case JwsAlgorithm::kEs384:
      return kind_ == JwkKind::kEcP384;
    case JwsAlgorithm::kEdDsa:
      return kind_ == JwkKind::kEd25519;
  }
  return false;
}

absl::StatusOr<JsonWebKeySet> JsonWebKeySet::Parse(absl::string_view json) {
  if (json.size() > kMaxJwksBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWKS document is over ", kMaxJwksBytes, " bytes"));
  }
  std::optional<boost::json::value> document = ParseBoundedJson(json);
  if (!document.has_value() || !document->is_object()) {
    return absl::InvalidArgumentError("JWKS document is not a JSON object");
  }
  const boost::json::value* keys = document->get_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) {
    return absl::InvalidArgumentError("JWKS document has no \"keys\" array");
  }
  JsonWebKeySet set;
  size_t index = 0;
  for (const boost::json::value& entry : keys->get_array()) {
    if (index == kMaxJwksKeys) {
      set.skipped_.push_back(absl::StrCat("keys after the first ", kMaxJwksKeys, " (",
                                          keys->get_array().size() - index, ") ignored"));
      break;
    }
    KeyOr key = ParseKey(entry);
    if (key.ok()) {
      set.keys_.push_back(*std::move(key));
    } else {
      std::string kid;
      if (const boost::json::object* object = entry.if_object(); object != nullptr) {
        if (const boost::json::value* k = object->if_contains("kid");
            k != nullptr && k->is_string()) {
          const boost::json::string& text = k->get_string();
          kid = absl::StrCat(" (kid ", QuoteForMessage(absl::string_view(text.data(), text.size())),
                             ")");
        }
      }
      set.skipped_.push_back(absl::StrCat("key ", index, kid, ": ", key.status().message()));
    }
    ++index;
  }
  if (set.keys_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWKS document has no usable key",
                     set.skipped_.empty() ? "" : absl::StrCat(" (", set.skipped_.front(), ")")));
  }
  return set;
}

bool JsonWebKeySet::HasKid(absl::string_view kid) const {
  for (const JsonWebKey& key : keys_) {
    if (key.kid().has_value() && *key.kid() == kid) return true;
  }
  return false;
}

}  // namespace awsgw::auth::identity
