// SigningKeyCache: a small, bounded, thread-safe cache of derived SigV4
// signing keys, keyed by (secret access key, scope date, region, service).
//
// Why: deriving a key is four HMACs, more than the rest of a signature's
// crypto, and a gateway signs many requests with the same few keys on the
// same day. The cache holds at most `capacity` entries and evicts the least
// recently used one. Secrets and keys in evicted or destroyed entries are
// wiped (SecretString, SigningKey).
//
// Threading: all methods may be called concurrently. Derivation on a miss
// runs outside the lock, so a miss does not stall other signers.
#ifndef AWSGW_AUTH_SIGNING_KEY_CACHE_H_
#define AWSGW_AUTH_SIGNING_KEY_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "auth/secret_string.h"
#include "auth/signing_key.h"

namespace awsgw::auth {

class SigningKeyCache {
 public:
  static constexpr size_t kDefaultCapacity = 16;

  // `capacity` 0 is treated as 1.
  explicit SigningKeyCache(size_t capacity = kDefaultCapacity);
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  // Returns the signing key for the scope, deriving and caching it on a miss.
  SigningKey GetOrDerive(absl::string_view secret_access_key, absl::string_view scope_date,
                         absl::string_view region, absl::string_view service);

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t evictions = 0;
  };
  Stats stats() const;
  size_t size() const;
  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    SecretString secret;
    std::string date;
    std::string region;
    std::string service;
    SigningKey key;
    uint64_t last_used = 0;
  };

  // Index of the matching entry, or -1.
  int FindLocked(absl::string_view secret, absl::string_view date, absl::string_view region,
                 absl::string_view service) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t tick_ ABSL_GUARDED_BY(mu_) = 0;  // LRU clock
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_SIGNING_KEY_CACHE_H_
