// Greedy glob matching with backtracking to the last star. Why this is
// enough: once a later '*' has matched, any backtracking into an earlier star
// can only produce matches the later star could also produce, so only the
// most recent star needs remembering. That bounds the work by
// len(pattern) * len(text) with no recursion.
#include "auth/policy/glob.h"

#include <cstddef>

#include "absl/strings/ascii.h"

namespace awsgw::auth::policy {
namespace {

template <bool kIgnoreCase>
bool Match(absl::string_view pattern, absl::string_view text) {
  constexpr size_t kNoStar = absl::string_view::npos;
  size_t p = 0;
  size_t t = 0;
  size_t star = kNoStar;  // position of the last '*' seen in the pattern
  size_t star_text = 0;   // text position that star currently starts at
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char pc = pattern[p];
      // '*' is tested first: a literal '*' in the text must not eat it.
      if (pc == '*') {
        star = p++;
        star_text = t;
        continue;
      }
      const char tc = text[t];
      const bool same = kIgnoreCase ? absl::ascii_tolower(static_cast<unsigned char>(pc)) ==
                                          absl::ascii_tolower(static_cast<unsigned char>(tc))
                                    : pc == tc;
      if (pc == '?' || same) {
        ++p;
        ++t;
        continue;
      }
    }
    if (star == kNoStar) return false;
    // Let the last star swallow one more character and retry after it.
    p = star + 1;
    t = ++star_text;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool GlobMatch(absl::string_view pattern, absl::string_view text, bool ignore_case) {
  return ignore_case ? Match<true>(pattern, text) : Match<false>(pattern, text);
}

bool HasWildcard(absl::string_view pattern) {
  return pattern.find_first_of("*?") != absl::string_view::npos;
}

}  // namespace awsgw::auth::policy
