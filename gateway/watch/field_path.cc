#include "gateway/watch/field_path.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "awsgw/options.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace awsgw::gateway::watch {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The sibling that holds AWS strings this build cannot represent as `field`.
const FieldDescriptor* RawSibling(const FieldDescriptor* field) {
  const Descriptor* parent = field->containing_type();
  for (int i = 0; i < parent->field_count(); ++i) {
    const FieldDescriptor* candidate = parent->field(i);
    if (candidate->options().GetExtension(awsgw::member).raw_of() == field->name()) {
      return candidate;
    }
  }
  return nullptr;
}

}  // namespace

std::string AwsEnumString(const google::protobuf::EnumValueDescriptor* value) {
  const std::string& aws = value->options().GetExtension(awsgw::aws_value);
  return aws.empty() ? value->name() : aws;
}

uint64_t StableDigest(absl::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string DeterministicBytes(const Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

uint64_t StableDigest(const Message& message) { return StableDigest(DeterministicBytes(message)); }

absl::StatusOr<FieldPath> FieldPath::Resolve(const Descriptor* type, absl::string_view path) {
  FieldPath result;
  result.text_ = std::string(path);
  result.type_ = type;
  if (path.empty()) return result;
  const Descriptor* current = type;
  for (absl::string_view segment : absl::StrSplit(path, '.')) {
    if (current == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("field path \"", path, "\": \"", segment, "\" follows a non-message field"));
    }
    if (!result.fields_.empty() && result.fields_.back()->is_repeated()) {
      return absl::InvalidArgumentError(
          absl::StrCat("field path \"", path, "\": \"", segment, "\" follows a repeated field"));
    }
    const FieldDescriptor* field = current->FindFieldByName(std::string(segment));
    if (field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "field path \"", path, "\": ", current->full_name(), " has no field \"", segment, "\""));
    }
    result.fields_.push_back(field);
    current = field->message_type();
  }
  result.type_ = current;
  return result;
}

const Message* FieldPath::Parent(const Message& root) const {
  const Message* message = &root;
  for (size_t i = 0; i + 1 < fields_.size(); ++i) {
    const Reflection* reflection = message->GetReflection();
    if (!reflection->HasField(*message, fields_[i])) return nullptr;
    message = &reflection->GetMessage(*message, fields_[i]);
  }
  return message;
}

Message* FieldPath::MutableParent(Message* root) const {
  Message* message = root;
  for (size_t i = 0; i + 1 < fields_.size(); ++i) {
    message = message->GetReflection()->MutableMessage(message, fields_[i]);
  }
  return message;
}

const Message* FieldPath::MessageAt(const Message& root) const {
  if (fields_.empty()) return &root;
  const Message* parent = Parent(root);
  if (parent == nullptr) return nullptr;
  const FieldDescriptor* field = fields_.back();
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
    return nullptr;
  }
  const Reflection* reflection = parent->GetReflection();
  if (!reflection->HasField(*parent, field)) return nullptr;
  return &reflection->GetMessage(*parent, field);
}

