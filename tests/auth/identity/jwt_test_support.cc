#include "tests/auth/identity/jwt_test_support.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "auth/identity/base64url.h"

namespace awsgw::auth::identity::testing {
namespace {

void Check(bool ok, absl::string_view what) {
  if (!ok) {
    std::cerr << "OpenSSL failed: " << what << "\n";
    std::abort();
  }
}

std::string BnBytes(EVP_PKEY* key, const char* name, int pad) {
  BIGNUM* bn = nullptr;
  Check(EVP_PKEY_get_bn_param(key, name, &bn) == 1, name);
  std::string out(pad > 0 ? static_cast<size_t>(pad) : static_cast<size_t>(BN_num_bytes(bn)), '\0');
  Check(BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()),
                     static_cast<int>(out.size())) > 0,
        "bn2binpad");
  BN_free(bn);
  return out;
}

std::string Serialize(const boost::json::object& object) { return boost::json::serialize(object); }

std::string SigningInput(const boost::json::object& header, const boost::json::object& claims) {
  return absl::StrCat(Base64UrlEncode(Serialize(header)), ".", Base64UrlEncode(Serialize(claims)));
}

}  // namespace

TestKey::TestKey(EVP_PKEY* key) : key_(key, [](EVP_PKEY* k) { EVP_PKEY_free(k); }) {
  Check(key != nullptr, "keygen");
}

TestKey TestKey::Rsa(int bits) {
  return TestKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
}
TestKey TestKey::EcP256() { return TestKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }
TestKey TestKey::EcP384() { return TestKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384")); }
TestKey TestKey::Ed25519() { return TestKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")); }

boost::json::object TestKey::Jwk(absl::string_view kid, std::optional<absl::string_view> alg,
                                 std::optional<absl::string_view> use) const {
  boost::json::object jwk;
  EVP_PKEY* key = key_.get();
  if (EVP_PKEY_is_a(key, "RSA")) {
    jwk["kty"] = "RSA";
    jwk["n"] = Base64UrlEncode(BnBytes(key, OSSL_PKEY_PARAM_RSA_N, 0));
    jwk["e"] = Base64UrlEncode(BnBytes(key, OSSL_PKEY_PARAM_RSA_E, 0));
  } else if (EVP_PKEY_is_a(key, "EC")) {
    const int size = EVP_PKEY_get_bits(key) == 384 ? 48 : 32;
    jwk["kty"] = "EC";
    jwk["crv"] = size == 48 ? "P-384" : "P-256";
    jwk["x"] = Base64UrlEncode(BnBytes(key, OSSL_PKEY_PARAM_EC_PUB_X, size));
    jwk["y"] = Base64UrlEncode(BnBytes(key, OSSL_PKEY_PARAM_EC_PUB_Y, size));
  } else {
    unsigned char raw[32];
    size_t length = sizeof(raw);
    Check(EVP_PKEY_get_raw_public_key(key, raw, &length) == 1, "raw public key");
    jwk["kty"] = "OKP";
    jwk["crv"] = "Ed25519";
    jwk["x"] = Base64UrlEncode(absl::string_view(reinterpret_cast<const char*>(raw), length));
  }
  jwk["kid"] = boost::json::string_view(kid.data(), kid.size());
  if (alg.has_value()) jwk["alg"] = boost::json::string_view(alg->data(), alg->size());
  if (use.has_value()) jwk["use"] = boost::json::string_view(use->data(), use->size());
  return jwk;
}

std::string TestKey::Sign(absl::string_view alg, absl::string_view input) const {
  const bool eddsa = alg == "EdDSA";
  const char* digest = eddsa ? nullptr : (alg == "ES384" ? "SHA384" : "SHA256");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  Check(EVP_DigestSignInit_ex(ctx, &pctx, digest, nullptr, nullptr, key_.get(), nullptr) == 1,
        "sign init");
  if (alg == "PS256") {
    Check(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
              EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) == 1 &&
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1,
          "pss");
  }
  size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  Check(EVP_DigestSign(ctx, nullptr, &length, data, input.size()) == 1, "sign size");
  std::string signature(length, '\0');
  Check(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                       input.size()) == 1,
        "sign");
  signature.resize(length);
  EVP_MD_CTX_free(ctx);
  if (alg == "ES256" || alg == "ES384") {
    const int half = alg == "ES256" ? 32 : 48;
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
    Check(sig != nullptr, "der");
    std::string jose(2 * static_cast<size_t>(half), '\0');
    auto* out = reinterpret_cast<unsigned char*>(jose.data());
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, half);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + half, half);
    ECDSA_SIG_free(sig);
    return jose;
  }
  return signature;
}

std::string TestKey::PublicPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_PUBKEY(bio, key_.get()) == 1, "pem");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(length));
  BIO_free(bio);
  return pem;
}

const TestKey& RsaKey() {
  static const TestKey* key = new TestKey(TestKey::Rsa());
  return *key;
}
const TestKey& RsaKey2() {
  static const TestKey* key = new TestKey(TestKey::Rsa());
  return *key;
}
const TestKey& EcKey() {
  static const TestKey* key = new TestKey(TestKey::EcP256());
  return *key;
}
const TestKey& Ec384Key() {
  static const TestKey* key = new TestKey(TestKey::EcP384());
  return *key;
}
const TestKey& EdKey() {
  static const TestKey* key = new TestKey(TestKey::Ed25519());
  return *key;
}

std::string JwksJson(const std::vector<boost::json::object>& keys) {
  boost::json::array array;
  for (const boost::json::object& key : keys) array.push_back(key);
  boost::json::object document;
  document["keys"] = std::move(array);
  return boost::json::serialize(document);
}

std::string SignToken(const boost::json::object& header, const boost::json::object& claims,
                      const TestKey& key) {
  const std::string input = SigningInput(header, claims);
  const boost::json::string& alg = header.at("alg").as_string();
  return absl::StrCat(input, ".",
                      Base64UrlEncode(key.Sign(absl::string_view(alg.data(), alg.size()), input)));
}

std::string HmacToken(const boost::json::object& header, const boost::json::object& claims,
                      absl::string_view secret) {
  const std::string input = SigningInput(header, claims);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  Check(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
             &length) != nullptr,
        "hmac");
  return absl::StrCat(input, ".",
                      Base64UrlEncode(absl::string_view(reinterpret_cast<char*>(mac), length)));
}

std::string UnsignedToken(const boost::json::object& header, const boost::json::object& claims,
                          absl::string_view signature) {
  return absl::StrCat(SigningInput(header, claims), ".", Base64UrlEncode(signature));
}

}  // namespace awsgw::auth::identity::testing
