// SecretString: a string holding key material (a secret access key, a
// session token) that wipes its bytes when it is destroyed, overwritten or
// moved from.
//
// Why: secrets outlive the request that used them only as long as something
// holds them; a copy left behind in freed heap memory or in a moved-from
// std::string buffer is what a core dump or a heap disclosure would leak.
// SecretString never moves its buffer out; a move copies and wipes the source.
// It has no operator<< on purpose.
#ifndef AWSGW_AUTH_SECRET_STRING_H_
#define AWSGW_AUTH_SECRET_STRING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace awsgw::auth {

class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(absl::string_view value) : value_(value) {}
  SecretString(const SecretString& other) : value_(other.value_) {}
  SecretString(SecretString&& other) noexcept : value_(other.value_) { other.Wipe(); }
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString() { Wipe(); }

  // The secret bytes. Valid until this object is modified or destroyed.
  absl::string_view view() const { return value_; }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }

  // Overwrites the bytes with zeros (OPENSSL_cleanse) and empties the string.
  void Wipe() noexcept;

 private:
  std::string value_;
};

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SECRET_STRING_H_
