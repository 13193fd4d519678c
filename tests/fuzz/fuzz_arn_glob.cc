// The policy's glob matcher (ARN patterns, actions, principals) against a
// plain reference: a dynamic program over (pattern, text) prefixes.
// Invariant: both agree, with and without case folding. Inputs are
// "<pattern>\n<text>", each cut at 200 bytes so the reference stays cheap.
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "auth/policy/glob.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

bool Reference(const std::string& pattern, const std::string& text) {
  // match[i][j]: pattern[0, i) matches text[0, j).
  std::vector<std::vector<bool>> match(pattern.size() + 1,
                                       std::vector<bool>(text.size() + 1, false));
  match[0][0] = true;
  for (size_t i = 1; i <= pattern.size(); ++i) {
    const char p = pattern[i - 1];
    match[i][0] = p == '*' && match[i - 1][0];
    for (size_t j = 1; j <= text.size(); ++j) {
      if (p == '*') {
        match[i][j] = match[i - 1][j] || match[i][j - 1];
      } else {
        match[i][j] = (p == '?' || p == text[j - 1]) && match[i - 1][j - 1];
      }
    }
  }
  return match[pattern.size()][text.size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  awsgw::fuzz::Input input(data, size);
  std::string pattern = input.Line().substr(0, 200);
  std::string text = input.Rest().substr(0, 200);
  if (awsgw::auth::policy::GlobMatch(pattern, text) != Reference(pattern, text)) std::abort();
  const bool folded = awsgw::auth::policy::GlobMatch(pattern, text, /*ignore_case=*/true);
  if (folded != Reference(absl::AsciiStrToLower(pattern), absl::AsciiStrToLower(text))) {
    std::abort();
  }
  return 0;
}
