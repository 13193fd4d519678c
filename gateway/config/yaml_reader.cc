#include "gateway/config/yaml_reader.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/config/key_suggestion.h"
#include "gateway/config/value_parsers.h"

namespace awsgw::gateway::config {
namespace {

// Long values are cut in messages: the start is enough to recognise them.
constexpr size_t kMaxQuotedValue = 80;

std::string Quote(absl::string_view value) {
  if (value.size() > kMaxQuotedValue) {
    return absl::StrCat("\"", value.substr(0, kMaxQuotedValue), "...\"");
  }
  return absl::StrCat("\"", value, "\"");
}

// yaml-cpp marks are 0-based and null (-1) on nodes it synthesised.
int LineOf(const YAML::Mark& mark, int fallback) {
  return mark.is_null() || mark.line < 0 ? fallback : mark.line + 1;
}

std::string JoinPath(absl::string_view parent, absl::string_view key) {
  return parent.empty() ? std::string(key) : absl::StrCat(parent, ".", key);
}

}  // namespace

ConfigNode ConfigNode::Root(const YAML::Node& node, const std::string* source) {
  return ConfigNode(node, "", 1, source, Sensitivity::kPlain);
}

absl::Status ConfigNode::Error(absl::string_view message) const {
  if (path_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(*source_, ":", line_, ": ", message));
  }
  return absl::InvalidArgumentError(absl::StrCat(*source_, ":", line_, ": ", path_, ": ", message));
}

absl::Status ConfigNode::WrongValue(absl::string_view expected, absl::string_view value) const {
  return Error(absl::StrCat("expected ", expected, ", got ",
                            sensitivity_ == Sensitivity::kSecret ? "<redacted>" : Quote(value)));
}

absl::StatusOr<std::string> ConfigNode::Scalar(absl::string_view expected) const {
  switch (node_.Type()) {
    case YAML::NodeType::Scalar:
      return node_.Scalar();
    case YAML::NodeType::Map:
      return Error(absl::StrCat("expected ", expected, ", got a mapping"));
    case YAML::NodeType::Sequence:
      return Error(absl::StrCat("expected ", expected, ", got a list"));
    default:  // Null, Undefined: `key:` with nothing after it
      return Error(absl::StrCat("expected ", expected, ", got nothing"));
  }
}

absl::StatusOr<std::vector<std::pair<std::string, ConfigNode>>> ConfigNode::CheckedEntries(
    Sensitivity keys, absl::Span<const absl::string_view> known) const {
  std::vector<std::pair<std::string, ConfigNode>> entries;
  if (node_.IsNull()) return entries;  // `server:` with every key commented out
  if (!node_.IsMap()) {
    return Error(node_.IsSequence() ? "expected a mapping of keys, got a list"
                                    : "expected a mapping of keys, got a value");
  }
  absl::flat_hash_set<std::string> seen;
  for (const auto& entry : node_) {
    const int line = LineOf(entry.first.Mark(), line_);
    if (!entry.first.IsScalar()) {
      return ConfigNode(entry.first, path_, line, source_, sensitivity_)
          .Error("keys must be plain names");
    }
    const std::string& key = entry.first.Scalar();
    // In a section holding secrets, a key that is not a known name may be a
    // pasted secret ("secret_access_key wJalr..." lacks its colon): never
    // quote it.
    const bool quotable =
        keys == Sensitivity::kPlain || std::find(known.begin(), known.end(), key) != known.end();
    ConfigNode child(entry.second, JoinPath(path_, quotable ? key : "<unknown key>"), line, source_,
                     Sensitivity::kPlain);
    // yaml-cpp keeps both entries of a repeated key; the file would mean one.
    if (!seen.insert(key).second) return child.Error("duplicate key");
    entries.emplace_back(key, std::move(child));
  }
  return entries;
}

absl::Status ConfigNode::ExpectMapping(absl::Span<const absl::string_view> known,
                                       Sensitivity keys) const {
  absl::StatusOr<std::vector<std::pair<std::string, ConfigNode>>> entries =
      CheckedEntries(keys, known);
  if (!entries.ok()) return entries.status();
  for (const auto& [key, child] : *entries) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    // A suggestion only names a known key, so it is safe even for secrets.
    const std::string nearest = NearestKey(key, known);
    if (!nearest.empty()) {
      return child.Error(absl::StrCat("unknown key; did you mean \"", nearest, "\"?"));
    }
    return child.Error(absl::StrCat("unknown key; expected one of: ", absl::StrJoin(known, ", ")));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, ConfigNode>>> ConfigNode::Entries() const {
  return CheckedEntries(Sensitivity::kPlain, {});
}

std::optional<ConfigNode> ConfigNode::Child(absl::string_view key) const {
  if (!node_.IsMap()) return std::nullopt;
  for (const auto& entry : node_) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) {
      return ConfigNode(entry.second, JoinPath(path_, key), LineOf(entry.first.Mark(), line_),
                        source_, Sensitivity::kPlain);
    }
  }
  return std::nullopt;
}

