#include "translators/uri_template.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "http/uri_encoding.h"

namespace awsgw::translators {

absl::StatusOr<UriTemplate> UriTemplate::Parse(absl::string_view text) {
  UriTemplate t;
  const size_t question = text.find('?');
  absl::string_view path = text.substr(0, question);
  if (question != absl::string_view::npos) {
    t.constant_query_ = http::ParseQueryString(text.substr(question + 1));
  }
  while (!path.empty()) {
    const size_t open = path.find('{');
    if (open != 0) {
      absl::string_view literal = path.substr(0, open);
      if (literal.find('}') != absl::string_view::npos) {
        return absl::InvalidArgumentError(absl::StrCat("unbalanced '}' in URI template ", text));
      }
      t.parts_.push_back({std::string(literal), "", false});
      if (open == absl::string_view::npos) break;
      path.remove_prefix(open);
      continue;
    }
    const size_t close = path.find('}');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("unbalanced '{' in URI template ", text));
    }
    absl::string_view name = path.substr(1, close - 1);
    const bool greedy = !name.empty() && name.back() == '+';
    if (greedy) name.remove_suffix(1);
    if (name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("empty label in URI template ", text));
    }
    t.parts_.push_back({"", std::string(name), greedy});
    path.remove_prefix(close + 1);
  }
  return t;
}

bool UriTemplate::IsGreedy(absl::string_view label) const {
  for (const Part& part : parts_) {
    if (part.label == label) return part.greedy;
  }
  return false;
}

bool UriTemplate::IsUnsendableValue(absl::string_view value, bool greedy) {
  if (value.empty()) return true;
  return greedy ? http::HasDotSegment(value) : (value == "." || value == "..");
}

absl::StatusOr<std::string> UriTemplate::Expand(
    const absl::flat_hash_map<std::string, std::string>& values) const {
  std::string out;
  for (const Part& part : parts_) {
    if (part.label.empty()) {
      out.append(part.literal);
      continue;
    }
    auto it = values.find(part.label);
    if (it == values.end() || it->second.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("URI label {", part.label, "} must be set and non-empty"));
    }
    if (IsUnsendableValue(it->second, part.greedy)) {
      return absl::InvalidArgumentError(
          absl::StrCat("URI label {", part.label, "} may not be a \".\" or \"..\" path segment"));
    }
    out.append(http::UriEncode(it->second, part.greedy));
  }
  return out;
}

struct UriTemplate::MatchState {
  absl::string_view path;
  // failed[part * (path.size() + 1) + pos]: no match from there.
  std::vector<bool> failed;
  // Raw (still encoded) label text on the successful path.
  absl::flat_hash_map<std::string, absl::string_view> labels;
};

std::optional<absl::flat_hash_map<std::string, std::string>> UriTemplate::Match(
    absl::string_view path) const {
  if (path.size() > kMaxPathLength) return std::nullopt;
  MatchState state{path, std::vector<bool>((parts_.size() + 1) * (path.size() + 1)), {}};
  if (!MatchFrom(0, 0, state)) return std::nullopt;
  absl::flat_hash_map<std::string, std::string> out;
  for (const auto& [label, raw] : state.labels) {
    absl::StatusOr<std::string> value = http::UriDecodeStrict(raw);
    if (!value.ok()) return std::nullopt;
    out[label] = *std::move(value);
  }
  return out;
}

bool UriTemplate::MatchFrom(size_t index, size_t pos, MatchState& state) const {
  const absl::string_view rest = state.path.substr(pos);
  if (index == parts_.size()) return rest.empty() || rest == "/";
  const size_t memo = index * (state.path.size() + 1) + pos;
  if (state.failed[memo]) return false;
  const Part& part = parts_[index];
  if (part.label.empty()) {
    if (rest.substr(0, part.literal.size()) == part.literal) {
      if (MatchFrom(index + 1, pos + part.literal.size(), state)) return true;
    } else if (index + 1 == parts_.size() && part.literal == "/" && rest.empty()) {
      return true;  // a template ending in "/" also matches the path without it
    }
    state.failed[memo] = true;
    return false;
  }
  // A label: every non-empty prefix, longest first (greedy labels may span '/').
  const size_t limit = part.greedy ? rest.size() : std::min(rest.size(), rest.find('/'));
  for (size_t len = limit; len >= 1; --len) {
    if (MatchFrom(index + 1, pos + len, state)) {
      state.labels[part.label] = rest.substr(0, len);
      return true;
    }
  }
  state.failed[memo] = true;
  return false;
}

int UriTemplate::Specificity() const {
  int literal = 0;
  int greedy = 0;
  for (const Part& part : parts_) {
    literal += static_cast<int>(part.literal.size());
    greedy += part.greedy ? 1 : 0;
  }
  return literal * 4 - greedy + static_cast<int>(constant_query_.size()) * 2;
}

}  // namespace awsgw::translators
