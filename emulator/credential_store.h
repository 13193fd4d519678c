// CredentialStore: the access keys the emulator accepts, as the
// Sigv4Verifier's credentials lookup.
//
// A store starts with one generated key pair (an "AKIA..." id and a 40
// character secret from the injected random source), so an emulator is usable
// without configuration, plus any keys its embedder adds.
//
// Threading: every method is thread-safe.
#ifndef AWSGW_EMULATOR_CREDENTIAL_STORE_H_
#define AWSGW_EMULATOR_CREDENTIAL_STORE_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "auth/credentials.h"
#include "auth/sigv4_verifier.h"

namespace awsgw::emulator {

class CredentialStore {
 public:
  // `random_byte` supplies the bytes the default key pair is made of.
  explicit CredentialStore(const std::function<uint8_t()>& random_byte);

  // The generated key pair every store starts with.
  const auth::Credentials& default_credentials() const { return default_; }

  // Accepts `credentials` from now on (replacing a key with the same id).
  void Add(const auth::Credentials& credentials);

  // The credentials for an access key id; NOT_FOUND when it is unknown.
  absl::StatusOr<auth::Credentials> Find(absl::string_view access_key_id) const;

  // Find() as the verifier's lookup. The store must outlive the lookup.
  auth::CredentialsLookup AsLookup() const;

 private:
  auth::Credentials default_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, auth::Credentials> by_id_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_CREDENTIAL_STORE_H_