absl::Status ConfigNode::ReadString(absl::string_view key, std::optional<std::string>* out,
                                    Sensitivity sensitivity) const {
  std::optional<ConfigNode> child = Child(key);
  if (!child) return absl::OkStatus();
  child->sensitivity_ = sensitivity;
  absl::StatusOr<std::string> text = child->Scalar("a string");
  if (!text.ok()) return text.status();
  if (text->empty()) return child->Error("must not be empty");
  *out = *std::move(text);
  return absl::OkStatus();
}

absl::Status ConfigNode::ReadBool(absl::string_view key, std::optional<bool>* out) const {
  std::optional<ConfigNode> child = Child(key);
  if (!child) return absl::OkStatus();
  absl::StatusOr<std::string> text = child->Scalar("true or false");
  if (!text.ok()) return text.status();
  std::optional<bool> value = ParseBool(*text);
  if (!value) return child->WrongValue("true or false", *text);
  *out = *value;
  return absl::OkStatus();
}

absl::Status ConfigNode::ReadInteger(absl::string_view key, int64_t min, int64_t max,
                                     std::optional<int64_t>* out) const {
  std::optional<ConfigNode> child = Child(key);
  if (!child) return absl::OkStatus();
  absl::StatusOr<std::string> text = child->Scalar("an integer");
  if (!text.ok()) return text.status();
  std::optional<int64_t> value = ParseInteger(*text);
  if (!value) return child->WrongValue("an integer", *text);
  if (*value < min || *value > max) {
    return child->Error(absl::StrCat("must be between ", min, " and ", max, ", got ", *value));
  }
  *out = *value;
  return absl::OkStatus();
}

absl::Status ConfigNode::ReadDuration(absl::string_view key, absl::Duration min, absl::Duration max,
                                      std::optional<absl::Duration>* out) const {
  constexpr absl::string_view kExpected = "a duration like \"30s\" or \"500ms\"";
  std::optional<ConfigNode> child = Child(key);
  if (!child) return absl::OkStatus();
  absl::StatusOr<std::string> text = child->Scalar(kExpected);
  if (!text.ok()) return text.status();
  std::optional<absl::Duration> value = ParseDuration(*text);
  if (!value) return child->WrongValue(kExpected, *text);
  if (*value < min || *value > max) {
    return child->Error(absl::StrCat("must be between ", absl::FormatDuration(min), " and ",
                                     absl::FormatDuration(max), ", got ", Quote(*text)));
  }
  *out = *value;
  return absl::OkStatus();
}

absl::Status ConfigNode::ReadChoice(absl::string_view key,
                                    absl::Span<const absl::string_view> choices,
                                    std::optional<size_t>* out) const {
  const std::string expected = absl::StrCat("one of ", absl::StrJoin(choices, ", "));
  std::optional<ConfigNode> child = Child(key);
  if (!child) return absl::OkStatus();
  absl::StatusOr<std::string> text = child->Scalar(expected);
  if (!text.ok()) return text.status();
  for (size_t i = 0; i < choices.size(); ++i) {
    if (*text == choices[i]) {
      *out = i;
      return absl::OkStatus();
    }
  }
  return child->WrongValue(expected, *text);
}

absl::StatusOr<std::vector<ConfigNode>> ConfigNode::Items() const {
  std::vector<ConfigNode> items;
  if (node_.IsNull()) return items;
  if (!node_.IsSequence()) {
    return Error(node_.IsMap() ? "expected a list, got a mapping" : "expected a list, got a value");
  }
  int index = 0;
  for (const YAML::Node& item : node_) {
    items.push_back(ConfigNode(item, absl::StrCat(path_, "[", index++, "]"),
                               LineOf(item.Mark(), line_), source_, sensitivity_));
  }
  return items;
}

absl::Status ConfigNode::ReadStringList(absl::string_view key,
                                        std::optional<std::vector<std::string>>* out) const {
  std::optional<ConfigNode> child = Child(key);
  if (!child) return absl::OkStatus();
  std::vector<std::string> values;
  if (child->node_.IsScalar()) {
    absl::StatusOr<std::string> text = child->Scalar("a string or a list of strings");
    if (!text.ok()) return text.status();
    if (text->empty()) return child->Error("must not be empty");
    values.push_back(*std::move(text));
  } else {
    absl::StatusOr<std::vector<ConfigNode>> items = child->Items();
    if (!items.ok()) return items.status();
    for (const ConfigNode& item : *items) {
      absl::StatusOr<std::string> text = item.Scalar("a string");
      if (!text.ok()) return text.status();
      if (text->empty()) return item.Error("must not be empty");
      values.push_back(*std::move(text));
    }
  }
  *out = std::move(values);
  return absl::OkStatus();
}

absl::Status ConfigNode::ReadNumber(absl::string_view key, double min, double max,
                                    std::optional<double>* out) const {
  std::optional<ConfigNode> child = Child(key);
  if (!child) return absl::OkStatus();
  absl::StatusOr<std::string> text = child->Scalar("a number");
  if (!text.ok()) return text.status();
  double value = 0;
  if (!absl::SimpleAtod(*text, &value) || !std::isfinite(value)) {
    return child->WrongValue("a number", *text);
  }
  if (value < min || value > max) {
    return child->Error(absl::StrCat("must be between ", min, " and ", max, ", got ", *text));
  }
  *out = value;
  return absl::OkStatus();
}

}  // namespace awsgw::gateway::config
