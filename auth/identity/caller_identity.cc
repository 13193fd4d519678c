#include "auth/identity/caller_identity.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace awsgw::auth::identity {
namespace {

constexpr size_t kMaxQuotedBytes = 128;

}  // namespace

absl::string_view AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kNone:
      return "none";
    case AuthMethod::kMtls:
      return "mtls";
    case AuthMethod::kJwt:
      return "jwt";
    case AuthMethod::kApiKey:
      return "api_key";
  }
  return "none";
}

AuthOutcome AuthOutcome::Success(CallerIdentity identity) {
  AuthOutcome outcome;
  outcome.identity = std::move(identity);
  return outcome;
}

AuthOutcome AuthOutcome::Failure(absl::string_view reason, std::string message) {
  AuthOutcome outcome;
  outcome.failure = AuthFailure{reason, std::move(message)};
  return outcome;
}

absl::Status ToStatus(const AuthFailure& failure) {
  return absl::UnauthenticatedError(failure.message);
}

std::string QuoteForMessage(absl::string_view text) {
  if (text.size() > kMaxQuotedBytes) return "(too long to show)";
  for (char c : text) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return "(not printable)";
  }
  return absl::StrCat("\"", text, "\"");
}

}  // namespace awsgw::auth::identity
