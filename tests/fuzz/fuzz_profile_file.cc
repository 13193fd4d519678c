// AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials)
// as a careless or hostile user leaves them: any bytes, read as either kind
// (auth/providers/profile_file.h). The first byte picks the kind.
//
// Invariants: nothing crashes; a refusal is INVALID_ARGUMENT reading
// "fuzz.ini:<line>: <what>" with a line of the file and a short printable
// <what> (never the line's text: it may hold a secret); a parsed set has no
// empty profile name or key, and in a credentials file no "profile x"
// section; the same text with CRLF line ends parses to the same result.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "auth/providers/profile_file.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using awsgw::auth::providers::ParseProfileFile;
using awsgw::auth::providers::ProfileFileKind;
using awsgw::auth::providers::ProfileSet;

void CheckRefusal(const absl::Status& status, const std::string& text) {
  if (status.code() != absl::StatusCode::kInvalidArgument) std::abort();
  absl::string_view message = status.message();
  if (!absl::ConsumePrefix(&message, "fuzz.ini:")) std::abort();
  const size_t colon = message.find(": ");
  int line = 0;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(message.substr(0, colon), &line)) {
    std::abort();
  }
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (line < 1 || line > lines) std::abort();
  const absl::string_view what = message.substr(colon + 2);
  if (what.empty() || what.size() > 100) std::abort();
  for (char c : what) {
    if (c < 0x20 || c > 0x7e) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  awsgw::fuzz::Input input(data, size);
  const ProfileFileKind kind =
      (input.Byte() & 1) != 0 ? ProfileFileKind::kCredentials : ProfileFileKind::kConfig;
  const std::string text = input.Rest();
  absl::StatusOr<ProfileSet> parsed = ParseProfileFile(text, kind, "fuzz.ini");
  if (!parsed.ok()) {
    CheckRefusal(parsed.status(), text);
  } else {
    for (const auto& [name, profile] : parsed->profiles) {
      if (name.empty()) std::abort();
      if (kind == ProfileFileKind::kCredentials && absl::StartsWith(name, "profile ")) {
        std::abort();
      }
      for (const auto& [key, value] : profile) {
        if (key.empty()) std::abort();
      }
    }
  }
  if (text.find('\r') == std::string::npos) {
    absl::StatusOr<ProfileSet> crlf =
        ParseProfileFile(absl::StrReplaceAll(text, {{"\n", "\r\n"}}), kind, "fuzz.ini");
    if (crlf.ok() != parsed.ok()) std::abort();
    if (crlf.ok() && crlf->profiles != parsed->profiles) std::abort();
    if (!crlf.ok() && crlf.status() != parsed.status()) std::abort();
  }
  return 0;
}
