// UrlKeySource against a loopback HTTP server started by the test: first
// fetch, refresh rate limit, failures keeping the cached keys, shutdown.
// (TLS is covered end to end elsewhere; plain http with allow_plaintext.)
#include "auth/identity/jwks_url_source.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/auth/identity/jwt_test_support.h"
#include "tests/auth/identity/loopback_http_server.h"

namespace awsgw::auth::identity {
namespace {

using testing::EcKey;
using testing::EdKey;
using ::testing::HasSubstr;
using testing::JwksJson;
using testing::LoopbackHttpServer;

template <typename F>
bool Eventually(F condition, absl::Duration limit = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + limit;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return condition();
}

bool HasKid(const KeySource& source, absl::string_view kid) {
  std::shared_ptr<const JsonWebKeySet> keys = source.Current();
  return keys != nullptr && keys->HasKid(kid);
}

class UrlKeySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::client::HttpClientOptions options;
    options.threads = 1;
    options.proxy = http::client::ProxyConfig::FromValues("", "", "");
    absl::StatusOr<std::unique_ptr<http::client::HttpClient>> client =
        http::client::HttpClient::Create(std::move(options));
    ASSERT_TRUE(client.ok()) << client.status();
    http_ = *std::move(client);
    server_.SetResponse(200, JwksJson({EcKey().Jwk("one")}));
  }

  UrlKeySourceOptions Options() {
    UrlKeySourceOptions options;
    options.url = server_.Url();
    options.allow_plaintext = true;
    options.min_refresh_interval = absl::Milliseconds(10);
    options.min_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(50);
    options.fetch_timeout = absl::Seconds(5);
    return options;
  }

  std::unique_ptr<UrlKeySource> Make(UrlKeySourceOptions options) {
    absl::StatusOr<std::unique_ptr<UrlKeySource>> source =
        UrlKeySource::Create(std::move(options), http_);
    EXPECT_TRUE(source.ok()) << source.status();
    return source.ok() ? *std::move(source) : nullptr;
  }

  LoopbackHttpServer server_;
  std::shared_ptr<http::client::HttpClient> http_;
};

TEST_F(UrlKeySourceTest, FirstFetchOnStart) {
  std::unique_ptr<UrlKeySource> source = Make(Options());
  EXPECT_EQ(source->Current(), nullptr);  // nothing before Start()
  ASSERT_TRUE(source->Start(absl::Seconds(10)).ok()) << source->last_error();
  EXPECT_TRUE(HasKid(*source, "one"));
  EXPECT_EQ(server_.requests(), 1);
  EXPECT_THAT(server_.last_request(), HasSubstr("GET /jwks.json HTTP/1.1"));
  EXPECT_THAT(server_.last_request(), HasSubstr("127.0.0.1"));
}

TEST_F(UrlKeySourceTest, RefreshRequestPicksUpRotatedKeys) {
  std::unique_ptr<UrlKeySource> source = Make(Options());
  ASSERT_TRUE(source->Start(absl::Seconds(10)).ok());
  server_.SetResponse(200, JwksJson({EcKey().Jwk("one"), EdKey().Jwk("two")}));
  source->RequestRefresh();
  EXPECT_TRUE(Eventually([&] { return HasKid(*source, "two"); }));
}

TEST_F(UrlKeySourceTest, PeriodicRefresh) {
  UrlKeySourceOptions options = Options();
  options.refresh_interval = absl::Milliseconds(30);
  std::unique_ptr<UrlKeySource> source = Make(std::move(options));
  ASSERT_TRUE(source->Start(absl::Seconds(10)).ok());
  server_.SetResponse(200, JwksJson({EdKey().Jwk("two")}));
  EXPECT_TRUE(Eventually([&] { return HasKid(*source, "two"); }));
  EXPECT_FALSE(HasKid(*source, "one"));
}

