// SecretString's wiping: OPENSSL_cleanse, which the compiler may not elide the
// way it may elide a memset of memory about to be freed.
#include "auth/secret_string.h"

#include <openssl/crypto.h>

namespace awsgw::auth {

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) {
    Wipe();
    value_ = other.value_;
  }
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe();
    value_ = other.value_;  // copy, not move: the source buffer is wiped below
    other.Wipe();
  }
  return *this;
}

void SecretString::Wipe() noexcept {
  if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
  value_.clear();
}

}  // namespace awsgw::auth
