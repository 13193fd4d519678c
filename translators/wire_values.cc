#include "translators/wire_values.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/json_writer.h"
#include "translators/timestamp_format.h"
#include "translators/wkt.h"

namespace awsgw::translators {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Status BadValue(absl::string_view text, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not ", what));
}

bool ParseDouble(absl::string_view text, double* out) {
  if (text == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
  } else if (text == "Infinity") {
    *out = std::numeric_limits<double>::infinity();
  } else if (text == "-Infinity") {
    *out = -std::numeric_limits<double>::infinity();
  } else {
    return absl::SimpleAtod(text, out);
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> FormatScalar(const Message& message, const FieldDescriptor* f,
                                         int index, const MemberInfo& member, Location location) {
  const auto* r = message.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(message, f, index) : r->GetInt32(message, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(message, f, index) : r->GetInt64(message, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(message, f, index) : r->GetUInt32(message, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(message, f, index) : r->GetUInt64(message, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return base::FormatFloat(rep ? r->GetRepeatedFloat(message, f, index)
                                   : r->GetFloat(message, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return base::FormatDouble(rep ? r->GetRepeatedDouble(message, f, index)
                                    : r->GetDouble(message, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return std::string((rep ? r->GetRepeatedBool(message, f, index) : r->GetBool(message, f))
                             ? "true"
                             : "false");
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string value = rep ? r->GetRepeatedString(message, f, index) : r->GetString(message, f);
      const bool base64 = f->type() == FieldDescriptor::TYPE_BYTES ||
                          (member.jsonvalue() && location == LOCATION_HEADER);
      return base64 ? absl::Base64Escape(value) : value;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number =
          rep ? r->GetRepeatedEnumValue(message, f, index) : r->GetEnumValue(message, f);
      const std::string* aws = EnumStrings::For(f->enum_type()).ToAws(number);
      if (aws == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            "enum value ", number, " of ", f->enum_type()->name(), " is not an AWS value"));
      }
      return *aws;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& sub =
          rep ? r->GetRepeatedMessage(message, f, index) : r->GetMessage(message, f);
      if (!IsTimestamp(sub.GetDescriptor())) {
        return absl::InvalidArgumentError(
            absl::StrCat(sub.GetDescriptor()->full_name(), " cannot be bound outside the body"));
      }
      return FormatTimestamp(ReadTimestamp(sub),
                             EffectiveFormat(member.timestamp_format(), location));
    }
  }
  return absl::InternalError("unhandled field type");
}

absl::StatusOr<bool> ParseScalar(absl::string_view text, Message* target, const FieldDescriptor* f,
                                 bool add, const MemberInfo& member, Location location) {
  const auto* r = target->GetReflection();
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(trimmed, &v)) return BadValue(text, "an integer");
      add ? r->AddInt32(target, f, v) : r->SetInt32(target, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(trimmed, &v)) return BadValue(text, "an integer");
      add ? r->AddInt64(target, f, v) : r->SetInt64(target, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v;
      if (!ParseDouble(trimmed, &v)) return BadValue(text, "a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        add ? r->AddFloat(target, f, static_cast<float>(v))
            : r->SetFloat(target, f, static_cast<float>(v));
      } else {
        add ? r->AddDouble(target, f, v) : r->SetDouble(target, f, v);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (trimmed == "true") {
        v = true;
      } else if (trimmed == "false") {
        v = false;
      } else {
        return BadValue(text, "a boolean");
      }
      add ? r->AddBool(target, f, v) : r->SetBool(target, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v(text);
      if (f->type() == FieldDescriptor::TYPE_BYTES ||
          (member.jsonvalue() && location == LOCATION_HEADER)) {
        if (!absl::Base64Unescape(trimmed, &v)) return BadValue(text, "base64");
      }
      add ? r->AddString(target, f, std::move(v)) : r->SetString(target, f, std::move(v));
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int* number = EnumStrings::For(f->enum_type()).FromAws(text);
      add ? r->AddEnumValue(target, f, number ? *number : 0)
          : r->SetEnumValue(target, f, number ? *number : 0);
      return number == nullptr;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!IsTimestamp(f->message_type())) {
        return absl::InvalidArgumentError(
            absl::StrCat(f->message_type()->full_name(), " cannot be bound outside the body"));
      }
      absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp(trimmed);
      if (!ts.ok()) return ts.status();
      WriteTimestamp(*ts, add ? r->AddMessage(target, f) : r->MutableMessage(target, f));
      break;
    }
    default:
      return absl::InternalError("unhandled field type");
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> FormatMember(const Message& message,
                                                      const FieldBinding& binding,
                                                      Location location) {
  const auto* r = message.GetReflection();
  const FieldDescriptor* f = binding.field;
  std::vector<std::string> out;
  if (binding.raw != nullptr) {
    if (binding.raw->is_repeated() && r->FieldSize(message, binding.raw) > 0) {
      for (int i = 0; i < r->FieldSize(message, binding.raw); ++i) {
        out.push_back(r->GetRepeatedString(message, binding.raw, i));
      }
      return out;
    }
    if (!binding.raw->is_repeated() && r->HasField(message, binding.raw)) {
      out.push_back(r->GetString(message, binding.raw));
      return out;
    }
  }
  if (f->is_repeated()) {
    for (int i = 0; i < r->FieldSize(message, f); ++i) {
      absl::StatusOr<std::string> text = FormatScalar(message, f, i, *binding.member, location);
      if (!text.ok()) return text.status();
      out.push_back(*std::move(text));
    }
  } else if (r->HasField(message, f)) {
    absl::StatusOr<std::string> text = FormatScalar(message, f, -1, *binding.member, location);
    if (!text.ok()) return text.status();
    out.push_back(*std::move(text));
  }
  return out;
}

absl::Status ParseMember(const std::vector<std::string>& texts, Message* message,
                         const FieldBinding& binding, Location location) {
  const FieldDescriptor* f = binding.field;
  bool unknown = false;
  for (const std::string& text : texts) {
    absl::StatusOr<bool> u =
        ParseScalar(text, message, f, f->is_repeated(), *binding.member, location);
    if (!u.ok()) return u.status();
    unknown = unknown || *u;
    if (!f->is_repeated()) break;
  }
  if (unknown && binding.raw != nullptr) {
    const auto* r = message->GetReflection();
    if (binding.raw->is_repeated()) {
      for (const std::string& text : texts) r->AddString(message, binding.raw, text);
    } else {
      r->SetString(message, binding.raw, texts.front());
    }
  }
  return absl::OkStatus();
}

std::string JoinHeaderList(const std::vector<std::string>& items, bool quote_items) {
  if (!quote_items) return absl::StrJoin(items, ", ");
  std::vector<std::string> parts;
  parts.reserve(items.size());
  for (const std::string& item : items) {
    if (item.find_first_of(",\"") == std::string::npos) {
      parts.push_back(item);
      continue;
    }
    std::string quoted = "\"";
    for (char c : item) {
      if (c == '"' || c == '\\') quoted.push_back('\\');
      quoted.push_back(c);
    }
    quoted.push_back('"');
    parts.push_back(std::move(quoted));
  }
  return absl::StrJoin(parts, ", ");
}

std::vector<std::string> SplitHeaderList(absl::string_view value, bool http_dates) {
  std::vector<std::string> items;
  std::string current;
  bool in_quotes = false;
  bool was_quoted = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (in_quotes) {
      if (c == '\\' && i + 1 < value.size()) {
        current.push_back(value[++i]);
      } else if (c == '"') {
        in_quotes = false;
      } else {
        current.push_back(c);
      }
    } else if (c == '"') {
      in_quotes = true;
      was_quoted = true;
      current.clear();  // whitespace before the opening quote is not part of the item
    } else if (c == ',') {
      items.push_back(was_quoted ? current : std::string(absl::StripAsciiWhitespace(current)));
      current.clear();
      was_quoted = false;
    } else {
      if (!was_quoted) current.push_back(c);
    }
  }
  items.push_back(was_quoted ? current : std::string(absl::StripAsciiWhitespace(current)));
  if (http_dates) {
    std::vector<std::string> dates;
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
      dates.push_back(absl::StrCat(items[i], ", ", items[i + 1]));
    }
    return dates;
  }
  return items;
}

}  // namespace awsgw::translators
