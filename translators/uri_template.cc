#include "translators/uri_template.h"

#include "absl/strings/str_cat.h"
#include "translators/percent_encoding.h"

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
    out.append(PercentEncode(it->second, part.greedy));
  }
  return out;
}

std::optional<absl::flat_hash_map<std::string, std::string>> UriTemplate::Match(
    absl::string_view path) const {
  absl::flat_hash_map<std::string, std::string> out;
  if (!MatchFrom(0, path, &out)) return std::nullopt;
  return out;
}

bool UriTemplate::MatchFrom(size_t index, absl::string_view rest,
                            absl::flat_hash_map<std::string, std::string>* out) const {
  if (index == parts_.size()) return rest.empty() || rest == "/";
  const Part& part = parts_[index];
  if (part.label.empty()) {
    if (rest.substr(0, part.literal.size()) != part.literal) {
      // A template ending in "/" also matches the path without it, and vice versa.
      return index + 1 == parts_.size() && part.literal == "/" && rest.empty();
    }
    return MatchFrom(index + 1, rest.substr(part.literal.size()), out);
  }
  // A label: try every non-empty prefix, longest first for greedy labels.
  const size_t limit = part.greedy ? rest.size() : std::min(rest.size(), rest.find('/'));
  for (size_t len = limit; len >= 1; --len) {
    absl::StatusOr<std::string> value = PercentDecode(rest.substr(0, len));
    if (!value.ok()) return false;
    if (MatchFrom(index + 1, rest.substr(len), out)) {
      (*out)[part.label] = *std::move(value);
      return true;
    }
  }
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
