#include "auth/identity/jwks_source.h"

#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"

namespace awsgw::auth::identity {

StaticKeySource::StaticKeySource(JsonWebKeySet keys)
    : keys_(std::make_shared<const JsonWebKeySet>(std::move(keys))) {}

std::shared_ptr<const JsonWebKeySet> StaticKeySource::Current() const { return keys_; }

void StaticKeySource::RequestRefresh() {
  absl::MutexLock lock(&mu_);
  ++refresh_requests_;
}

int StaticKeySource::refresh_requests() const {
  absl::MutexLock lock(&mu_);
  return refresh_requests_;
}

absl::StatusOr<JsonWebKeySet> ReadJwksFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::InvalidArgumentError(absl::StrCat("cannot read JWKS file ", path));
  // Read one byte past the bound, so an oversized file is refused rather
  // than read whole.
  std::string contents;
  contents.resize(kMaxJwksBytes + 1);
  file.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  if (file.bad()) return absl::InvalidArgumentError(absl::StrCat("cannot read JWKS file ", path));
  contents.resize(static_cast<size_t>(file.gcount()));
  absl::StatusOr<JsonWebKeySet> keys = JsonWebKeySet::Parse(contents);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWKS file ", path, ": ", keys.status().message()));
  }
  return keys;
}

absl::StatusOr<std::unique_ptr<FileKeySource>> FileKeySource::Create(std::string path,
                                                                     FileKeySourceOptions options) {
  absl::StatusOr<JsonWebKeySet> keys = ReadJwksFile(path);
  if (!keys.ok()) return keys.status();
  std::unique_ptr<FileKeySource> source(
      new FileKeySource(std::move(path), std::move(options),
                        std::make_shared<const JsonWebKeySet>(*std::move(keys))));
  source->loop_.Start(/*fetch_now=*/false);
  return source;
}

FileKeySource::FileKeySource(std::string path, FileKeySourceOptions options,
                             std::shared_ptr<const JsonWebKeySet> keys)
    : path_(std::move(path)),
      on_refresh_(std::move(options.on_refresh)),
      keys_(std::move(keys)),
      loop_(
          RefreshLoopOptions{.interval = options.refresh_interval,
                             .min_interval = options.min_refresh_interval,
                             .min_backoff = options.refresh_interval,
                             .max_backoff = options.refresh_interval},
          [this] { return Reload(); },
          [this](const absl::Status& status) {
            if (on_refresh_) on_refresh_(status);
          }) {}

FileKeySource::~FileKeySource() { loop_.Stop(); }

absl::Status FileKeySource::Reload() {
  absl::StatusOr<JsonWebKeySet> keys = ReadJwksFile(path_);
  absl::MutexLock lock(&mu_);
  if (!keys.ok()) {
    last_error_ = keys.status();
    return last_error_;
  }
  keys_ = std::make_shared<const JsonWebKeySet>(*std::move(keys));
  last_error_ = absl::OkStatus();
  return absl::OkStatus();
}

std::shared_ptr<const JsonWebKeySet> FileKeySource::Current() const {
  absl::MutexLock lock(&mu_);
  return keys_;
}

void FileKeySource::RequestRefresh() { loop_.RequestRefresh(); }

absl::Status FileKeySource::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

RefreshLoopStats FileKeySource::Stats() const { return loop_.Stats(); }

}  // namespace awsgw::auth::identity
