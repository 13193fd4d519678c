// CredentialsCache: the gateway's view of its own credentials. Every AWS
// call asks it; it asks the provider as rarely as it can.
//
//   * Long-term credentials are fetched once and kept.
//   * Temporary ones are refreshed `refresh_ahead` before they expire, in the
//     background: callers keep getting the current ones meanwhile.
//   * One fetch in flight at a time, however many callers wait (single
//     flight); callers that have nothing usable wait for that fetch.
//   * A failed fetch keeps serving credentials that are still valid and
//     tries again after a backoff (exponential with jitter, capped); while
//     backing off with nothing valid, callers fail at once with the last
//     error rather than piling onto the provider.
//
// Threading: Get() never blocks and may call `done` inline (credentials at
// hand or a fast failure); otherwise `done` runs on the thread that
// completed the fetch. Providers are called on the cache's own worker
// thread. Errors are UNAVAILABLE, naming the provider and the reason.
#ifndef AWSGW_AUTH_PROVIDERS_CREDENTIALS_CACHE_H_
#define AWSGW_AUTH_PROVIDERS_CREDENTIALS_CACHE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "auth/providers/blocking_worker.h"
#include "auth/providers/credentials_provider.h"

namespace awsgw::auth::providers {

struct CredentialsCacheOptions {
  // Refresh temporary credentials this long before they expire.
  absl::Duration refresh_ahead = absl::Minutes(5);
  // Credentials this close to expiry are not handed out: a request signed
  // with them could arrive after they expired.
  absl::Duration expiry_margin = absl::Seconds(30);
  // Backoff after failed fetches: min_backoff * 2^(failures-1), capped at
  // max_backoff, with jitter in [1/2, 1] of that.
  absl::Duration min_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(1);
  // After a successful fetch, the next is not started sooner than this even
  // if the provider handed out credentials that are already due for refresh.
  absl::Duration min_refresh_interval = absl::Seconds(10);
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  std::function<double()> random;  // [0, 1); defaults to a thread-local generator
};

struct CredentialsCacheStats {
  int64_t fetches = 0;   // provider calls started
  int64_t failures = 0;  // of which failed
};

class CredentialsCache {
 public:
  CredentialsCache(std::shared_ptr<CredentialsProvider> provider,
                   CredentialsCacheOptions options = {});
  ~CredentialsCache();
  CredentialsCache(const CredentialsCache&) = delete;
  CredentialsCache& operator=(const CredentialsCache&) = delete;

  // Credentials to sign with now, or UNAVAILABLE.
  void Get(CredentialsCallback done);

  // Credentials usable now, without fetching.
  std::optional<Credentials> Peek() const;

  // Starts a fetch if there are no usable credentials and none is in flight
  // (at start-up, so the first call need not wait).
  void Prefetch();

  CredentialsCacheStats Stats() const;
  std::string Describe() const;

 private:
  struct State;
  void StartFetch();

  std::shared_ptr<State> state_;
  std::unique_ptr<BlockingWorker> worker_;  // runs provider fetches
};

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_CREDENTIALS_CACHE_H_
