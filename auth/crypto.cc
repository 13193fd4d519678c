// OpenSSL 3 EVP implementation of SHA-256 and HMAC-SHA256 (see crypto.h for
// why HMAC is assembled from the digest).
#include "auth/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace awsgw::auth {
namespace {

constexpr size_t kBlockSize = 64;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "awsgw::auth: OpenSSL %s failed; cannot compute SHA-256\n", what);
  std::abort();
}

// Fetched once: EVP_sha256() would make OpenSSL 3 look the implementation up
// on every EVP_DigestInit. Never freed (process lifetime).
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? static_cast<const EVP_MD*>(fetched) : EVP_sha256();
  }();
  return md;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// One reusable context per thread: EVP_DigestInit_ex2 resets it.
EVP_MD_CTX* ThreadMdCtx() {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) Die("EVP_MD_CTX_new");
  return ctx.get();
}

// Hashes the concatenation of `first` and `second`.
Sha256Digest Sha256Of(const void* first, size_t first_size, const void* second,
                      size_t second_size) {
  EVP_MD_CTX* ctx = ThreadMdCtx();
  Sha256Digest digest;
  unsigned int size = 0;
  if (EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr) != 1) Die("EVP_DigestInit_ex2");
  if (EVP_DigestUpdate(ctx, first, first_size) != 1) Die("EVP_DigestUpdate");
  if (second_size > 0 && EVP_DigestUpdate(ctx, second, second_size) != 1) {
    Die("EVP_DigestUpdate");
  }
  if (EVP_DigestFinal_ex(ctx, digest.data(), &size) != 1 || size != kSha256Size) {
    Die("EVP_DigestFinal_ex");
  }
  return digest;
}

}  // namespace

Sha256Digest Sha256(absl::string_view data) { return Sha256Of(data.data(), data.size(), "", 0); }

Sha256Digest HmacSha256(std::span<const uint8_t> key, absl::string_view data) {
  uint8_t block[kBlockSize] = {};
  if (key.size() > kBlockSize) {
    Sha256Digest hashed = Sha256Of(key.data(), key.size(), "", 0);
    std::memcpy(block, hashed.data(), hashed.size());
    OPENSSL_cleanse(hashed.data(), hashed.size());
  } else if (!key.empty()) {
    std::memcpy(block, key.data(), key.size());
  }
  uint8_t pad[kBlockSize];
  for (size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x36;
  Sha256Digest inner = Sha256Of(pad, kBlockSize, data.data(), data.size());
  for (size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x5c;
  Sha256Digest outer = Sha256Of(pad, kBlockSize, inner.data(), inner.size());
  OPENSSL_cleanse(block, sizeof(block));
  OPENSSL_cleanse(pad, sizeof(pad));
  OPENSSL_cleanse(inner.data(), inner.size());
  return outer;
}

void AppendHex(std::span<const uint8_t> bytes, std::string& out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  size_t at = out.size();
  out.resize(at + 2 * bytes.size());
  for (uint8_t byte : bytes) {
    out[at++] = kDigits[byte >> 4];
    out[at++] = kDigits[byte & 0xf];
  }
}

std::string HexEncode(std::span<const uint8_t> bytes) {
  std::string out;
  AppendHex(bytes, out);
  return out;
}

std::string Sha256Hex(absl::string_view data) { return HexEncode(Sha256(data)); }

}  // namespace awsgw::auth
