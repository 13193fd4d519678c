#include "translators/json_codec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "boost/json/parse.hpp"
#include "translators/message_binding.h"
#include "translators/timestamp_format.h"
#include "translators/wkt.h"

namespace awsgw::translators {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The member path of the value being converted, for error messages:
// "service.deployments[2].createdAt: expected a number".
class Path {
 public:
  class Scope {
   public:
    Scope(Path& path, absl::string_view segment, bool is_index) : path_(path) {
      path_.segments_.push_back(is_index ? absl::StrCat("[", segment, "]") : std::string(segment));
    }
    ~Scope() { path_.segments_.pop_back(); }

   private:
    Path& path_;
  };

  absl::Status Error(const absl::Status& status) const {
    std::string where;
    for (const std::string& s : segments_) {
      if (!where.empty() && s.front() != '[') where.push_back('.');
      where.append(s);
    }
    return absl::Status(status.code(), where.empty() ? std::string(status.message())
                                                     : absl::StrCat(where, ": ", status.message()));
  }

 private:
  std::vector<std::string> segments_;
};

// ---- writing ------------------------------------------------------------------

class Writer {
 public:
  explicit Writer(base::JsonWriter& w) : w_(w) {}

  // The first error, with the path where it happened.
  absl::Status Fail(const absl::Status& status) { return path_.Error(status); }

  absl::Status Object(const Message& message) {
    const MessageBinding& binding = BindingFor(message.GetDescriptor());
    w_.BeginObject();
    for (const FieldBinding& fb : binding.fields) {
      if (fb.location != LOCATION_BODY || !IsSet(message, fb)) continue;
      w_.Key(fb.wire_name);
      Path::Scope scope(path_, fb.field->name(), false);
      if (absl::Status s = Field(message, fb); !s.ok()) return s;
    }
    w_.EndObject();
    return absl::OkStatus();
  }

  static bool IsSet(const Message& message, const FieldBinding& fb) {
    const Reflection* r = message.GetReflection();
    auto set = [&](const FieldDescriptor* f) {
      return f != nullptr &&
             (f->is_repeated() ? r->FieldSize(message, f) > 0 : r->HasField(message, f));
    };
    return set(fb.field) || set(fb.raw);
  }

  // The whole value of a field (a list, map or single value).
  absl::Status Field(const Message& message, const FieldBinding& fb) {
    const Reflection* r = message.GetReflection();
    const FieldDescriptor* f = fb.field;
    const bool use_raw =
        fb.raw != nullptr &&
        (fb.raw->is_repeated() ? r->FieldSize(message, fb.raw) > 0 : r->HasField(message, fb.raw));
    const FieldDescriptor* source = use_raw ? fb.raw : f;
    if (source->is_map()) return Map(message, source, *fb.member);
    if (source->is_repeated()) {
      w_.BeginArray();
      const int n = r->FieldSize(message, source);
      for (int i = 0; i < n; ++i) {
        Path::Scope scope(path_, absl::StrCat(i), true);
        if (absl::Status s = Element(message, source, i, *fb.member); !s.ok()) return s;
      }
      w_.EndArray();
      return absl::OkStatus();
    }
    return Element(message, source, -1, *fb.member);
  }

  absl::Status Map(const Message& message, const FieldDescriptor* f, const MemberInfo& member) {
    const Reflection* r = message.GetReflection();
    const FieldDescriptor* key_field = f->message_type()->map_key();
    const FieldDescriptor* value_field = f->message_type()->map_value();
    // Sorted keys: the same message always yields the same bytes (and signature).
    std::vector<std::pair<std::string, const Message*>> entries;
    const int n = r->FieldSize(message, f);
    entries.reserve(n);
    for (int i = 0; i < n; ++i) {
      const Message& entry = r->GetRepeatedMessage(message, f, i);
      entries.emplace_back(entry.GetReflection()->GetString(entry, key_field), &entry);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    w_.BeginObject();
    for (const auto& [key, entry] : entries) {
      w_.Key(key);
      Path::Scope scope(path_, key, true);
      if (absl::Status s = Element(*entry, value_field, -1, member); !s.ok()) return s;
    }
    w_.EndObject();
    return absl::OkStatus();
  }

  // One value: a singular field (index -1) or one element of a repeated one.
  absl::Status Element(const Message& message, const FieldDescriptor* f, int index,
                       const MemberInfo& member) {
    const Reflection* r = message.GetReflection();
    const bool rep = index >= 0;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        w_.Int(rep ? r->GetRepeatedInt32(message, f, index) : r->GetInt32(message, f));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        w_.Int(rep ? r->GetRepeatedInt64(message, f, index) : r->GetInt64(message, f));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        w_.Int(rep ? r->GetRepeatedUInt32(message, f, index) : r->GetUInt32(message, f));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        w_.Int(static_cast<int64_t>(rep ? r->GetRepeatedUInt64(message, f, index)
                                        : r->GetUInt64(message, f)));
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        // Through the shortest decimal of the float, so 1.1f is written 1.1.
        w_.Double(
            FloatToDouble(rep ? r->GetRepeatedFloat(message, f, index) : r->GetFloat(message, f)));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        w_.Double(rep ? r->GetRepeatedDouble(message, f, index) : r->GetDouble(message, f));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        w_.Bool(rep ? r->GetRepeatedBool(message, f, index) : r->GetBool(message, f));
        break;
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& value = rep ? r->GetRepeatedStringReference(message, f, index, &scratch)
                                       : r->GetStringReference(message, f, &scratch);
        if (f->type() == FieldDescriptor::TYPE_BYTES) {
          w_.String(absl::Base64Escape(value));
        } else {
          w_.String(value);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number =
            rep ? r->GetRepeatedEnumValue(message, f, index) : r->GetEnumValue(message, f);
        const std::string* aws = EnumStrings::For(f->enum_type()).ToAws(number);
        if (aws == nullptr) {
          return Fail(absl::InvalidArgumentError(
              absl::StrCat("enum value ", number, " of ", f->enum_type()->name(),
                           " is not an AWS value (set the _raw field for values newer than "
                           "this build)")));
        }
        w_.String(*aws);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Message& sub =
            rep ? r->GetRepeatedMessage(message, f, index) : r->GetMessage(message, f);
        return MessageValue(sub, member);
      }
    }
    return absl::OkStatus();
  }

