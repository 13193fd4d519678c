// StaticKeySource and FileKeySource: start-up errors, rotation through the
// file, and a broken file keeping the old keys.
#include "auth/identity/jwks_source.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "auth/identity/jwt_verifier.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/auth/identity/jwt_test_support.h"

namespace awsgw::auth::identity {
namespace {

using testing::EcKey;
using testing::EdKey;
using ::testing::HasSubstr;
using testing::JwksJson;

void WriteFile(const std::string& path, const std::string& contents) {
  // Write then rename, as an operator's tooling would: readers never see a
  // half-written file.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << contents;
  }
  ASSERT_EQ(std::rename(temporary.c_str(), path.c_str()), 0);
}

// Polls `condition` for up to 10 s.
template <typename F>
bool Eventually(F condition) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return condition();
}

class FileKeySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = absl::StrCat(::testing::TempDir(), "/jwks_", getpid(), "_",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name(), ".json");
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

TEST(StaticKeySourceTest, ServesItsSetAndCountsRefreshRequests) {
  absl::StatusOr<JsonWebKeySet> set = JsonWebKeySet::Parse(JwksJson({EdKey().Jwk("ed")}));
  ASSERT_TRUE(set.ok());
  StaticKeySource source(*std::move(set));
  EXPECT_EQ(source.Current()->keys().size(), 1u);
  source.RequestRefresh();
  source.RequestRefresh();
  EXPECT_EQ(source.refresh_requests(), 2);
}

TEST_F(FileKeySourceTest, MissingOrInvalidFileFailsAtStartNamingThePath) {
  absl::StatusOr<std::unique_ptr<FileKeySource>> missing = FileKeySource::Create(path_);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr(path_));
  WriteFile(path_, "{not json");
  absl::StatusOr<std::unique_ptr<FileKeySource>> invalid = FileKeySource::Create(path_);
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(invalid.status().message(), HasSubstr(path_));
}

TEST_F(FileKeySourceTest, RotationThroughRefreshRequest) {
  WriteFile(path_, JwksJson({EcKey().Jwk("old")}));
  std::atomic<int> refreshes{0};
  absl::StatusOr<std::unique_ptr<FileKeySource>> source = FileKeySource::Create(
      path_, FileKeySourceOptions{.min_refresh_interval = absl::Milliseconds(10),
                                  .on_refresh = [&](const absl::Status&) { ++refreshes; }});
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_TRUE((*source)->Current()->HasKid("old"));

  WriteFile(path_, JwksJson({EcKey().Jwk("old"), EdKey().Jwk("new")}));
  EXPECT_FALSE((*source)->Current()->HasKid("new"));  // not before a refresh
  (*source)->RequestRefresh();
  EXPECT_TRUE(Eventually([&] { return (*source)->Current()->HasKid("new"); }));
  EXPECT_TRUE((*source)->last_error().ok());
  EXPECT_GE(refreshes.load(), 1);
}

