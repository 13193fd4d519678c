// Dotted field paths ("summary.status", "deployments") over protobuf
// messages, resolved against a descriptor once and evaluated by reflection.
//
// The watch definitions name every field they use by path; the engine
// resolves the paths when the gateway starts (a bad path stops start-up) and
// evaluates them on each poll. Every segment but the last must be a singular
// message field; the last may be anything.
//
// Example:
//   absl::StatusOr<FieldPath> status = FieldPath::Resolve(Job::descriptor(), "summary.status");
//   std::optional<std::string> text = status->Text(job);  // "RUNNING"
#ifndef AWSGW_GATEWAY_WATCH_FIELD_PATH_H_
#define AWSGW_GATEWAY_WATCH_FIELD_PATH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace awsgw::gateway::watch {

class FieldPath {
 public:
  FieldPath() = default;

  // INVALID_ARGUMENT naming the segment when `path` does not resolve in
  // `type`. An empty path resolves to the message itself (empty()).
  [[nodiscard]] static absl::StatusOr<FieldPath> Resolve(const google::protobuf::Descriptor* type,
                                                         absl::string_view path);

  bool empty() const { return fields_.empty(); }
  const std::string& text() const { return text_; }
  // The last field (nullptr when empty()).
  const google::protobuf::FieldDescriptor* leaf() const {
    return fields_.empty() ? nullptr : fields_.back();
  }
  // The type the path leads to when the leaf is a message (or the root).
  const google::protobuf::Descriptor* message_type() const { return type_; }

  // The message at the path (the leaf must be a singular message, or the
  // path empty); nullptr when a message on the way is not set.
  const google::protobuf::Message* MessageAt(const google::protobuf::Message& root) const;

  // The leaf scalar as text: strings as is, numbers in decimal, bools
  // "true"/"false", enums as their AWS string (the raw_of sibling's value
  // when AWS sent one this build does not know). nullopt when unset.
  std::optional<std::string> Text(const google::protobuf::Message& root) const;

  // Number of elements of a repeated leaf (0 when a parent is unset).
  int Count(const google::protobuf::Message& root) const;

  // Elements of a repeated message leaf.
  std::vector<const google::protobuf::Message*> Elements(
      const google::protobuf::Message& root) const;

  // A google.protobuf.Timestamp leaf as Unix nanoseconds (nullopt when unset).
  std::optional<int64_t> TimestampNanos(const google::protobuf::Message& root) const;

  // Clears the leaf in `root` (no-op when a parent is unset).
  void Clear(google::protobuf::Message* root) const;

  // Sets a scalar leaf of `root` (creating parents) from a scalar field of
  // another message, or appends `value` to a repeated string leaf.
  // INVALID_ARGUMENT when the types do not allow it.
  [[nodiscard]] absl::Status CopyFrom(const google::protobuf::Message& from_root,
                                      const FieldPath& from, google::protobuf::Message* root) const;
  [[nodiscard]] absl::Status AppendString(google::protobuf::Message* root,
                                          const std::string& value) const;

 private:
  // The message holding the leaf, or nullptr when a parent is unset.
  const google::protobuf::Message* Parent(const google::protobuf::Message& root) const;
  google::protobuf::Message* MutableParent(google::protobuf::Message* root) const;

  std::vector<const google::protobuf::FieldDescriptor*> fields_;
  const google::protobuf::Descriptor* type_ = nullptr;
  std::string text_;
};

// The AWS string of an enum value ((awsgw.aws_value), else its name).
std::string AwsEnumString(const google::protobuf::EnumValueDescriptor* value);

// A stable 64-bit FNV-1a digest of `message`'s deterministic serialization:
// the same on every replica running the same protos.
uint64_t StableDigest(const google::protobuf::Message& message);
// `message` serialized deterministically (map entries in key order), so that
// equal messages give equal bytes.
std::string DeterministicBytes(const google::protobuf::Message& message);
uint64_t StableDigest(absl::string_view bytes);

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_FIELD_PATH_H_