  absl::Status MessageValue(const Message& sub, const MemberInfo& member) {
    const Descriptor* type = sub.GetDescriptor();
    if (IsTimestamp(type)) {
      const google::protobuf::Timestamp ts = ReadTimestamp(sub);
      const TimestampFormat format = EffectiveFormat(member.timestamp_format(), LOCATION_BODY);
      if (format == TIMESTAMP_FORMAT_UNIX) {
        w_.Raw(FormatTimestamp(ts, TIMESTAMP_FORMAT_UNIX));
      } else {
        w_.String(FormatTimestamp(ts, format));
      }
      return absl::OkStatus();
    }
    if (IsValue(type)) return Value(sub);
    const MessageBinding& binding = BindingFor(type);
    if (binding.is_wrapper) return Field(sub, binding.fields.front());
    return Object(sub);
  }

  // google.protobuf.Value (a document) as the JSON it holds.
  absl::Status Value(const Message& value) {
    const Reflection* r = value.GetReflection();
    const FieldDescriptor* kind =
        r->GetOneofFieldDescriptor(value, value.GetDescriptor()->oneof_decl(0));
    if (kind == nullptr || kind->name() == "null_value") {
      w_.Null();
    } else if (kind->name() == "number_value") {
      w_.Double(r->GetDouble(value, kind));
    } else if (kind->name() == "string_value") {
      w_.String(r->GetString(value, kind));
    } else if (kind->name() == "bool_value") {
      w_.Bool(r->GetBool(value, kind));
    } else if (kind->name() == "struct_value") {
      const Message& st = r->GetMessage(value, kind);
      const FieldDescriptor* fields = st.GetDescriptor()->FindFieldByName("fields");
      std::vector<std::pair<std::string, const Message*>> entries;
      for (int i = 0; i < st.GetReflection()->FieldSize(st, fields); ++i) {
        const Message& e = st.GetReflection()->GetRepeatedMessage(st, fields, i);
        entries.emplace_back(e.GetReflection()->GetString(e, e.GetDescriptor()->map_key()),
                             &e.GetReflection()->GetMessage(e, e.GetDescriptor()->map_value()));
      }
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      w_.BeginObject();
      for (const auto& [key, v] : entries) {
        w_.Key(key);
        if (absl::Status s = Value(*v); !s.ok()) return s;
      }
      w_.EndObject();
    } else {  // list_value
      const Message& list = r->GetMessage(value, kind);
      const FieldDescriptor* values = list.GetDescriptor()->FindFieldByName("values");
      w_.BeginArray();
      for (int i = 0; i < list.GetReflection()->FieldSize(list, values); ++i) {
        if (absl::Status s = Value(list.GetReflection()->GetRepeatedMessage(list, values, i));
            !s.ok()) {
          return s;
        }
      }
      w_.EndArray();
    }
    return absl::OkStatus();
  }

 private:
  static double FloatToDouble(float value) {
    if (!std::isfinite(value)) return value;
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
    double d = 0;
    std::from_chars(buf, end, d);
    return d;
  }

