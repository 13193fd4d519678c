// Unit tests for SigningKeyCache: hits, LRU eviction, and concurrent use.
#include "auth/signing_key_cache.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "auth/crypto.h"
#include "gtest/gtest.h"

namespace awsgw::auth {
namespace {

std::string Hex(const SigningKey& key) { return HexEncode(key.bytes()); }

TEST(SigningKeyCacheTest, MissThenHitReturnsTheDerivedKey) {
  SigningKeyCache cache(4);
  const std::string expected = Hex(DeriveSigningKey("secret", "20150830", "us-east-1", "ecs"));
  EXPECT_EQ(Hex(cache.GetOrDerive("secret", "20150830", "us-east-1", "ecs")), expected);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().hits, 0u);
  EXPECT_EQ(Hex(cache.GetOrDerive("secret", "20150830", "us-east-1", "ecs")), expected);
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SigningKeyCacheTest, EveryKeyPartIsPartOfTheCacheKey) {
  SigningKeyCache cache(8);
  (void)cache.GetOrDerive("secret", "20150830", "us-east-1", "ecs");
  for (auto [secret, date, region, service] :
       {std::tuple{"secreT", "20150830", "us-east-1", "ecs"},
        std::tuple{"secret", "20150831", "us-east-1", "ecs"},
        std::tuple{"secret", "20150830", "us-east-2", "ecs"},
        std::tuple{"secret", "20150830", "us-east-1", "iam"},
        std::tuple{"secret2", "20150830", "us-east-1", "ecs"}}) {
    EXPECT_EQ(Hex(cache.GetOrDerive(secret, date, region, service)),
              Hex(DeriveSigningKey(secret, date, region, service)));
  }
  EXPECT_EQ(cache.stats().misses, 6u);
  EXPECT_EQ(cache.stats().hits, 0u);
  EXPECT_EQ(cache.size(), 6u);
}

TEST(SigningKeyCacheTest, EvictsLeastRecentlyUsed) {
  SigningKeyCache cache(2);
  (void)cache.GetOrDerive("a", "20150830", "r", "s");
  (void)cache.GetOrDerive("b", "20150830", "r", "s");
  (void)cache.GetOrDerive("a", "20150830", "r", "s");  // a is now the most recent
  (void)cache.GetOrDerive("c", "20150830", "r", "s");  // evicts b
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.stats().evictions, 1u);
  const uint64_t hits = cache.stats().hits;
  (void)cache.GetOrDerive("a", "20150830", "r", "s");
  EXPECT_EQ(cache.stats().hits, hits + 1);  // a survived
  const uint64_t misses = cache.stats().misses;
  EXPECT_EQ(Hex(cache.GetOrDerive("b", "20150830", "r", "s")),
            Hex(DeriveSigningKey("b", "20150830", "r", "s")));
  EXPECT_EQ(cache.stats().misses, misses + 1);  // b was evicted
  EXPECT_EQ(cache.size(), 2u);
}

TEST(SigningKeyCacheTest, ZeroCapacityMeansOne) {
  SigningKeyCache cache(0);
  EXPECT_EQ(cache.capacity(), 1u);
  (void)cache.GetOrDerive("a", "20150830", "r", "s");
  (void)cache.GetOrDerive("a", "20150830", "r", "s");
  EXPECT_EQ(cache.stats().hits, 1u);
}

TEST(SigningKeyCacheTest, ConcurrentUseUnderEvictionPressure) {
  // Six keys through a cache of four, from eight threads: every answer must be
  // the right key, and every lookup is counted exactly once.
  SigningKeyCache cache(4);
  constexpr int kThreads = 8;
  constexpr int kLookupsPerThread = 400;
  std::vector<std::string> secrets;
  std::vector<std::string> expected;
  for (int i = 0; i < 6; ++i) {
    secrets.push_back("secret-" + std::to_string(i));
    expected.push_back(Hex(DeriveSigningKey(secrets.back(), "20150830", "us-east-1", "ecs")));
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLookupsPerThread; ++i) {
        const int k = (i * 7 + t) % 6;
        if (Hex(cache.GetOrDerive(secrets[k], "20150830", "us-east-1", "ecs")) != expected[k]) {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  const SigningKeyCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits + stats.misses, uint64_t{kThreads * kLookupsPerThread});
  EXPECT_GT(stats.hits, 0u);
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_LE(cache.size(), 4u);
}

}  // namespace
}  // namespace awsgw::auth
