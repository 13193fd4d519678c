// Key sources that need no network: a fixed set (tests, keys compiled into
// configuration) and a JWKS file on local disk that is re-read for rotation.
//
// FileKeySource reads the file once in Create() and fails if it cannot: a
// gateway configured with a broken key file should not start. Afterwards it
// re-reads it on its own thread every `refresh_interval`, and when the
// verifier requests a refresh (at most once per `min_refresh_interval`). A
// file that has become unreadable or invalid keeps the previous keys; the
// error is kept in last_error() and passed to `on_refresh` for the owner to
// log (this class logs nothing itself).
//
// Example:
//   auto keys = FileKeySource::Create("/etc/awsgw/jwks.json");
//   if (!keys.ok()) return keys.status();
//   issuer.keys = *std::move(keys);
#ifndef AWSGW_AUTH_IDENTITY_JWKS_SOURCE_H_
#define AWSGW_AUTH_IDENTITY_JWKS_SOURCE_H_

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

namespace awsgw::auth::identity {

// A fixed key set; RequestRefresh() only counts calls (tests check it).
class StaticKeySource : public KeySource {
 public:
  explicit StaticKeySource(JsonWebKeySet keys);
  std::shared_ptr<const JsonWebKeySet> Current() const override;
  void RequestRefresh() override;
  int refresh_requests() const;

 private:
  const std::shared_ptr<const JsonWebKeySet> keys_;
  mutable absl::Mutex mu_;
  int refresh_requests_ ABSL_GUARDED_BY(mu_) = 0;
};

struct FileKeySourceOptions {
  absl::Duration refresh_interval = absl::Minutes(5);
  absl::Duration min_refresh_interval = absl::Seconds(60);
  // Hears the outcome of every background re-read, on the source's thread.
  std::function<void(const absl::Status&)> on_refresh{};
};

class FileKeySource : public KeySource {
 public:
  // Reads and parses `path`. INVALID_ARGUMENT (unreadable file, larger than
  // kMaxJwksBytes, or not a usable JWKS), the message naming the path.
  static absl::StatusOr<std::unique_ptr<FileKeySource>> Create(std::string path,
                                                               FileKeySourceOptions options = {});
  // Stops the background thread (after a read in progress).
  ~FileKeySource() override;

  std::shared_ptr<const JsonWebKeySet> Current() const override;
  void RequestRefresh() override;

  // OK, or why the latest re-read was refused (the keys it would have
  // replaced are still in use).
  absl::Status last_error() const;
  RefreshLoopStats Stats() const;  // background re-reads

 private:
  FileKeySource(std::string path, FileKeySourceOptions options,
                std::shared_ptr<const JsonWebKeySet> keys);
  absl::Status Reload();

  const std::string path_;
  const std::function<void(const absl::Status&)> on_refresh_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const JsonWebKeySet> keys_ ABSL_GUARDED_BY(mu_);
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  RefreshLoop loop_;  // last: stopped before the members its fetch uses die
};

// Reads a JWKS file: INVALID_ARGUMENT naming `path` when it cannot be read
// or parsed. Blocking file I/O: not for request threads.
absl::StatusOr<JsonWebKeySet> ReadJwksFile(const std::string& path);

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_JWKS_SOURCE_H_