TEST_F(UrlKeySourceTest, MinRefreshIntervalIsRespected) {
  UrlKeySourceOptions options = Options();
  options.min_refresh_interval = absl::Milliseconds(400);
  std::unique_ptr<UrlKeySource> source = Make(std::move(options));
  ASSERT_TRUE(source->Start(absl::Seconds(10)).ok());
  EXPECT_EQ(server_.requests(), 1);
  // A storm of refresh requests (tokens with unknown kids) for 600 ms:
  // at most one fetch per 400 ms after the first, deferred, not dropped.
  const absl::Time start = absl::Now();
  while (absl::Now() - start < absl::Milliseconds(600)) {
    source->RequestRefresh();
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_TRUE(Eventually([&] { return server_.requests() >= 2; }));
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_LE(server_.requests(), 3);
  EXPECT_LE(source->Stats().attempts, 3);
}

TEST_F(UrlKeySourceTest, FailuresKeepTheCachedKeys) {
  std::atomic<int> failures{0};
  UrlKeySourceOptions options = Options();
  options.max_body_bytes = 4096;
  options.on_fetch = [&](const absl::Status& status) {
    if (!status.ok()) ++failures;
  };
  std::unique_ptr<UrlKeySource> source = Make(std::move(options));
  ASSERT_TRUE(source->Start(absl::Seconds(10)).ok());

  auto expect_kept = [&](int status, std::string body, absl::string_view why) {
    const int before = failures.load();
    server_.SetResponse(status, std::move(body));
    source->RequestRefresh();
    ASSERT_TRUE(Eventually([&] { return failures.load() > before; })) << why;
    EXPECT_TRUE(HasKid(*source, "one")) << why;
    EXPECT_FALSE(source->last_error().ok()) << why;
  };
  expect_kept(500, "oops", "HTTP 500");
  EXPECT_THAT(source->last_error().message(), HasSubstr("HTTP 500"));
  expect_kept(200, "not json", "bad JSON");
  expect_kept(200, R"({"keys":[]})", "no keys");
  expect_kept(200, std::string(5000, ' '), "body over the bound");

  // Endpoint down: connections refused.
  server_.Stop();
  const int before = failures.load();
  source->RequestRefresh();
  ASSERT_TRUE(Eventually([&] { return failures.load() > before; }));
  EXPECT_TRUE(HasKid(*source, "one"));
  EXPECT_EQ(source->last_error().code(), absl::StatusCode::kUnavailable);
}

TEST_F(UrlKeySourceTest, FailedFirstFetchIsNotFatalAndRetries) {
  server_.SetResponse(503, "");
  std::unique_ptr<UrlKeySource> source = Make(Options());
  absl::Status first = source->Start(absl::Seconds(10));
  EXPECT_EQ(first.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(first.message(), HasSubstr(server_.Url()));
  EXPECT_EQ(source->Current(), nullptr);
  server_.SetResponse(200, JwksJson({EcKey().Jwk("one")}));
  EXPECT_TRUE(Eventually([&] { return HasKid(*source, "one"); }));  // by backoff, no request
  EXPECT_TRUE(source->last_error().ok());
}

TEST_F(UrlKeySourceTest, StartTimesOutWhenTheEndpointHangsAndShutdownCancels) {
  // A socket that listens but never accepts: the kernel completes the TCP
  // handshake, the request goes out, no answer ever comes.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);

  UrlKeySourceOptions options = Options();
  options.url = absl::StrCat("http://127.0.0.1:", ntohs(address.sin_port), "/jwks.json");
  options.fetch_timeout = absl::Seconds(30);
  std::unique_ptr<UrlKeySource> source = Make(std::move(options));
  const absl::Time start = absl::Now();
  EXPECT_EQ(source->Start(absl::Milliseconds(200)).code(), absl::StatusCode::kDeadlineExceeded);
  source.reset();  // cancels the fetch in flight rather than waiting 30 s
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  ::close(fd);
}

TEST_F(UrlKeySourceTest, DestructionWithAFetchInFlightIsPrompt) {
  UrlKeySourceOptions options = Options();
  options.refresh_interval = absl::Milliseconds(1);  // fetching all the time
  options.min_refresh_interval = absl::ZeroDuration();
  for (int i = 0; i < 20; ++i) {
    const absl::Time start = absl::Now();
    {
      std::unique_ptr<UrlKeySource> source = Make(options);
      (void)source->Start(absl::Seconds(10));
      absl::SleepFor(absl::Milliseconds(i % 5));
    }
    EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  }
}

TEST_F(UrlKeySourceTest, RefusesBadUrls) {
  auto create = [&](std::string url, bool plaintext) {
    UrlKeySourceOptions options;
    options.url = std::move(url);
    options.allow_plaintext = plaintext;
    return UrlKeySource::Create(std::move(options), http_).status();
  };
  EXPECT_EQ(create(server_.Url(), false).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(create("http://idp.example.com/jwks", true).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(create("ftp://idp.example.com/jwks", false).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(create("https://idp.example.com/jwks#frag", false).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(create("https://", false).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(create("https://idp.example.com/.well-known/jwks.json?v=1", false).ok());
  EXPECT_TRUE(create("https://idp.example.com", false).ok());
  UrlKeySourceOptions options;
  options.url = "https://idp.example.com/jwks";
  EXPECT_FALSE(UrlKeySource::Create(options, nullptr).ok());
}

}  // namespace
}  // namespace awsgw::auth::identity