std::optional<std::string> FieldPath::Text(const Message& root) const {
  if (fields_.empty()) return std::nullopt;
  const Message* parent = Parent(root);
  if (parent == nullptr) return std::nullopt;
  const FieldDescriptor* field = fields_.back();
  if (field->is_repeated()) return std::nullopt;
  const Reflection* r = parent->GetReflection();
  if (field->has_presence() && !r->HasField(*parent, field)) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      // An unknown AWS value leaves the enum unset and fills the raw sibling.
      if (const FieldDescriptor* raw = RawSibling(field);
          raw != nullptr && !raw->is_repeated() && r->HasField(*parent, raw)) {
        return r->GetString(*parent, raw);
      }
    }
    return std::nullopt;
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(*parent, field);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(*parent, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(r->GetInt64(*parent, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(r->GetUInt32(*parent, field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(r->GetUInt64(*parent, field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(r->GetDouble(*parent, field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(r->GetFloat(*parent, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(*parent, field) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return AwsEnumString(r->GetEnum(*parent, field));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return std::nullopt;
  }
  return std::nullopt;
}

int FieldPath::Count(const Message& root) const {
  if (fields_.empty() || !fields_.back()->is_repeated()) return 0;
  const Message* parent = Parent(root);
  if (parent == nullptr) return 0;
  return parent->GetReflection()->FieldSize(*parent, fields_.back());
}

std::vector<const Message*> FieldPath::Elements(const Message& root) const {
  std::vector<const Message*> out;
  if (fields_.empty() || !fields_.back()->is_repeated() ||
      fields_.back()->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    return out;
  }
  const Message* parent = Parent(root);
  if (parent == nullptr) return out;
  const Reflection* r = parent->GetReflection();
  const int n = r->FieldSize(*parent, fields_.back());
  out.reserve(n);
  for (int i = 0; i < n; ++i) out.push_back(&r->GetRepeatedMessage(*parent, fields_.back(), i));
  return out;
}

std::optional<int64_t> FieldPath::TimestampNanos(const Message& root) const {
  const Message* ts = MessageAt(root);
  if (ts == nullptr || ts->GetDescriptor()->full_name() != "google.protobuf.Timestamp") {
    return std::nullopt;
  }
  const Descriptor* d = ts->GetDescriptor();
  const Reflection* r = ts->GetReflection();
  return r->GetInt64(*ts, d->FindFieldByName("seconds")) * 1000000000 +
         r->GetInt32(*ts, d->FindFieldByName("nanos"));
}

void FieldPath::Clear(Message* root) const {
  if (fields_.empty()) return;
  if (Parent(*root) == nullptr) return;
  Message* parent = MutableParent(root);
  parent->GetReflection()->ClearField(parent, fields_.back());
}

absl::Status FieldPath::CopyFrom(const Message& from_root, const FieldPath& from,
                                 Message* root) const {
  const FieldDescriptor* src = from.leaf();
  const FieldDescriptor* dst = leaf();
  if (src == nullptr || dst == nullptr || src->is_repeated() ||
      src->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot copy \"", from.text(), "\" to \"", text_, "\""));
  }
  if (dst->is_repeated()) {
    std::optional<std::string> value = from.Text(from_root);
    if (!value.has_value()) return absl::OkStatus();
    return AppendString(root, *value);
  }
  if (src->cpp_type() != dst->cpp_type()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot copy \"", from.text(), "\" to \"", text_, "\": the types differ"));
  }
  const Message* from_parent = from.Parent(from_root);
  if (from_parent == nullptr) return absl::OkStatus();
  const Reflection* fr = from_parent->GetReflection();
  if (src->has_presence() && !fr->HasField(*from_parent, src)) return absl::OkStatus();
  Message* parent = MutableParent(root);
  const Reflection* r = parent->GetReflection();
  switch (dst->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      r->SetString(parent, dst, fr->GetString(*from_parent, src));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(parent, dst, fr->GetInt32(*from_parent, src));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      r->SetInt64(parent, dst, fr->GetInt64(*from_parent, src));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      r->SetUInt32(parent, dst, fr->GetUInt32(*from_parent, src));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r->SetUInt64(parent, dst, fr->GetUInt64(*from_parent, src));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      r->SetBool(parent, dst, fr->GetBool(*from_parent, src));
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("cannot copy \"", from.text(), "\": unsupported type"));
  }
  return absl::OkStatus();
}

absl::Status FieldPath::AppendString(Message* root, const std::string& value) const {
  const FieldDescriptor* dst = leaf();
  if (dst == nullptr || !dst->is_repeated() || dst->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text_, "\" is not a repeated string field"));
  }
  Message* parent = MutableParent(root);
  parent->GetReflection()->AddString(parent, dst, value);
  return absl::OkStatus();
}

}  // namespace awsgw::gateway::watch
