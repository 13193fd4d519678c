#include "auth/identity/api_keys.h"

#include <openssl/crypto.h>

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "auth/crypto.h"

namespace awsgw::auth::identity {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::array<uint8_t, 32>> ParseSha256Hex(absl::string_view hex) {
  std::array<uint8_t, 32> digest{};
  if (hex.size() != 2 * digest.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("API key hash must be 64 hex digits, not ", hex.size(), " characters"));
  }
  for (size_t i = 0; i < digest.size(); ++i) {
    const int high = HexValue(hex[2 * i]);
    const int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError("API key hash holds a character that is not a hex digit");
    }
    digest[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return digest;
}

absl::StatusOr<ApiKeyTable> ApiKeyTable::Create(std::vector<ApiKeyEntry> entries) {
  if (entries.empty()) return absl::InvalidArgumentError("API keys: no key configured");
  absl::flat_hash_set<std::string> digests;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].principal.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("API key ", i, " has no principal"));
    }
    const std::string digest(entries[i].sha256.begin(), entries[i].sha256.end());
    if (!digests.insert(digest).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("API key ", i, " (", entries[i].principal, ") repeats another key's hash"));
    }
  }
  return ApiKeyTable(std::move(entries));
}

AuthOutcome ApiKeyTable::Lookup(absl::string_view presented) const {
  if (presented.empty() || presented.size() > kMaxApiKeyBytes) {
    return AuthOutcome::Failure(failure_reason::kUnknownApiKey, presented.empty()
                                                                    ? "the API key is empty"
                                                                    : "the API key is too long");
  }
  const Sha256Digest digest = Sha256(presented);
  // Every entry is compared, and the match is folded in without a branch on
  // it, so the time does not depend on whether or where the key matched.
  size_t found = entries_.size();
  for (size_t i = 0; i < entries_.size(); ++i) {
    const size_t equal = static_cast<size_t>(
        CRYPTO_memcmp(digest.data(), entries_[i].sha256.data(), digest.size()) == 0);
    const size_t mask = ~(equal - 1);  // all ones when equal
    found = (i & mask) | (found & ~mask);
  }
  if (found == entries_.size()) {
    return AuthOutcome::Failure(failure_reason::kUnknownApiKey, "the API key is not known");
  }
  const ApiKeyEntry& entry = entries_[found];
  return AuthOutcome::Success(CallerIdentity{
      .principal = entry.principal, .groups = entry.groups, .method = AuthMethod::kApiKey});
}

}  // namespace awsgw::auth::identity
