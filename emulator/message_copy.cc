#include "emulator/message_copy.h"

#include "absl/strings/numbers.h"
#include "translators/message_binding.h"

namespace awsgw::emulator {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool Compatible(const FieldDescriptor* from, const FieldDescriptor* to) {
  if (from->is_repeated() != to->is_repeated() || from->is_map() != to->is_map()) return false;
  const auto f = from->cpp_type();
  const auto t = to->cpp_type();
  if (f == t) return true;
  // Enums and strings carry the same AWS values.
  const bool f_text = f == FieldDescriptor::CPPTYPE_ENUM || f == FieldDescriptor::CPPTYPE_STRING;
  const bool t_text = t == FieldDescriptor::CPPTYPE_ENUM || t == FieldDescriptor::CPPTYPE_STRING;
  return f_text && t_text && !from->is_map();
}

std::optional<std::string> EnumToAws(const FieldDescriptor* field, int number) {
  const std::string* aws = translators::EnumStrings::For(field->enum_type()).ToAws(number);
  return aws == nullptr ? std::nullopt : std::optional<std::string>(*aws);
}

std::optional<int> AwsToEnum(const FieldDescriptor* field, absl::string_view text) {
  const int* number = translators::EnumStrings::For(field->enum_type()).FromAws(text);
  return number == nullptr ? std::nullopt : std::optional<int>(*number);
}

// Copies one (singular) value; `index` < 0 for singular fields.
void CopyValue(const Message& from, const FieldDescriptor* ff, int index, Message* to,
               const FieldDescriptor* tf) {
  const Reflection* fr = from.GetReflection();
  const Reflection* tr = to->GetReflection();
  const bool rep = index >= 0;
#define AWSGW_COPY_SCALAR(Type)                                                      \
  {                                                                                  \
    auto v = rep ? fr->GetRepeated##Type(from, ff, index) : fr->Get##Type(from, ff); \
    rep ? tr->Add##Type(to, tf, v) : tr->Set##Type(to, tf, v);                       \
    return;                                                                          \
  }
  if (ff->cpp_type() == tf->cpp_type()) {
    switch (ff->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        AWSGW_COPY_SCALAR(Int32)
      case FieldDescriptor::CPPTYPE_INT64:
        AWSGW_COPY_SCALAR(Int64)
      case FieldDescriptor::CPPTYPE_UINT32:
        AWSGW_COPY_SCALAR(UInt32)
      case FieldDescriptor::CPPTYPE_UINT64:
        AWSGW_COPY_SCALAR(UInt64)
      case FieldDescriptor::CPPTYPE_DOUBLE:
        AWSGW_COPY_SCALAR(Double)
      case FieldDescriptor::CPPTYPE_FLOAT:
        AWSGW_COPY_SCALAR(Float)
      case FieldDescriptor::CPPTYPE_BOOL:
        AWSGW_COPY_SCALAR(Bool)
      case FieldDescriptor::CPPTYPE_STRING:
        AWSGW_COPY_SCALAR(String)
      case FieldDescriptor::CPPTYPE_ENUM:
        if (ff->enum_type() == tf->enum_type()) AWSGW_COPY_SCALAR(EnumValue)
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Message& sub =
            rep ? fr->GetRepeatedMessage(from, ff, index) : fr->GetMessage(from, ff);
        Message* out = rep ? tr->AddMessage(to, tf) : tr->MutableMessage(to, tf);
        if (sub.GetDescriptor() == out->GetDescriptor()) {
          out->CopyFrom(sub);
        } else {
          CopyByName(sub, out);
        }
        return;
      }
    }
  }
#undef AWSGW_COPY_SCALAR
  // Enum <-> string (or enums of different types) by AWS value.
  std::optional<std::string> text;
  if (ff->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    text =
        EnumToAws(ff, rep ? fr->GetRepeatedEnumValue(from, ff, index) : fr->GetEnumValue(from, ff));
  } else if (ff->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    text = rep ? fr->GetRepeatedString(from, ff, index) : fr->GetString(from, ff);
  }
  if (!text.has_value()) return;
  if (tf->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    rep ? tr->AddString(to, tf, *text) : tr->SetString(to, tf, *text);
  } else if (std::optional<int> number = AwsToEnum(tf, *text)) {
    rep ? tr->AddEnumValue(to, tf, *number) : tr->SetEnumValue(to, tf, *number);
  }
}

}  // namespace

bool IsFieldSet(const Message& message, const FieldDescriptor* field) {
  const Reflection* r = message.GetReflection();
  if (field->is_repeated()) return r->FieldSize(message, field) > 0;
  return r->HasField(message, field);
}

void CopyByName(const Message& from, Message* to) {
  const auto* to_type = to->GetDescriptor();
  const auto* from_type = from.GetDescriptor();
  for (int i = 0; i < to_type->field_count(); ++i) {
    const FieldDescriptor* tf = to_type->field(i);
    const FieldDescriptor* ff = from_type->FindFieldByName(tf->name());
    if (ff == nullptr || !IsFieldSet(from, ff) || !Compatible(ff, tf)) continue;
    to->GetReflection()->ClearField(to, tf);
    if (ff->is_repeated()) {
      for (int k = 0; k < from.GetReflection()->FieldSize(from, ff); ++k) {
        CopyValue(from, ff, k, to, tf);
      }
    } else {
      CopyValue(from, ff, -1, to, tf);
    }
  }
}

std::optional<std::string> GetStringField(const Message& message, absl::string_view name) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(std::string(name));
  if (field == nullptr || field->is_repeated() || !IsFieldSet(message, field)) return std::nullopt;
  const Reflection* r = message.GetReflection();
  std::optional<std::string> out;
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    out = r->GetString(message, field);
  } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    out = EnumToAws(field, r->GetEnumValue(message, field));
  }
  if (out.has_value() && out->empty()) return std::nullopt;
  return out;
}

bool SetStringField(Message* message, absl::string_view name, absl::string_view value) {
  const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(std::string(name));
  if (field == nullptr || field->is_repeated()) return false;
  const Reflection* r = message->GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      r->SetString(message, field, std::string(value));
      return true;
    case FieldDescriptor::CPPTYPE_ENUM:
      if (std::optional<int> number = AwsToEnum(field, value)) {
        r->SetEnumValue(message, field, *number);
        return true;
      }
      return false;
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v = 0;
      if (!absl::SimpleAtoi(value, &v)) return false;
      r->SetInt32(message, field, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v = 0;
      if (!absl::SimpleAtoi(value, &v)) return false;
      r->SetInt64(message, field, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v = false;
      if (!absl::SimpleAtob(value, &v)) return false;
      r->SetBool(message, field, v);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace awsgw::emulator