  base::JsonWriter& w_;
  Path path_;
};

// ---- reading ------------------------------------------------------------------

absl::Status TypeError(absl::string_view expected, const boost::json::value& got) {
  static constexpr const char* kKinds[] = {"null",   "bool",   "int64", "uint64",
                                           "double", "string", "array", "object"};
  return absl::InvalidArgumentError(
      absl::StrCat("expected ", expected, ", got ", kKinds[static_cast<int>(got.kind())]));
}

absl::StatusOr<double> AsDouble(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::int64:
      return static_cast<double>(v.get_int64());
    case boost::json::kind::uint64:
      return static_cast<double>(v.get_uint64());
    case boost::json::kind::double_:
      return v.get_double();
    case boost::json::kind::string: {
      const boost::json::string& s = v.get_string();
      if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (s == "Infinity") return std::numeric_limits<double>::infinity();
      if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
      break;
    }
    default:
      break;
  }
  return TypeError("a number", v);
}

absl::StatusOr<int64_t> AsInt(const boost::json::value& v, int64_t min, int64_t max) {
  int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(max)) {
    n = static_cast<int64_t>(v.get_uint64());
  } else if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
             std::fabs(v.get_double()) < 9.2e18) {
    n = static_cast<int64_t>(v.get_double());
  } else {
    return TypeError("an integer", v);
  }
  if (n < min || n > max) return absl::InvalidArgumentError(absl::StrCat(n, " is out of range"));
  return n;
}

