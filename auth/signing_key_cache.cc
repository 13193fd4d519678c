// LRU signing-key cache. Linear scan on purpose: with a handful of entries a
// scan of short strings beats hashing the secret on every lookup.
#include "auth/signing_key_cache.h"

#include <openssl/crypto.h>

#include <algorithm>

namespace awsgw::auth {
namespace {

// Constant time for equal lengths, so a cache probe does not leak how much of
// a secret matched.
bool SecretEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

SigningKeyCache::SigningKeyCache(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {
  absl::MutexLock lock(&mu_);
  entries_.reserve(capacity_);
}

int SigningKeyCache::FindLocked(absl::string_view secret, absl::string_view date,
                                absl::string_view region, absl::string_view service) const {
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& entry = entries_[i];
    if (entry.date == date && entry.region == region && entry.service == service &&
        SecretEquals(entry.secret.view(), secret)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

SigningKey SigningKeyCache::GetOrDerive(absl::string_view secret_access_key,
                                        absl::string_view scope_date, absl::string_view region,
                                        absl::string_view service) {
  {
    absl::MutexLock lock(&mu_);
    int found = FindLocked(secret_access_key, scope_date, region, service);
    if (found >= 0) {
      Entry& entry = entries_[found];
      entry.last_used = ++tick_;
      ++stats_.hits;
      return entry.key;
    }
    ++stats_.misses;
  }
  SigningKey key = DeriveSigningKey(secret_access_key, scope_date, region, service);
  absl::MutexLock lock(&mu_);
  // Another thread may have derived the same key meanwhile.
  if (FindLocked(secret_access_key, scope_date, region, service) >= 0) return key;
  Entry fresh{SecretString(secret_access_key),
              std::string(scope_date),
              std::string(region),
              std::string(service),
              key,
              ++tick_};
  if (entries_.size() < capacity_) {
    entries_.push_back(std::move(fresh));
  } else {
    auto oldest =
        std::min_element(entries_.begin(), entries_.end(),
                         [](const Entry& a, const Entry& b) { return a.last_used < b.last_used; });
    *oldest = std::move(fresh);  // SecretString/SigningKey assignment wipes the old entry
    ++stats_.evictions;
  }
  return key;
}

SigningKeyCache::Stats SigningKeyCache::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

size_t SigningKeyCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace awsgw::auth