TEST_F(FileKeySourceTest, UnknownKidTokenIsAcceptedAfterRotation) {
  WriteFile(path_, JwksJson({EcKey().Jwk("old")}));
  absl::StatusOr<std::unique_ptr<FileKeySource>> file = FileKeySource::Create(
      path_, FileKeySourceOptions{.min_refresh_interval = absl::Milliseconds(10)});
  ASSERT_TRUE(file.ok());
  std::shared_ptr<FileKeySource> source = *std::move(file);
  std::vector<JwtIssuer> issuers{{IssuerSettings{.issuer = "iss", .audiences = {"aud"}}, source}};
  auto verifier = JwtVerifier::Create(std::move(issuers));
  ASSERT_TRUE(verifier.ok());
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  const std::string token = testing::SignToken(
      {{"alg", "EdDSA"}, {"kid", "new"}},
      {{"iss", "iss"}, {"aud", "aud"}, {"sub", "bob"}, {"exp", 1'700'000'100}}, EdKey());

  EXPECT_EQ((*verifier)->Verify(token, now).failure.reason, failure_reason::kUnknownKey);
  WriteFile(path_, JwksJson({EcKey().Jwk("old"), EdKey().Jwk("new")}));
  (*verifier)->Verify(token, now);  // asks for the refresh
  EXPECT_TRUE(Eventually([&] { return (*verifier)->Verify(token, now).ok(); }));
}

TEST_F(FileKeySourceTest, ConcurrentVerifyDuringRotation) {
  WriteFile(path_, JwksJson({EdKey().Jwk("ed")}));
  absl::StatusOr<std::unique_ptr<FileKeySource>> file = FileKeySource::Create(
      path_, FileKeySourceOptions{.min_refresh_interval = absl::ZeroDuration()});
  ASSERT_TRUE(file.ok());
  std::shared_ptr<FileKeySource> source = *std::move(file);
  std::vector<JwtIssuer> issuers{{IssuerSettings{.issuer = "iss", .audiences = {"aud"}}, source}};
  auto verifier = JwtVerifier::Create(std::move(issuers));
  ASSERT_TRUE(verifier.ok());
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  const std::string good = testing::SignToken(
      {{"alg", "EdDSA"}, {"kid", "ed"}},
      {{"iss", "iss"}, {"aud", "aud"}, {"sub", "bob"}, {"exp", 1'700'000'100}}, EdKey());
  const std::string unknown = testing::SignToken(
      {{"alg", "EdDSA"}, {"kid", "other"}},
      {{"iss", "iss"}, {"aud", "aud"}, {"sub", "bob"}, {"exp", 1'700'000'100}}, EdKey());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        if (!(*verifier)->Verify(good, now).ok()) ++wrong;
        (*verifier)->Verify(unknown, now);  // keeps the source re-reading
      }
    });
  }
  for (int i = 0; i < 20; ++i) WriteFile(path_, JwksJson({EcKey().Jwk("ec"), EdKey().Jwk("ed")}));
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GE(source->Stats().attempts, 1);
}

TEST_F(FileKeySourceTest, BrokenFileKeepsTheOldKeys) {
  WriteFile(path_, JwksJson({EcKey().Jwk("old")}));
  std::atomic<int> failures{0};
  absl::StatusOr<std::unique_ptr<FileKeySource>> source = FileKeySource::Create(
      path_, FileKeySourceOptions{.min_refresh_interval = absl::Milliseconds(10),
                                  .on_refresh = [&](const absl::Status& status) {
                                    if (!status.ok()) ++failures;
                                  }});
  ASSERT_TRUE(source.ok());
  for (const std::string& broken : {std::string("{\"keys\": [tr"), std::string(R"({"keys":[]})")}) {
    const int before = failures.load();
    WriteFile(path_, broken);
    (*source)->RequestRefresh();
    ASSERT_TRUE(Eventually([&] { return failures.load() > before; }));
    EXPECT_TRUE((*source)->Current()->HasKid("old"));
    EXPECT_THAT((*source)->last_error().message(), HasSubstr(path_));
  }
  std::remove(path_.c_str());
  const int before = failures.load();
  (*source)->RequestRefresh();
  ASSERT_TRUE(Eventually([&] { return failures.load() > before; }));
  EXPECT_TRUE((*source)->Current()->HasKid("old"));

  WriteFile(path_, JwksJson({EdKey().Jwk("fixed")}));
  (*source)->RequestRefresh();
  EXPECT_TRUE(Eventually([&] { return (*source)->Current()->HasKid("fixed"); }));
  EXPECT_TRUE((*source)->last_error().ok());
}

TEST_F(FileKeySourceTest, PeriodicRefreshWithoutRequests) {
  WriteFile(path_, JwksJson({EcKey().Jwk("old")}));
  absl::StatusOr<std::unique_ptr<FileKeySource>> source = FileKeySource::Create(
      path_, FileKeySourceOptions{.refresh_interval = absl::Milliseconds(20)});
  ASSERT_TRUE(source.ok());
  WriteFile(path_, JwksJson({EdKey().Jwk("new")}));
  EXPECT_TRUE(Eventually([&] { return (*source)->Current()->HasKid("new"); }));
}

TEST_F(FileKeySourceTest, RefreshRequestsAreRateLimited) {
  WriteFile(path_, JwksJson({EcKey().Jwk("old")}));
  absl::StatusOr<std::unique_ptr<FileKeySource>> source = FileKeySource::Create(
      path_, FileKeySourceOptions{.min_refresh_interval = absl::Milliseconds(300)});
  ASSERT_TRUE(source.ok());
  const absl::Time start = absl::Now();
  while (absl::Now() - start < absl::Milliseconds(450)) {
    (*source)->RequestRefresh();
    absl::SleepFor(absl::Milliseconds(1));
  }
  // A read at once, one 300 ms later: never more than two in 450 ms.
  const int64_t attempts = (*source)->Stats().attempts;
  EXPECT_GE(attempts, 1);
  EXPECT_LE(attempts, 2);
}

TEST_F(FileKeySourceTest, DestructorStopsPromptly) {
  WriteFile(path_, JwksJson({EcKey().Jwk("old")}));
  const absl::Time start = absl::Now();
  {
    absl::StatusOr<std::unique_ptr<FileKeySource>> source = FileKeySource::Create(path_);
    ASSERT_TRUE(source.ok());
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

}  // namespace
}  // namespace awsgw::auth::identity
