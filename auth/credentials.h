// Credentials: the AWS identity a request is signed with (access key id,
// secret access key, optional session token and expiry).
//
// Why a type of its own: the secret and the token must never reach a log.
// Every printer this type offers (operator<<, AbslStringify, DebugString)
// prints the access key id and the expiry only; the secret and the token are
// shown as `<redacted>`. Both are held in SecretString, so they are wiped when
// the Credentials object goes away.
//
// Example:
//   Credentials creds("AKIDEXAMPLE", secret, token, absl::Now() + absl::Hours(1));
//   LOG(INFO) << "signing as " << creds;  // never prints secret or token
#ifndef AWSGW_AUTH_CREDENTIALS_H_
#define AWSGW_AUTH_CREDENTIALS_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "auth/secret_string.h"

namespace awsgw::auth {

class Credentials {
 public:
  Credentials() = default;
  // An empty `session_token` means long-term credentials. `expiration` is
  // unset for credentials that do not expire.
  Credentials(std::string access_key_id, absl::string_view secret_access_key,
              absl::string_view session_token = {},
              std::optional<absl::Time> expiration = std::nullopt);

  const std::string& access_key_id() const { return access_key_id_; }
  absl::string_view secret_access_key() const { return secret_access_key_.view(); }
  absl::string_view session_token() const { return session_token_.view(); }
  bool has_session_token() const { return !session_token_.empty(); }
  const std::optional<absl::Time>& expiration() const { return expiration_; }

  // True when an expiry is set and `now` is at or past it.
  bool IsExpiredAt(absl::Time now) const { return expiration_.has_value() && now >= *expiration_; }

  // `Credentials{access_key_id=AKID, secret_access_key=<redacted>,
  //  session_token=<redacted>|<none>, expiration=<time>|<never>}`.
  std::string DebugString() const;

  // Redacting printers. Abseil 20220623 (Debian 12) predates AbslStringify,
  // so StrCat/StrFormat do not call it yet; it is here so that newer abseil
  // prints Credentials redacted too. The secret never reaches either.
  template <typename Sink>
  friend void AbslStringify(Sink& sink, const Credentials& credentials) {
    sink.Append(credentials.DebugString());
  }
  friend std::ostream& operator<<(std::ostream& os, const Credentials& credentials) {
    return os << credentials.DebugString();
  }

 private:
  std::string access_key_id_;
  SecretString secret_access_key_;
  SecretString session_token_;
  std::optional<absl::Time> expiration_;
};

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_CREDENTIALS_H_
