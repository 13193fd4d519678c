#include "auth/providers/credentials_cache.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace awsgw::auth::providers {

// Shared with in-flight fetch callbacks, which may outlive the cache.
struct CredentialsCache::State {
  std::shared_ptr<CredentialsProvider> provider;
  CredentialsCacheOptions options;

  mutable absl::Mutex mu;
  std::optional<Credentials> cached ABSL_GUARDED_BY(mu);
  bool in_flight ABSL_GUARDED_BY(mu) = false;
  std::vector<CredentialsCallback> waiters ABSL_GUARDED_BY(mu);
  absl::Time next_fetch ABSL_GUARDED_BY(mu) = absl::InfinitePast();
  absl::Status last_error ABSL_GUARDED_BY(mu);
  int consecutive_failures ABSL_GUARDED_BY(mu) = 0;
  CredentialsCacheStats stats ABSL_GUARDED_BY(mu);

  bool Usable(const Credentials& credentials, absl::Time now) const {
    return !credentials.expiration().has_value() ||
           now < *credentials.expiration() - options.expiry_margin;
  }
  bool DueForRefresh(const Credentials& credentials, absl::Time now) const {
    return credentials.expiration().has_value() &&
           now >= *credentials.expiration() - options.refresh_ahead;
  }
  double Random() const {
    if (options.random) return options.random();
    thread_local absl::BitGen gen;
    return absl::Uniform<double>(gen, 0.0, 1.0);
  }
  absl::Duration Backoff(int failures) const {
    absl::Duration backoff = options.min_backoff * std::pow(2.0, std::min(failures - 1, 30));
    backoff = std::min(backoff, options.max_backoff);
    return backoff * (0.5 + 0.5 * Random());
  }

  void OnFetched(absl::StatusOr<Credentials> result) {
    std::vector<CredentialsCallback> waiters_now;
    absl::StatusOr<Credentials> answer = absl::UnavailableError("unset");
    {
      absl::MutexLock lock(&mu);
      const absl::Time now = options.clock();
      in_flight = false;
      waiters_now.swap(waiters);
      if (result.ok()) {
        cached = *result;
        consecutive_failures = 0;
        last_error = absl::OkStatus();
        next_fetch = now + options.min_refresh_interval;
      } else {
        ++stats.failures;
        ++consecutive_failures;
        last_error = absl::UnavailableError(absl::StrCat(
            "no AWS credentials from ", provider->Describe(), ": ", result.status().message()));
        next_fetch = now + Backoff(consecutive_failures);
      }
      if (cached.has_value() && Usable(*cached, now)) {
        answer = *cached;
      } else if (result.ok()) {
        answer = absl::UnavailableError(absl::StrCat(
            "no AWS credentials from ", provider->Describe(), ": they expire too soon to use"));
      } else {
        answer = last_error;
      }
    }
    for (CredentialsCallback& waiter : waiters_now) waiter(answer);
  }
};

CredentialsCache::CredentialsCache(std::shared_ptr<CredentialsProvider> provider,
                                   CredentialsCacheOptions options)
    : state_(std::make_shared<State>()), worker_(std::make_unique<BlockingWorker>()) {
  state_->provider = std::move(provider);
  state_->options = std::move(options);
}

CredentialsCache::~CredentialsCache() = default;

void CredentialsCache::Get(CredentialsCallback done) {
  State& s = *state_;
  std::optional<Credentials> now_usable;
  bool start_fetch = false;
  bool wait_for_fetch = false;
  absl::Status fail_fast;
  {
    absl::MutexLock lock(&s.mu);
    const absl::Time now = s.options.clock();
    if (s.cached.has_value() && s.Usable(*s.cached, now)) {
      now_usable = *s.cached;
      start_fetch = s.DueForRefresh(*s.cached, now) && !s.in_flight && now >= s.next_fetch;
    } else if (s.in_flight) {
      s.waiters.push_back(std::move(done));
      return;
    } else if (now < s.next_fetch && !s.last_error.ok()) {
      fail_fast = s.last_error;
    } else {
      start_fetch = true;
      wait_for_fetch = true;
    }
    if (start_fetch) {
      s.in_flight = true;
      ++s.stats.fetches;
    }
  }
  if (wait_for_fetch) {
    // No fetch can finish before StartFetch(), so queueing here is in time.
    {
      absl::MutexLock lock(&s.mu);
      s.waiters.push_back(std::move(done));
    }
    StartFetch();
    return;
  }
  if (start_fetch) StartFetch();
  if (now_usable.has_value()) {
    done(*std::move(now_usable));
  } else if (!fail_fast.ok()) {
    done(fail_fast);
  }
}

std::optional<Credentials> CredentialsCache::Peek() const {
  absl::MutexLock lock(&state_->mu);
  if (state_->cached.has_value() && state_->Usable(*state_->cached, state_->options.clock())) {
    return state_->cached;
  }
  return std::nullopt;
}

void CredentialsCache::Prefetch() {
  {
    absl::MutexLock lock(&state_->mu);
    const absl::Time now = state_->options.clock();
    if (state_->in_flight || (state_->cached.has_value() && state_->Usable(*state_->cached, now))) {
      return;
    }
    state_->in_flight = true;
    ++state_->stats.fetches;
  }
  StartFetch();
}

void CredentialsCache::StartFetch() {
  worker_->Post([state = state_] {
    state->provider->Fetch(
        [state](absl::StatusOr<Credentials> result) { state->OnFetched(std::move(result)); });
  });
}

CredentialsCacheStats CredentialsCache::Stats() const {
  absl::MutexLock lock(&state_->mu);
  return state_->stats;
}

std::string CredentialsCache::Describe() const { return state_->provider->Describe(); }

}  // namespace awsgw::auth::providers
