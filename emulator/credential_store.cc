#include "emulator/credential_store.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsgw::emulator {
namespace {

std::string RandomString(const std::function<uint8_t()>& random_byte, absl::string_view alphabet,
                         size_t length) {
  std::string out;
  out.reserve(length);
  for (size_t i = 0; i < length; ++i) out.push_back(alphabet[random_byte() % alphabet.size()]);
  return out;
}

auth::Credentials Generate(const std::function<uint8_t()>& random_byte) {
  // AWS access key ids are "AKIA" + 16 of [A-Z2-7]; secrets 40 base64 chars.
  std::string id =
      absl::StrCat("AKIA", RandomString(random_byte, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
  std::string secret = RandomString(
      random_byte, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
  return auth::Credentials(std::move(id), secret);
}

}  // namespace

CredentialStore::CredentialStore(const std::function<uint8_t()>& random_byte)
    : default_(Generate(random_byte)) {
  Add(default_);
}

void CredentialStore::Add(const auth::Credentials& credentials) {
  absl::MutexLock lock(&mu_);
  by_id_.insert_or_assign(credentials.access_key_id(), credentials);
}

absl::StatusOr<auth::Credentials> CredentialStore::Find(absl::string_view access_key_id) const {
  absl::MutexLock lock(&mu_);
  auto it = by_id_.find(access_key_id);
  if (it == by_id_.end()) {
    return absl::NotFoundError(absl::StrCat("unknown access key id ", access_key_id));
  }
  return it->second;
}

auth::CredentialsLookup CredentialStore::AsLookup() const {
  return [this](absl::string_view access_key_id) { return Find(access_key_id); };
}

}  // namespace awsgw::emulator
