// UrlKeySource: a JWT issuer's keys fetched from its JWKS URL (the
// "jwks_uri" of its OpenID configuration) and kept fresh in the background.
//
//   * Start() fetches at once and waits for that first fetch at most
//     `timeout`, so start-up can report it; a failed first fetch is not
//     fatal: the source keeps retrying with backoff (min_backoff doubling to
//     max_backoff) and tokens fail with unknown_key until keys arrive.
//   * Afterwards it fetches every `refresh_interval`, and on RequestRefresh()
//     (a token with an unknown kid) at most once per `min_refresh_interval`:
//     callers control kids, so they must not control the fetch rate.
//   * A failed fetch (transport error, status other than 200, a body over
//     max_body_bytes, a document that is not a usable JWKS) keeps the keys
//     already held. Cache-Control is not consulted.
//   * https only, unless allow_plaintext, which permits http:// to a
//     loopback host (tests, a local sidecar).
// Fetches go through the shared HttpClient and are awaited on the source's
// own thread; nothing blocks the caller's thread except Start().
//
// Lifetime: the destructor cancels a fetch in flight and joins the thread;
// the HTTP callback holds only a shared waiter, never `this`. Do not destroy
// the source on one of the HttpClient's threads.
#ifndef AWSGW_AUTH_IDENTITY_JWKS_URL_SOURCE_H_
#define AWSGW_AUTH_IDENTITY_JWKS_URL_SOURCE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "auth/identity/key_source.h"
#include "auth/identity/refresh_loop.h"
#include "http/client/endpoint.h"
#include "http/client/http_client.h"

namespace awsgw::auth::identity {

struct UrlKeySourceOptions {
  std::string url{};  // https://issuer.example.com/.well-known/jwks.json
  bool allow_plaintext = false;
  absl::Duration refresh_interval = absl::Minutes(5);
  absl::Duration min_refresh_interval = absl::Seconds(60);
  absl::Duration fetch_timeout = absl::Seconds(10);
  absl::Duration min_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Seconds(60);
  uint64_t max_body_bytes = kMaxJwksBytes;
  // Hears every fetch's outcome (OK or why it failed), on the source's
  // thread, for the owner to log. Must not block for long.
  std::function<void(const absl::Status&)> on_fetch{};
};

class UrlKeySource : public KeySource {
 public:
  // INVALID_ARGUMENT for a URL that does not parse, has a fragment, or is
  // plain http without allow_plaintext or to a non-loopback host; for a null
  // client or non-positive intervals. Fetches nothing yet.
  static absl::StatusOr<std::unique_ptr<UrlKeySource>> Create(
      UrlKeySourceOptions options, std::shared_ptr<http::client::HttpClient> http);
  ~UrlKeySource() override;
  UrlKeySource(const UrlKeySource&) = delete;
  UrlKeySource& operator=(const UrlKeySource&) = delete;

  // Starts the background fetching and waits for the first fetch, at most
  // `timeout`. Returns its status (UNAVAILABLE / INVALID_ARGUMENT naming
  // the URL), or DEADLINE_EXCEEDED. Either way the source keeps running.
  // Call once.
  absl::Status Start(absl::Duration timeout);

  std::shared_ptr<const JsonWebKeySet> Current() const override;
  void RequestRefresh() override;

  // OK, or why the latest fetch failed.
  absl::Status last_error() const;
  RefreshLoopStats Stats() const;

 private:
  UrlKeySource(UrlKeySourceOptions options, std::shared_ptr<http::client::HttpClient> http,
               http::client::Endpoint endpoint, std::string target);
  absl::Status Fetch();
  absl::Status FetchOnce();

  const UrlKeySourceOptions options_;
  const std::shared_ptr<http::client::HttpClient> http_;
  const http::client::Endpoint endpoint_;
  const std::string target_;  // "/path?query"

  mutable absl::Mutex mu_;
  std::shared_ptr<const JsonWebKeySet> keys_ ABSL_GUARDED_BY(mu_);
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::shared_ptr<http::client::PendingRequest> pending_ ABSL_GUARDED_BY(mu_);
  RefreshLoop loop_;  // last: stopped before the members its fetch uses die
};

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_JWKS_URL_SOURCE_H_
