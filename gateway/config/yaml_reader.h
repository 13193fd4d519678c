// ConfigNode: typed, located reads from a parsed YAML document.
//
// Why a wrapper over YAML::Node: every error must name the file, the 1-based
// line and the dotted key path ("gateway.yaml:12: server.keepalive.time:
// expected a duration like "30s" or "500ms", got "fast""), unknown keys must
// be caught, and secret values must never be echoed. yaml-cpp's own as<T>()
// throws on bad input and knows none of that; this class never throws.
//
// Example:
//   ConfigNode keepalive = ...;
//   AWSGW_RETURN_IF_ERROR(keepalive.ExpectMapping({"time", "timeout"}));
//   AWSGW_RETURN_IF_ERROR(keepalive.ReadDuration("time", absl::Seconds(1), absl::Hours(24), &out));
//
// Every Read* leaves `*out` untouched when the key is absent and returns
// INVALID_ARGUMENT (message as above) when the value is unusable.
#ifndef AWSGW_GATEWAY_CONFIG_YAML_READER_H_
#define AWSGW_GATEWAY_CONFIG_YAML_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "yaml-cpp/yaml.h"

namespace awsgw::gateway::config {

// Whether a value may be quoted back in an error message.
enum class Sensitivity { kPlain, kSecret };

class ConfigNode {
 public:
  // The document root of `source` (the file name errors start with).
  static ConfigNode Root(const YAML::Node& node, const std::string* source);

  // INVALID_ARGUMENT "<source>:<line>: <path>: <message>" (no path at the root).
  [[nodiscard]] absl::Status Error(absl::string_view message) const;

  // OK when this node is a mapping (an empty value counts as an empty one)
  // whose keys are unique plain scalars, each one of `known`. Otherwise the
  // error is on the first offending key, suggesting the nearest known key.
  // With `keys` kSecret, an unknown key is never quoted (it may be a secret
  // pasted in the wrong place); its path reads "<section>.<unknown key>".
  [[nodiscard]] absl::Status ExpectMapping(absl::Span<const absl::string_view> known,
                                           Sensitivity keys = Sensitivity::kPlain) const;

  // The value under `key`; nullopt when absent. Call ExpectMapping first.
  std::optional<ConfigNode> Child(absl::string_view key) const;

  // Every entry of a mapping whose keys are data, not schema (aws.endpoints).
  // Checks what ExpectMapping checks except the key names.
  [[nodiscard]] absl::StatusOr<std::vector<std::pair<std::string, ConfigNode>>> Entries() const;

  [[nodiscard]] absl::Status ReadString(absl::string_view key, std::optional<std::string>* out,
                                        Sensitivity sensitivity = Sensitivity::kPlain) const;
  [[nodiscard]] absl::Status ReadBool(absl::string_view key, std::optional<bool>* out) const;
  // An integer in [min, max].
  [[nodiscard]] absl::Status ReadInteger(absl::string_view key, int64_t min, int64_t max,
                                         std::optional<int64_t>* out) const;
  // A duration (value_parsers.h) in [min, max].
  [[nodiscard]] absl::Status ReadDuration(absl::string_view key, absl::Duration min,
                                          absl::Duration max,
                                          std::optional<absl::Duration>* out) const;
  // One of the names in `choices`, answered as its index.
  [[nodiscard]] absl::Status ReadChoice(absl::string_view key,
                                        absl::Span<const absl::string_view> choices,
                                        std::optional<size_t>* out) const;

  // The elements of a list (`key: [a, b]` or one "- item" per line), each
  // with the path "<key>[<index>]"; an empty value is an empty list.
  [[nodiscard]] absl::StatusOr<std::vector<ConfigNode>> Items() const;

  // A list of non-empty strings under `key`; one string counts as a list of
  // one. Leaves `*out` untouched when the key is absent.
  [[nodiscard]] absl::Status ReadStringList(absl::string_view key,
                                            std::optional<std::vector<std::string>>* out) const;

  // A number in [min, max] (rates: "2.5").
  [[nodiscard]] absl::Status ReadNumber(absl::string_view key, double min, double max,
                                        std::optional<double>* out) const;

  // This node's scalar text. `expected` words the error when it is not a
  // scalar ("a duration like ..."); an empty value is an error too.
  [[nodiscard]] absl::StatusOr<std::string> Scalar(absl::string_view expected) const;

  // `expected ..., got "<value>"` (or `got <redacted>`), for callers'
  // own checks on a scalar.
  [[nodiscard]] absl::Status WrongValue(absl::string_view expected, absl::string_view value) const;

  const std::string& path() const { return path_; }
  const std::string& source() const { return *source_; }
  int line() const { return line_; }
  Sensitivity sensitivity() const { return sensitivity_; }

 private:
  ConfigNode(YAML::Node node, std::string path, int line, const std::string* source,
             Sensitivity sensitivity)
      : node_(std::move(node)),
        path_(std::move(path)),
        line_(line),
        source_(source),
        sensitivity_(sensitivity) {}

  // Unique plain-scalar keys: the shared half of ExpectMapping and Entries.
  // `keys` and `known` decide which keys may be quoted (see ExpectMapping).
  absl::StatusOr<std::vector<std::pair<std::string, ConfigNode>>> CheckedEntries(
      Sensitivity keys, absl::Span<const absl::string_view> known) const;

  YAML::Node node_;
  std::string path_;  // dotted key path; empty at the root
  int line_;          // 1-based line of the key (of the document at the root)
  const std::string* source_;
  Sensitivity sensitivity_;
};

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_YAML_READER_H_
