#include "emulator/resource_fields.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "emulator/message_copy.h"
#include "emulator/operation_classifier.h"

namespace awsgw::emulator {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr absl::string_view kIdentifierSuffixes[] = {"", "_arn", "_id", "_name", "_identifier"};

const FieldDescriptor* FindField(const Descriptor* type, absl::string_view name) {
  return type->FindFieldByName(std::string(name));
}

// A {key, value} tag message's field, whatever its case on the wire.
const FieldDescriptor* TagPart(const Descriptor* tag, absl::string_view name) {
  const FieldDescriptor* f = FindField(tag, name);
  return f != nullptr && f->cpp_type() == FieldDescriptor::CPPTYPE_STRING ? f : nullptr;
}

}  // namespace

std::vector<std::string> IdentifierNames(absl::string_view kind) {
  const std::string k = SnakeCase(kind);
  std::vector<std::string> out;
  for (absl::string_view suffix : kIdentifierSuffixes) out.push_back(absl::StrCat(k, suffix));
  return out;
}

std::vector<std::string> OwnIdentifierNames(absl::string_view kind, const ServiceFacts& facts) {
  std::vector<std::string> out = IdentifierNames(kind);
  for (const std::string& alias : facts.name_aliases) out.push_back(alias);
  return out;
}

std::vector<std::string> OwnListNames(absl::string_view kind) {
  const std::string k = SnakeCase(kind);
  std::vector<std::string> out = {absl::StrCat(k, "s"), absl::StrCat(k, "_arns"),
                                  absl::StrCat(k, "_ids"), absl::StrCat(k, "_names"),
                                  absl::StrCat(k, "_identifiers")};
  if (absl::EndsWith(k, "y")) out.push_back(absl::StrCat(k.substr(0, k.size() - 1), "ies"));
  return out;
}

std::map<std::string, std::string> StringValues(const Message& message,
                                                const std::vector<std::string>& names) {
  std::map<std::string, std::string> out;
  for (const std::string& name : names) {
    if (std::optional<std::string> value = GetStringField(message, name)) out[name] = *value;
  }
  return out;
}

std::vector<std::string> ListValues(const Message& message, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const FieldDescriptor* f = FindField(message.GetDescriptor(), name);
    if (f == nullptr || !f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    const auto* r = message.GetReflection();
    if (r->FieldSize(message, f) == 0) continue;
    std::vector<std::string> out;
    for (int i = 0; i < r->FieldSize(message, f); ++i)
      out.push_back(r->GetRepeatedString(message, f, i));
    return out;
  }
  return {};
}

Message* ResourcePart(Message* message, absl::string_view kind) {
  const Descriptor* type = message->GetDescriptor();
  const std::string k = SnakeCase(kind);
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->name() == k || f->message_type()->name() == kind) {
      return message->GetReflection()->MutableMessage(message, f);
    }
  }
  return message;
}

const FieldDescriptor* ItemsField(const Descriptor* response, absl::string_view kind) {
  const FieldDescriptor* first = nullptr;
  const std::vector<std::string> preferred = OwnListNames(kind);
  for (int i = 0; i < response->field_count(); ++i) {
    const FieldDescriptor* f = response->field(i);
    if (!f->is_repeated() || f->is_map() || f->name() == "failures") continue;
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE &&
        f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    for (const std::string& name : preferred) {
      if (f->name() == name) return f;
    }
    if (first == nullptr) first = f;
  }
  return first;
}

const FieldDescriptor* PageSizeField(const Descriptor* request) {
  for (absl::string_view name : {"max_results", "max_items", "max_records", "limit"}) {
    const FieldDescriptor* f = FindField(request, name);
    if (f != nullptr && !f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
      return f;
    }
  }
  return nullptr;
}

std::map<std::string, std::string> ReadTags(const Message& message) {
  std::map<std::string, std::string> out;
  const FieldDescriptor* f = FindField(message.GetDescriptor(), "tags");
  if (f == nullptr || !f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    return out;
  }
  const Descriptor* entry = f->message_type();
  const FieldDescriptor* key = TagPart(entry, "key");
  const FieldDescriptor* value = TagPart(entry, "value");
  if (key == nullptr) return out;
  const auto* r = message.GetReflection();
  for (int i = 0; i < r->FieldSize(message, f); ++i) {
    const Message& tag = r->GetRepeatedMessage(message, f, i);
    out[tag.GetReflection()->GetString(tag, key)] =
        value == nullptr ? "" : tag.GetReflection()->GetString(tag, value);
  }
  return out;
}

void WriteTags(const std::map<std::string, std::string>& tags, Message* message) {
  const FieldDescriptor* f = FindField(message->GetDescriptor(), "tags");
  if (f == nullptr || !f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    return;
  }
  const FieldDescriptor* key = TagPart(f->message_type(), "key");
  const FieldDescriptor* value = TagPart(f->message_type(), "value");
  if (key == nullptr) return;
  const auto* r = message->GetReflection();
  r->ClearField(message, f);
  for (const auto& [k, v] : tags) {
    Message* tag = r->AddMessage(message, f);
    tag->GetReflection()->SetString(tag, key, k);
    if (value != nullptr) tag->GetReflection()->SetString(tag, value, v);
  }
}

std::string TaggedArn(const Message& request) {
  if (std::optional<std::string> arn = GetStringField(request, "resource_arn")) return *arn;
  const Descriptor* type = request.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    if (absl::EndsWith(type->field(i)->name(), "arn")) {
      if (std::optional<std::string> arn = GetStringField(request, type->field(i)->name())) {
        return *arn;
      }
    }
  }
  return "";
}

}  // namespace awsgw::emulator
