// Static API keys: the gateway is configured with the SHA-256 of each key
// (never the key itself) and the caller it stands for.
//
// Why hashes compared in constant time over every entry: the configuration
// holds no usable secret, and neither the time a lookup takes nor its
// early exit tells a caller how close a guess came or which entry matched.
//
// Example:
//   auto digest = ParseSha256Hex("9f86d081884c7d659a2feaa0c55ad015...");
//   auto table = ApiKeyTable::Create({{*digest, "ci-bot", {"builders"}}});
//   AuthOutcome outcome = (*table)->Lookup(presented.api_key.value());
#ifndef AWSGW_AUTH_IDENTITY_API_KEYS_H_
#define AWSGW_AUTH_IDENTITY_API_KEYS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/identity/caller_identity.h"

namespace awsgw::auth::identity {

// Presented keys longer than this are refused without being hashed.
inline constexpr size_t kMaxApiKeyBytes = 512;

struct ApiKeyEntry {
  std::array<uint8_t, 32> sha256;
  std::string principal;
  std::vector<std::string> groups;
};

// The 32 bytes of a 64-hex-digit SHA-256 (either case). INVALID_ARGUMENT
// otherwise; the message does not echo the input.
absl::StatusOr<std::array<uint8_t, 32>> ParseSha256Hex(absl::string_view hex);

class ApiKeyTable {
 public:
  // INVALID_ARGUMENT for no entries, an entry without principal, or two
  // entries with the same digest (a key must name exactly one caller).
  static absl::StatusOr<ApiKeyTable> Create(std::vector<ApiKeyEntry> entries);

  // The caller whose key hashes to SHA-256(`presented`) (method kApiKey), or
  // unknown_api_key. Compares with every entry, in constant time each.
  // Thread-safe.
  AuthOutcome Lookup(absl::string_view presented) const;

  size_t size() const { return entries_.size(); }

 private:
  explicit ApiKeyTable(std::vector<ApiKeyEntry> entries) : entries_(std::move(entries)) {}
  std::vector<ApiKeyEntry> entries_;
};

}  // namespace awsgw::auth::identity

#endif  // AWSGW_AUTH_IDENTITY_API_KEYS_H_
