// STS answers (the query protocol's XML) from a hostile or broken endpoint,
// or anything a proxy put in their place: the rest of the input is one
// document, read as the answer of each action the providers call
// (AssumeRole, AssumeRoleWithWebIdentity) and as an ErrorResponse
// (auth/providers/sts_xml.h).
//
// Invariants: nothing crashes and the work stays bounded (libxml2 never
// fetches or expands its way out of the input); credentials that parse have
// a non-empty key id, secret and token and a finite expiry; a refusal is
// UNAVAILABLE reading "STS <action>: ..." and short, so it cannot carry the
// document (which holds secrets); an error read from a document that is not
// an ErrorResponse has no code.
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "auth/providers/sts_xml.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  awsgw::fuzz::Input input(data, size);
  const std::string xml = input.Rest();
  for (const char* action : {"AssumeRole", "AssumeRoleWithWebIdentity"}) {
    absl::StatusOr<awsgw::auth::Credentials> credentials =
        awsgw::auth::providers::ParseStsCredentials(xml, action);
    if (credentials.ok()) {
      if (credentials->access_key_id().empty() || credentials->secret_access_key().empty() ||
          !credentials->has_session_token() || !credentials->expiration().has_value() ||
          *credentials->expiration() == absl::InfiniteFuture() ||
          *credentials->expiration() == absl::InfinitePast()) {
        std::abort();
      }
      continue;
    }
    const absl::Status& status = credentials.status();
    if (status.code() != absl::StatusCode::kUnavailable ||
        !absl::StartsWith(status.message(), absl::StrCat("STS ", action, ": ")) ||
        status.message().size() > 200) {
      std::abort();
    }
  }
  const awsgw::auth::providers::StsError error = awsgw::auth::providers::ParseStsError(xml);
  if (!error.code.empty() && !absl::StrContains(xml, "ErrorResponse")) std::abort();
  return 0;
}
