// KeySource: where a JWT issuer's verification keys come from (a file, a
// URL, a fixed set in tests). The verifier only reads the current set and
// asks for a refresh; how and when keys are fetched is the source's business.
#ifndef AWSGW_AUTH_IDENTITY_KEY_SOURCE_H_
#define AWSGW_AUTH_IDENTITY_KEY_SOURCE_H_

#include <memory>

#include "auth/identity/jwks.h"

namespace awsgw::auth::identity {

class KeySource {
 public:
  virtual ~KeySource();

  // The keys to verify with now; null or empty when there are none yet.
  // Thread-safe, never blocks on I/O (gRPC threads call it per request).
  virtual std::shared_ptr<const JsonWebKeySet> Current() const = 0;

  // The verifier saw a key id it does not know: the issuer may have rotated
  // keys. Thread-safe and non-blocking; sources rate-limit the fetches this
  // causes, since any caller can send tokens with unknown key ids.
  virtual void RequestRefresh() = 0;
};

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_KEY_SOURCE_H_
