#include "auth/identity/jws_signature.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>

namespace awsgw::auth::identity {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The DER ECDSA-Sig-Value for a JOSE r||s signature of two `half`-byte
// integers, or empty when the length is wrong.
std::string JoseToDer(absl::string_view signature, size_t half) {
  if (signature.size() != 2 * half) return {};
  BIGNUM* r = BN_bin2bn(Bytes(signature), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(signature) + half, static_cast<int>(half), nullptr);
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || sig == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return {};
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

}  // namespace

bool VerifyJwsSignature(JwsAlgorithm alg, const JsonWebKey& key, absl::string_view signing_input,
                        absl::string_view signature) {
  if (!key.CanVerify(alg) || key.pkey() == nullptr) return false;
  const char* digest = nullptr;
  std::string der;
  absl::string_view checked = signature;
  switch (alg) {
    case JwsAlgorithm::kRs256:
    case JwsAlgorithm::kPs256:
      digest = "SHA256";
      break;
    case JwsAlgorithm::kEs256:
      digest = "SHA256";
      der = JoseToDer(signature, 32);
      if (der.empty()) return false;
      checked = der;
      break;
    case JwsAlgorithm::kEs384:
      digest = "SHA384";
      der = JoseToDer(signature, 48);
      if (der.empty()) return false;
      checked = der;
      break;
    case JwsAlgorithm::kEdDsa:
      if (signature.size() != 64) return false;
      break;  // Ed25519 hashes internally: no digest
  }

  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (ctx == nullptr || EVP_DigestVerifyInit_ex(ctx.get(), &pctx, digest, nullptr, nullptr,
                                                key.pkey(), nullptr) != 1) {
    return false;
  }
  if (alg == JwsAlgorithm::kRs256 && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return false;
  }
  if (alg == JwsAlgorithm::kPs256 &&
      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) != 1)) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), Bytes(checked), checked.size(), Bytes(signing_input),
                          signing_input.size()) == 1;
}

}  // namespace awsgw::auth::identity
