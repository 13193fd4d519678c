#include "translators/access_resources.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "translators/message_binding.h"

namespace awsgw::translators {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const FieldBinding* FindMember(const MessageBinding& binding, absl::string_view member) {
  for (const FieldBinding& field : binding.fields) {
    if (field.member_name == member) return &field;
  }
  return nullptr;
}

bool CanNameResource(const FieldDescriptor* field) {
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return field->type() != FieldDescriptor::TYPE_BYTES;
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_ENUM:
      return !field->is_map();
    default:
      return false;
  }
}

// The text of element `index` (-1: the singular field) as the wire has it.
std::string ValueText(const Message& request, const FieldDescriptor* field, int index) {
  const Reflection* reflection = request.GetReflection();
  const bool repeated = index >= 0;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? reflection->GetRepeatedString(request, field, index)
                      : reflection->GetString(request, field);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(repeated ? reflection->GetRepeatedInt32(request, field, index)
                                   : reflection->GetInt32(request, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(repeated ? reflection->GetRepeatedInt64(request, field, index)
                                   : reflection->GetInt64(request, field));
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = repeated ? reflection->GetRepeatedEnumValue(request, field, index)
                                  : reflection->GetEnumValue(request, field);
      const std::string* aws = EnumStrings::For(field->enum_type()).ToAws(number);
      return aws != nullptr ? *aws : std::string();
    }
    default:
      return std::string();
  }
}

// Every value of `field`: one per element, or the singular value when set.
std::vector<std::string> ValuesOf(const Message& request, const FieldDescriptor* field) {
  std::vector<std::string> values;
  const Reflection* reflection = request.GetReflection();
  if (field->is_repeated()) {
    const int size = reflection->FieldSize(request, field);
    values.reserve(size);
    for (int i = 0; i < size; ++i) values.push_back(ValueText(request, field, i));
    return values;
  }
  if (field->has_presence() && !reflection->HasField(request, field)) return values;
  std::string value = ValueText(request, field, -1);
  if (!value.empty()) values.push_back(std::move(value));
  return values;
}

bool IsArn(absl::string_view value) { return absl::StartsWith(value, "arn:"); }

bool HasDotSegment(absl::string_view value) {
  for (absl::string_view segment : absl::StrSplit(value, '/')) {
    if (segment == "." || segment == "..") return true;
  }
  return false;
}

// An earlier member's ARN stands for the name at its end.
absl::string_view NameOf(absl::string_view value) {
  if (!IsArn(value)) return value;
  const size_t slash = value.rfind('/');
  return slash == absl::string_view::npos ? value : value.substr(slash + 1);
}

}  // namespace

absl::string_view PartitionOf(absl::string_view region) {
  if (absl::StartsWith(region, "cn-")) return "aws-cn";
  if (absl::StartsWith(region, "us-gov-")) return "aws-us-gov";
  return "aws";
}

absl::StatusOr<AccessResources> AccessResources::Compile(const MethodEntry& method) {
  AccessResources out;
  const ServiceInfo& service = method.method->service()->options().GetExtension(awsgw::service);
  out.service_ = service.signing_name();
  out.action_ = absl::StrCat(service.signing_name(), ":", method.operation->name());
  const MessageBinding& binding = BindingFor(method.method->input_type());
  for (const std::string& text : method.operation->resources()) {
    auto bad = [&](absl::string_view why) {
      return absl::FailedPreconditionError(
          absl::StrCat(method.path, ": resource template \"", text, "\": ", why));
    };
    Template tmpl;
    int lists = 0;
    absl::string_view rest = text;
    while (!rest.empty()) {
      const size_t open = rest.find('{');
      Part part;
      part.literal = std::string(rest.substr(0, open));
      if (open == absl::string_view::npos) {
        tmpl.parts.push_back(std::move(part));
        break;
      }
      const size_t close = rest.find('}', open);
      if (close == absl::string_view::npos) return bad("unclosed {");
      std::pair<absl::string_view, absl::string_view> label =
          absl::StrSplit(rest.substr(open + 1, close - open - 1), absl::MaxSplits('=', 1));
      const FieldBinding* member = FindMember(binding, label.first);
      if (member == nullptr) return bad(absl::StrCat("the request has no member ", label.first));
      if (!CanNameResource(member->field)) {
        return bad(absl::StrCat(label.first, " cannot name a resource"));
      }
      if (member->field->is_repeated() && ++lists > 1) return bad("more than one list member");
      part.field = member->field;
      part.fallback = std::string(label.second);
      tmpl.parts.push_back(std::move(part));
      rest.remove_prefix(close + 1);
    }
    out.templates_.push_back(std::move(tmpl));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> AccessResources::Expand(const Template& tmpl,
                                                                 const Message& request,
                                                                 absl::string_view prefix) const {
  // Fill the singular members first; remember the list member's position.
  std::vector<std::string> filled(tmpl.parts.size());
  std::vector<std::string> list_values;
  int list_part = -1;
  int last_member = -1;
  for (size_t i = 0; i < tmpl.parts.size(); ++i) {
    const Part& part = tmpl.parts[i];
    if (part.field == nullptr) continue;
    last_member = static_cast<int>(i);
    std::vector<std::string> values = ValuesOf(request, part.field);
    for (const std::string& value : values) {
      if (!IsArn(value) && HasDotSegment(value)) {
        return absl::InvalidArgumentError(
            absl::StrCat(part.field->name(),
                         ": an identifier may not be a \".\" or \"..\" path "
                         "segment"));
      }
    }
    if (part.field->is_repeated()) {
      if (values.empty()) return std::vector<std::string>();
      list_part = static_cast<int>(i);
      list_values = std::move(values);
      continue;
    }
    if (values.empty()) {
      if (part.fallback.empty()) return std::vector<std::string>();
      values.push_back(part.fallback);
    }
    filled[i] = std::move(values.front());
  }

  auto build = [&](absl::string_view list_value) {
    std::string arn(prefix);
    for (size_t i = 0; i < tmpl.parts.size(); ++i) {
      const Part& part = tmpl.parts[i];
      absl::StrAppend(&arn, part.literal);
      if (part.field == nullptr) continue;
      const absl::string_view value =
          static_cast<int>(i) == list_part ? list_value : absl::string_view(filled[i]);
      if (static_cast<int>(i) == last_member && IsArn(value)) return std::string(value);
      absl::StrAppend(&arn, NameOf(value));
    }
    return arn;
  };
  std::vector<std::string> arns;
  if (list_part < 0) {
    arns.push_back(build(""));
  } else {
    arns.reserve(list_values.size());
    for (const std::string& value : list_values) arns.push_back(build(value));
  }
  return arns;
}

absl::StatusOr<std::vector<std::string>> AccessResources::Resolve(const Message& request,
                                                                  absl::string_view region,
                                                                  absl::string_view account) const {
  const std::string prefix =
      absl::StrCat("arn:", PartitionOf(region), ":", service_, ":", region, ":", account, ":");
  for (const Template& tmpl : templates_) {
    absl::StatusOr<std::vector<std::string>> arns = Expand(tmpl, request, prefix);
    if (!arns.ok() || !arns->empty()) return arns;
  }
  return std::vector<std::string>{"*"};
}

std::vector<std::string> MemberValues(const Message& request, absl::string_view member) {
  const FieldBinding* field = FindMember(BindingFor(request.GetDescriptor()), member);
  if (field == nullptr || !CanNameResource(field->field)) return {};
  return ValuesOf(request, field->field);
}

}  // namespace awsgw::translators
