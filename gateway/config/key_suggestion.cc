#include "gateway/config/key_suggestion.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"

namespace awsgw::gateway::config {
namespace {

// Levenshtein distance over lowercased characters; keys are short, so the
// quadratic table is cheap.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const bool same = absl::ascii_tolower(a[i - 1]) == absl::ascii_tolower(b[j - 1]);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string NearestKey(absl::string_view key, absl::Span<const absl::string_view> known) {
  constexpr size_t kMaxEdits = 2;
  std::string best;
  size_t best_distance = kMaxEdits + 1;
  for (absl::string_view candidate : known) {
    const size_t distance = EditDistance(key, candidate);
    if (distance < best_distance && 2 * distance < key.size()) {
      best = std::string(candidate);
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace awsgw::gateway::config
