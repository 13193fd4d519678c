#include "auth/providers/credentials_cache.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::providers {
namespace {

using ::testing::HasSubstr;

// A provider whose fetches the test answers by hand, one at a time.
class ManualProvider : public CredentialsProvider {
 public:
  void Fetch(CredentialsCallback done) override {
    absl::MutexLock lock(&mu_);
    ++fetches_;
    pending_.push_back(std::move(done));
  }
  std::string Describe() const override { return "manual"; }

  int fetches() {
    absl::MutexLock lock(&mu_);
    return fetches_;
  }
  // Waits for a fetch to be pending and answers it with `result`.
  void Answer(absl::StatusOr<Credentials> result) {
    CredentialsCallback done;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](std::vector<CredentialsCallback>* p) { return !p->empty(); }, &pending_));
      done = std::move(pending_.front());
      pending_.erase(pending_.begin());
    }
    done(std::move(result));
  }

 private:
  absl::Mutex mu_;
  int fetches_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<CredentialsCallback> pending_ ABSL_GUARDED_BY(mu_);
};

// Collects one Get() answer.
struct Answer {
  absl::Notification done;
  absl::StatusOr<Credentials> result = absl::UnknownError("unset");
  CredentialsCallback Callback() {
    return [this](absl::StatusOr<Credentials> r) {
      result = std::move(r);
      done.Notify();
    };
  }
};

class CredentialsCacheTest : public ::testing::Test {
 protected:
  CredentialsCacheTest() : provider_(std::make_shared<ManualProvider>()) {
    CredentialsCacheOptions options;
    options.clock = [this] {
      absl::MutexLock lock(&clock_mu_);
      return now_;
    };
    options.random = [] { return 1.0; };  // full backoff, deterministic
    cache_ = std::make_unique<CredentialsCache>(provider_, options);
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&clock_mu_);
    now_ += d;
  }
  absl::Time Now() {
    absl::MutexLock lock(&clock_mu_);
    return now_;
  }
  Credentials Temporary(const std::string& id, absl::Duration valid_for) {
    return Credentials(id, "secret", "token", Now() + valid_for);
  }

  absl::Mutex clock_mu_;
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  std::shared_ptr<ManualProvider> provider_;
  std::unique_ptr<CredentialsCache> cache_;
};

TEST_F(CredentialsCacheTest, ManyWaitersShareOneFetch) {
  constexpr int kCallers = 50;
  std::vector<Answer> answers(kCallers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] { cache_->Get(answers[i].Callback()); });
  }
  for (std::thread& t : threads) t.join();
  provider_->Answer(Temporary("ASIA1", absl::Hours(1)));
  for (Answer& a : answers) {
    a.done.WaitForNotification();
    ASSERT_TRUE(a.result.ok());
    EXPECT_EQ(a.result->access_key_id(), "ASIA1");
  }
  EXPECT_EQ(provider_->fetches(), 1);
  EXPECT_EQ(cache_->Stats().fetches, 1);
}

TEST_F(CredentialsCacheTest, FreshCredentialsAnswerInlineWithoutFetching) {
  cache_->Prefetch();
  provider_->Answer(Temporary("ASIA1", absl::Hours(1)));
  Answer a;
  cache_->Get(a.Callback());
  ASSERT_TRUE(a.done.HasBeenNotified());  // inline
  EXPECT_EQ(a.result->access_key_id(), "ASIA1");
  EXPECT_EQ(cache_->Stats().fetches, 1);
}

TEST_F(CredentialsCacheTest, RefreshesAheadOfExpiryWhileServingTheCurrentOnes) {
  cache_->Prefetch();
  provider_->Answer(Temporary("ASIA1", absl::Minutes(20)));
  Advance(absl::Minutes(16));  // 4 minutes left: inside the 5-minute window
  Answer during;
  cache_->Get(during.Callback());
  ASSERT_TRUE(during.done.HasBeenNotified());
  EXPECT_EQ(during.result->access_key_id(), "ASIA1");  // not kept waiting
  EXPECT_EQ(cache_->Stats().fetches, 2);               // but a refresh started
  Answer again;
  cache_->Get(again.Callback());  // no second refresh while one is in flight
  EXPECT_EQ(cache_->Stats().fetches, 2);
  provider_->Answer(Temporary("ASIA2", absl::Hours(1)));
  Answer after;
  cache_->Get(after.Callback());
  EXPECT_EQ(after.result->access_key_id(), "ASIA2");
}

