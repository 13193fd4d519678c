// A small streaming JSON writer that appends to a std::string.
//
// Why not serialize a Boost.JSON value: writing straight to text avoids
// building a tree for every request, and lets numbers be written the way AWS
// writes them (shortest round-trip decimal, never exponent-only forms such as
// "1E0" for integral doubles; NaN and infinities as the strings AWS uses).
#ifndef AWSGW_BASE_JSON_WRITER_H_
#define AWSGW_BASE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace awsgw::base {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // Inside an object: the key of the next value.
  void Key(absl::string_view key);

  void String(absl::string_view value);
  void Int(int64_t value);
  // Finite values as numbers; NaN, Infinity and -Infinity as those strings.
  void Double(double value);
  void Bool(bool value);
  void Null();
  // Appends already-serialized JSON as one value.
  void Raw(absl::string_view json);

 private:
  void BeforeValue();

  std::string* out_;
  // One entry per open container: whether it has had a value yet.
  std::vector<bool> has_value_;
  bool after_key_ = false;
};

// Appends `value` as a JSON string literal (quoted and escaped) to `out`.
void AppendJsonString(absl::string_view value, std::string* out);

// The text of a double as AWS writes it in JSON, headers, labels and queries
// ("1.5", "1", "NaN", "Infinity", "-Infinity").
std::string FormatDouble(double value);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or
// code points past U+10FFFF). JSON text must be: a value that is not stays
// out of the gateway's own logs and audit records.
bool IsValidUtf8(absl::string_view text);

// The same for a float, through its own shortest decimal (1.1f is "1.1", not
// the "1.100000023841858" of its double value).
std::string FormatFloat(float value);

}  // namespace awsgw::base

#endif  // AWSGW_BASE_JSON_WRITER_H_
