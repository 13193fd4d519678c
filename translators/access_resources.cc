#include "translators/access_resources.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "http/uri_encoding.h"
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

namespace {

// The parts of "arn:partition:service:region:account:resource".
struct ArnParts {
  absl::string_view partition, service, region, account, resource;
};

std::optional<ArnParts> SplitArn(absl::string_view arn) {
  std::vector<absl::string_view> parts = absl::StrSplit(arn, absl::MaxSplits(':', 5));
  if (parts.size() != 6 || parts[0] != "arn") return std::nullopt;
  return ArnParts{parts[1], parts[2], parts[3], parts[4], parts[5]};
}

}  // namespace

absl::Status AccessResources::CheckArn(const google::protobuf::FieldDescriptor* field,
                                       absl::string_view value, const Scope& scope) const {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(field->name(), ": ", why));
  };
  std::optional<ArnParts> arn = SplitArn(value);
  if (!arn.has_value()) return bad("not a well-formed ARN");
  // The decision is about what the ARN says, so it must say this call.
  if (arn->partition != PartitionOf(scope.region) || arn->service != service_) {
    return bad(absl::StrCat("the ARN names ", arn->partition, ":", arn->service, ", not ",
                            PartitionOf(scope.region), ":", service_));
  }
  if (!arn->region.empty() && arn->region != scope.region) {
    return bad(absl::StrCat("the ARN is in region ", arn->region, ", the call in ", scope.region));
  }
  if (!scope.account.empty() && !arn->account.empty() && arn->account != scope.account) {
    return bad(absl::StrCat("the ARN is in account ", arn->account, ", not ", scope.account));
  }
  if (http::HasDotSegment(arn->resource)) {
    return bad("an ARN may not hold a \".\" or \"..\" path segment");
  }
  return absl::OkStatus();
}

absl::StatusOr<AccessResources::Expansion> AccessResources::Expand(const Template& tmpl,
                                                                   const Message& request,
                                                                   const Scope& scope) const {
  Expansion out;
  // The value of each member part; the one list member's values apart.
  std::vector<std::string> filled(tmpl.parts.size());
  std::vector<std::string> list_values;
  int list_part = -1;
  int last_member = -1;
  for (size_t i = 0; i < tmpl.parts.size(); ++i) {
    const Part& part = tmpl.parts[i];
    if (part.field == nullptr) continue;
    last_member = static_cast<int>(i);
    out.members.push_back(part.field);
    std::vector<std::string> values = ValuesOf(request, part.field);
    if (values.size() > kMaxResourcesPerCall) {
      return absl::InvalidArgumentError(
          absl::StrCat(part.field->name(), ": at most ", kMaxResourcesPerCall,
                       " values can be authorized in one call, got ", values.size()));
    }
    for (const std::string& value : values) {
      if (IsArn(value)) {
        AWSGW_RETURN_IF_ERROR(CheckArn(part.field, value, scope));
      } else if (http::HasDotSegment(value)) {
        return absl::InvalidArgumentError(absl::StrCat(
            part.field->name(), ": an identifier may not be a \".\" or \"..\" path segment"));
      }
    }
    // An empty member (a list too) means its default (ECS: the "default"
    // cluster), or makes the template unusable.
    if (values.empty()) {
      if (part.fallback.empty()) return Expansion{};
      values.push_back(part.fallback);
    }
    if (part.field->is_repeated()) {
      list_part = static_cast<int>(i);
      list_values = std::move(values);
    } else {
      filled[i] = std::move(values.front());
    }
  }

  const std::string prefix = absl::StrCat("arn:", PartitionOf(scope.region), ":", service_, ":",
                                          scope.region, ":", scope.account, ":");
  auto build = [&](absl::string_view list_value) -> absl::StatusOr<std::string> {
    std::string path;
    for (size_t i = 0; i < tmpl.parts.size(); ++i) {
      const Part& part = tmpl.parts[i];
      absl::StrAppend(&path, part.literal);
      if (part.field == nullptr) continue;
      const absl::string_view value =
          static_cast<int>(i) == list_part ? list_value : absl::string_view(filled[i]);
      if (static_cast<int>(i) == last_member && IsArn(value)) {
        // The caller's ARN is the resource, provided it is the one the other
        // members name (task/<cluster>/... for the cluster given).
        const absl::string_view resource = SplitArn(value)->resource;
        if (!absl::StartsWith(resource, path)) {
          return absl::InvalidArgumentError(absl::StrCat(part.field->name(), ": the ARN names ",
                                                         resource, ", not a resource under ", path,
                                                         " as the request's other members say"));
        }
        return std::string(value);
      }
      absl::StrAppend(&path, NameOf(value));
    }
    return absl::StrCat(prefix, path);
  };
  if (list_part < 0) list_values = {""};
  out.arns.reserve(list_values.size());
  for (const std::string& value : list_values) {
    absl::StatusOr<std::string> arn = build(value);
    if (!arn.ok()) return arn.status();
    out.arns.push_back(*std::move(arn));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> AccessResources::Resolve(const Message& request,
                                                                  absl::string_view region,
                                                                  absl::string_view account) const {
  const Scope scope{region, account};
  std::vector<std::string> arns;
  // Every usable template counts (RunTask: the task definition and the
  // cluster), except one whose members a template already taken covers
  // (DescribeServices: the services, not also their cluster).
  std::vector<std::vector<const google::protobuf::FieldDescriptor*>> taken;
  for (const Template& tmpl : templates_) {
    absl::StatusOr<Expansion> expansion = Expand(tmpl, request, scope);
    if (!expansion.ok()) return expansion.status();
    if (expansion->arns.empty()) continue;
    const bool covered = std::any_of(taken.begin(), taken.end(), [&](const auto& members) {
      return std::all_of(expansion->members.begin(), expansion->members.end(),
                         [&](const auto* field) {
                           return std::find(members.begin(), members.end(), field) != members.end();
                         });
    });
    if (covered) continue;
    taken.push_back(expansion->members);
    for (std::string& arn : expansion->arns) arns.push_back(std::move(arn));
  }
  if (arns.empty()) arns.push_back("*");
  return arns;
}

std::vector<std::string> AccessResources::ConditionValues(const Message& request,
                                                          absl::string_view member) const {
  std::vector<std::string> values = MemberValues(request, member);
  if (values.empty()) {
    // As AWS fills it in: ECS's cluster is "default" when left out.
    const FieldBinding* binding = FindMember(BindingFor(request.GetDescriptor()), member);
    if (binding == nullptr) return values;
    for (const Template& tmpl : templates_) {
      for (const Part& part : tmpl.parts) {
        if (part.field == binding->field && !part.fallback.empty()) return {part.fallback};
      }
    }
    return values;
  }
  // A resource given by ARN is compared by its name, as one given by name.
  for (std::string& value : values) value = std::string(NameOf(value));
  return values;
}

std::vector<std::string> MemberValues(const Message& request, absl::string_view member) {
  const FieldBinding* field = FindMember(BindingFor(request.GetDescriptor()), member);
  if (field == nullptr || !CanNameResource(field->field)) return {};
  return ValuesOf(request, field->field);
}

}  // namespace awsgw::translators