TEST_F(CredentialsCacheTest, FailedRefreshKeepsServingValidCredentialsAndBacksOff) {
  cache_->Prefetch();
  provider_->Answer(Temporary("ASIA1", absl::Minutes(10)));
  Advance(absl::Minutes(6));
  Answer first;
  cache_->Get(first.Callback());
  EXPECT_EQ(first.result->access_key_id(), "ASIA1");
  provider_->Answer(absl::UnavailableError("sts down"));
  // Still valid: served, and no new fetch until the backoff (1 s) passed.
  Answer second;
  cache_->Get(second.Callback());
  EXPECT_EQ(second.result->access_key_id(), "ASIA1");
  EXPECT_EQ(cache_->Stats().fetches, 2);
  Advance(absl::Seconds(2));
  Answer third;
  cache_->Get(third.Callback());
  EXPECT_EQ(third.result->access_key_id(), "ASIA1");
  EXPECT_EQ(cache_->Stats().fetches, 3);
  provider_->Answer(Temporary("ASIA2", absl::Hours(1)));
  EXPECT_EQ(cache_->Peek()->access_key_id(), "ASIA2");
  EXPECT_EQ(cache_->Stats().failures, 1);
}

TEST_F(CredentialsCacheTest, WithNothingValidCallersWaitThenFailFastDuringBackoff) {
  Answer waiting;
  cache_->Get(waiting.Callback());
  EXPECT_FALSE(waiting.done.HasBeenNotified());
  provider_->Answer(absl::PermissionDeniedError("role not assumable"));
  waiting.done.WaitForNotification();
  EXPECT_EQ(waiting.result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(waiting.result.status().message()),
              HasSubstr("no AWS credentials from manual: role not assumable"));

  Answer fast;
  cache_->Get(fast.Callback());  // inside the backoff: no new fetch
  ASSERT_TRUE(fast.done.HasBeenNotified());
  EXPECT_FALSE(fast.result.ok());
  EXPECT_EQ(cache_->Stats().fetches, 1);

  // Backoff doubles: 1 s, then 2 s.
  Advance(absl::Seconds(1));
  Answer retry;
  cache_->Get(retry.Callback());
  provider_->Answer(absl::UnavailableError("still down"));
  EXPECT_EQ(cache_->Stats().fetches, 2);
  Advance(absl::Milliseconds(1500));
  Answer too_soon;
  cache_->Get(too_soon.Callback());
  EXPECT_EQ(cache_->Stats().fetches, 2);
  Advance(absl::Milliseconds(600));
  Answer later;
  cache_->Get(later.Callback());
  EXPECT_EQ(cache_->Stats().fetches, 3);
  provider_->Answer(Temporary("ASIA9", absl::Hours(1)));
  later.done.WaitForNotification();
  EXPECT_EQ(later.result->access_key_id(), "ASIA9");
}

TEST_F(CredentialsCacheTest, ExpiredCredentialsAreNeverHandedOut) {
  cache_->Prefetch();
  provider_->Answer(Temporary("ASIA1", absl::Minutes(10)));
  Advance(absl::Minutes(10) - absl::Seconds(10));  // within the 30 s margin
  EXPECT_FALSE(cache_->Peek().has_value());
  Answer a;
  cache_->Get(a.Callback());
  EXPECT_FALSE(a.done.HasBeenNotified());  // waits for the refresh
  provider_->Answer(Temporary("ASIA2", absl::Hours(1)));
  a.done.WaitForNotification();
  EXPECT_EQ(a.result->access_key_id(), "ASIA2");
}

TEST_F(CredentialsCacheTest, LongTermCredentialsAreFetchedOnce) {
  cache_->Prefetch();
  provider_->Answer(Credentials("AKIA", "secret"));
  Advance(absl::Hours(24 * 365));
  Answer a;
  cache_->Get(a.Callback());
  EXPECT_EQ(a.result->access_key_id(), "AKIA");
  EXPECT_EQ(cache_->Stats().fetches, 1);
}

TEST_F(CredentialsCacheTest, ProviderThatRefreshesTooLateIsNotHammered) {
  cache_->Prefetch();
  provider_->Answer(Temporary("ASIA1", absl::Minutes(3)));  // already due
  for (int i = 0; i < 100; ++i) {
    Answer a;
    cache_->Get(a.Callback());
    EXPECT_EQ(a.result->access_key_id(), "ASIA1");
  }
  EXPECT_EQ(cache_->Stats().fetches, 1);  // min_refresh_interval holds it back
}

}  // namespace
}  // namespace awsgw::auth::providers
