// JWTs and JWKS documents from a hostile caller or a hostile key endpoint.
//
// The first byte picks the mode:
//   even: the rest is a token, verified as it comes (it cannot carry a valid
//         signature, so this reaches the parser and the signature checks);
//   odd:  the rest is "<header JSON>\n<claims JSON>", signed here with the
//         verifier's own ES256 key, so the claim checks (iss, aud, exp, nbf,
//         sub, groups) run on arbitrary JSON too.
// Every input is also parsed as a JWKS document. Invariants: nothing
// crashes or throws; an accepted token names a non-empty principal and was
// signed by the key (the raw mode can never be accepted).
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "auth/identity/jwks.h"
#include "auth/identity/jwks_source.h"
#include "auth/identity/jwt.h"
#include "auth/identity/jwt_verifier.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using awsgw::auth::identity::JsonWebKeySet;

std::string Base64Url(absl::string_view bytes) {
  std::string out;
  absl::WebSafeBase64Escape(bytes, &out);  // unpadded
  return out;
}

std::string BigEndian(const BIGNUM* n, int width) {
  std::string out(width, '\0');
  BN_bn2binpad(n, reinterpret_cast<unsigned char*>(out.data()), width);
  return out;
}

struct Fixture {
  EVP_PKEY* key = nullptr;
  std::unique_ptr<awsgw::auth::identity::JwtVerifier> verifier;

  Fixture() {
    key = EVP_EC_gen("P-256");
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    EVP_PKEY_get_bn_param(key, "qx", &x);
    EVP_PKEY_get_bn_param(key, "qy", &y);
    const std::string jwks = absl::StrCat(
        R"({"keys":[{"kty":"EC","crv":"P-256","kid":"fuzz","use":"sig","x":")",
        Base64Url(BigEndian(x, 32)), R"(","y":")", Base64Url(BigEndian(y, 32)), R"("}]})");
    BN_free(x);
    BN_free(y);
    absl::StatusOr<JsonWebKeySet> keys = JsonWebKeySet::Parse(jwks);
    if (!keys.ok()) std::abort();
    awsgw::auth::identity::JwtIssuer issuer;
    issuer.settings.issuer = "https://issuer.fuzz";
    issuer.settings.audiences = {"gateway"};
    issuer.settings.groups_claim = "groups";
    issuer.keys = std::make_shared<awsgw::auth::identity::StaticKeySource>(*std::move(keys));
    std::vector<awsgw::auth::identity::JwtIssuer> issuers;
    issuers.push_back(std::move(issuer));
    auto created = awsgw::auth::identity::JwtVerifier::Create(std::move(issuers));
    if (!created.ok()) std::abort();
    verifier = *std::move(created);
  }

  // ES256 over `input`: the JOSE form, r || s.
  std::string Sign(absl::string_view input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t length = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string der(length, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(ctx);
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(length));
    std::string raw = BigEndian(ECDSA_SIG_get0_r(sig), 32) + BigEndian(ECDSA_SIG_get0_s(sig), 32);
    ECDSA_SIG_free(sig);
    return raw;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture* const fixture = new Fixture();
  awsgw::fuzz::Input input(data, size);
  const bool sign = (input.Byte() & 1) != 0;
  const absl::Time now = absl::FromUnixSeconds(1800000000);
  std::string token;
  if (sign) {
    const std::string header = input.Line();
    const std::string claims = input.Rest();
    const std::string signing_input = absl::StrCat(Base64Url(header), ".", Base64Url(claims));
    token = absl::StrCat(signing_input, ".", Base64Url(fixture->Sign(signing_input)));
  } else {
    token = input.Rest();
  }
  (void)awsgw::auth::identity::ParseCompactJwt(token, 8192);
  awsgw::auth::identity::AuthOutcome outcome = fixture->verifier->Verify(token, now);
  if (outcome.ok()) {
    if (!sign || outcome.identity->principal.empty()) std::abort();
  } else if (outcome.failure.reason.empty()) {
    std::abort();  // a refusal always says why
  }
  (void)JsonWebKeySet::Parse(token);
  return 0;
}