class Reader {
 public:
  absl::Status Object(const boost::json::value& json, Message* message) {
    if (!json.is_object()) return Fail(TypeError("an object", json));
    const MessageBinding& binding = BindingFor(message->GetDescriptor());
    for (const auto& [key, value] : json.get_object()) {
      if (value.is_null()) continue;
      auto it = binding.body_by_wire_name.find(absl::string_view(key.data(), key.size()));
      if (it == binding.body_by_wire_name.end()) continue;  // newer than this build
      const FieldBinding& fb = *it->second;
      Path::Scope scope(path_, fb.field->name(), false);
      if (absl::Status s = Field(value, fb, message); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status Field(const boost::json::value& json, const FieldBinding& fb, Message* message) {
    const FieldDescriptor* f = fb.field;
    const Reflection* r = message->GetReflection();
    const bool outer_unknown = std::exchange(unknown_enum_, false);
    if (f->is_map()) {
      if (!json.is_object()) return Fail(TypeError("an object", json));
      const FieldDescriptor* value_field = f->message_type()->map_value();
      for (const auto& [key, value] : json.get_object()) {
        if (value.is_null()) continue;
        Message* entry = r->AddMessage(message, f);
        entry->GetReflection()->SetString(entry, f->message_type()->map_key(),
                                          std::string(key.data(), key.size()));
        Path::Scope scope(path_, absl::string_view(key.data(), key.size()), true);
        if (absl::Status s = Value(value, entry, value_field, false, *fb.member); !s.ok()) {
          return s;
        }
      }
    } else if (f->is_repeated()) {
      if (!json.is_array()) return Fail(TypeError("an array", json));
      int i = 0;
      for (const boost::json::value& value : json.get_array()) {
        Path::Scope scope(path_, absl::StrCat(i++), true);
        if (value.is_null()) continue;
        if (absl::Status s = Value(value, message, f, true, *fb.member); !s.ok()) return s;
      }
    } else {
      if (absl::Status s = Value(json, message, f, false, *fb.member); !s.ok()) return s;
    }
    if (unknown_enum_ && fb.raw != nullptr) KeepRaw(json, fb.raw, message);
    unknown_enum_ = outer_unknown;
    return absl::OkStatus();
  }

  // Reads one value into `f` of `target`: set (singular, map entry) or added.
  absl::Status Value(const boost::json::value& v, Message* target, const FieldDescriptor* f,
                     bool add, const MemberInfo& member) {
    const Reflection* r = target->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: {
        auto n = AsInt(v, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
        if (!n.ok()) return Fail(n.status());
        add ? r->AddInt32(target, f, *n) : r->SetInt32(target, f, *n);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        auto n = AsInt(v, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
        if (!n.ok()) return Fail(n.status());
        add ? r->AddInt64(target, f, *n) : r->SetInt64(target, f, *n);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64:
        return absl::InternalError("unsigned fields are not used by AWS shapes");
      case FieldDescriptor::CPPTYPE_FLOAT:
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        auto d = AsDouble(v);
        if (!d.ok()) return Fail(d.status());
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
          add ? r->AddFloat(target, f, static_cast<float>(*d))
              : r->SetFloat(target, f, static_cast<float>(*d));
        } else {
          add ? r->AddDouble(target, f, *d) : r->SetDouble(target, f, *d);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        if (!v.is_bool()) return Fail(TypeError("a boolean", v));
        add ? r->AddBool(target, f, v.get_bool()) : r->SetBool(target, f, v.get_bool());
        break;
      case FieldDescriptor::CPPTYPE_STRING: {
        if (!v.is_string()) return Fail(TypeError("a string", v));
        std::string s(v.get_string().data(), v.get_string().size());
        if (f->type() == FieldDescriptor::TYPE_BYTES) {
          std::string decoded;
          if (!absl::Base64Unescape(s, &decoded)) {
            return Fail(absl::InvalidArgumentError("invalid base64"));
          }
          s = std::move(decoded);
        }
        add ? r->AddString(target, f, std::move(s)) : r->SetString(target, f, std::move(s));
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        if (!v.is_string()) return Fail(TypeError("a string", v));
        const int* number =
            EnumStrings::For(f->enum_type())
                .FromAws(absl::string_view(v.get_string().data(), v.get_string().size()));
        if (number == nullptr) unknown_enum_ = true;
        const int value = number == nullptr ? 0 : *number;
        add ? r->AddEnumValue(target, f, value) : r->SetEnumValue(target, f, value);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* sub = add ? r->AddMessage(target, f) : r->MutableMessage(target, f);
        return MessageValue(v, sub, member);
      }
    }
    return absl::OkStatus();
  }

  absl::Status MessageValue(const boost::json::value& v, Message* sub, const MemberInfo& member) {
    const Descriptor* type = sub->GetDescriptor();
    if (IsTimestamp(type)) {
      absl::StatusOr<google::protobuf::Timestamp> ts =
          v.is_string()
              ? ParseTimestamp(absl::string_view(v.get_string().data(), v.get_string().size()))
          : v.is_number()
              ? TimestampFromEpochSeconds(v.to_number<double>())
              : absl::StatusOr<google::protobuf::Timestamp>(TypeError("a timestamp", v));
      if (!ts.ok()) return Fail(ts.status());
      WriteTimestamp(*ts, sub);
      return absl::OkStatus();
    }
    if (IsValue(type)) return JsonToValue(v, sub);
    const MessageBinding& binding = BindingFor(type);
    if (binding.is_wrapper) return Field(v, binding.fields.front(), sub);
    return Object(v, sub);
  }

  absl::Status Fail(const absl::Status& status) const { return path_.Error(status); }

 private:
  // AWS sent enum strings this build does not know: keep all of them, verbatim.
  static void KeepRaw(const boost::json::value& json, const FieldDescriptor* raw,
                      Message* message) {
    const Reflection* r = message->GetReflection();
    auto str = [](const boost::json::value& v) {
      return v.is_string() ? std::string(v.get_string().data(), v.get_string().size())
                           : std::string();
    };
    if (raw->is_map()) {
      for (const auto& [key, value] : json.get_object()) {
        if (value.is_null()) continue;
        Message* entry = r->AddMessage(message, raw);
        entry->GetReflection()->SetString(entry, raw->message_type()->map_key(),
                                          std::string(key.data(), key.size()));
        entry->GetReflection()->SetString(entry, raw->message_type()->map_value(), str(value));
      }
    } else if (raw->is_repeated()) {
      for (const boost::json::value& value : json.get_array()) {
        if (!value.is_null()) r->AddString(message, raw, str(value));
      }
    } else {
      r->SetString(message, raw, str(json));
    }
  }

  bool unknown_enum_ = false;
  Path path_;
};

}  // namespace

absl::Status WriteJsonObject(const Message& message, base::JsonWriter& writer) {
  return Writer(writer).Object(message);
}

absl::StatusOr<std::string> ToJson(const Message& message) {
  std::string out;
  base::JsonWriter writer(&out);
  if (absl::Status s = WriteJsonObject(message, writer); !s.ok()) return s;
  return out;
}

absl::Status ReadJsonObject(const boost::json::value& json, Message* message) {
  return Reader().Object(json, message);
}

absl::Status FromJson(absl::string_view text, Message* message) {
  if (text.find_first_not_of(" \t\r\n") == absl::string_view::npos) return absl::OkStatus();
  boost::system::error_code ec;
  boost::json::value json =
      boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("invalid JSON: ", ec.message()));
  return ReadJsonObject(json, message);
}

absl::Status WriteFieldValue(const Message& message, const FieldDescriptor* field,
                             base::JsonWriter& writer) {
  const MessageBinding& binding = BindingFor(message.GetDescriptor());
  const FieldBinding* fb = binding.FindByFieldName(field->name());
  if (fb == nullptr) return absl::InternalError("not a member field");
  return Writer(writer).Field(message, *fb);
}

absl::Status ReadFieldValue(const boost::json::value& json, const FieldDescriptor* field,
                            Message* message) {
  const MessageBinding& binding = BindingFor(message->GetDescriptor());
  const FieldBinding* fb = binding.FindByFieldName(field->name());
  if (fb == nullptr) return absl::InternalError("not a member field");
  if (json.is_null()) return absl::OkStatus();
  return Reader().Field(json, *fb, message);
}

}  // namespace awsgw::translators
