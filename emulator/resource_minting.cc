#include "emulator/resource_minting.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "awsgw/options.pb.h"
#include "emulator/message_copy.h"
#include "emulator/operation_classifier.h"
#include "emulator/resource_fields.h"
#include "google/protobuf/timestamp.pb.h"

namespace awsgw::emulator {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Status values a just-created resource plausibly has, in preference order
// (lifecycles that pass through PENDING/CREATING come later).
constexpr absl::string_view kLiveStatuses[] = {"ACTIVE",  "RUNNING",   "AVAILABLE", "READY",
                                               "CREATED", "SUCCEEDED", "DEPLOYED",  "COMPLETE",
                                               "ENABLED", "SUCCESS"};
constexpr absl::string_view kGoneStatuses[] = {"INACTIVE", "DELETED", "DELETING",
                                               "DELETE_IN_PROGRESS"};

bool TrySetStatus(Message* body, absl::Span<const absl::string_view> candidates) {
  const FieldDescriptor* f = body->GetDescriptor()->FindFieldByName("status");
  if (f == nullptr || f->is_repeated()) return false;
  for (absl::string_view value : candidates) {
    if (SetStringField(body, "status", value)) return true;
  }
  return false;
}

void SetTimestamp(Message* body, const FieldDescriptor* f, absl::Time now) {
  auto* ts = body->GetReflection()->MutableMessage(body, f);
  const absl::Duration since = now - absl::UnixEpoch();
  google::protobuf::Timestamp value;
  value.set_seconds(absl::ToInt64Seconds(since));
  value.set_nanos(0);
  ts->CopyFrom(value);
}

bool IsTimestamp(const FieldDescriptor* f) {
  return !f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         f->message_type()->full_name() == "google.protobuf.Timestamp";
}

// By prefix, so that "webhook_create_time" (another thing's time) is left alone.
bool NamesCreation(absl::string_view name) {
  return absl::StartsWith(name, "creat") || absl::StartsWith(name, "registered");
}

bool NamesUpdate(absl::string_view name) {
  return absl::StartsWith(name, "update") || absl::StartsWith(name, "last_modified") ||
         absl::StartsWith(name, "last_updated");
}

// Output members the model requires get a present, empty value, so clients
// that read them find one.
void FillRequired(Message* body) {
  const auto* type = body->GetDescriptor();
  const auto* r = body->GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->is_repeated() || IsFieldSet(*body, f) || f->real_containing_oneof() != nullptr) continue;
    if (!f->options().GetExtension(awsgw::member).required()) continue;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        if (f->type() == FieldDescriptor::TYPE_STRING) r->SetString(body, f, "");
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        if (f->enum_type()->value_count() > 1)
          r->SetEnumValue(body, f, f->enum_type()->value(1)->number());
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(body, f, false);
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(body, f, 0);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(body, f, 0);
        break;
      default:
        break;
    }
  }
}

}  // namespace

bool IsRevisionField(const FieldDescriptor* field) {
  return !field->is_repeated() &&
         (field->cpp_type() == FieldDescriptor::CPPTYPE_INT32 ||
          field->cpp_type() == FieldDescriptor::CPPTYPE_INT64) &&
         (field->name() == "revision" || absl::EndsWith(field->name(), "_revision") ||
          field->name() == "version_number" || field->name() == "deployment_number" ||
          field->name() == "run");
}

ResourceMinter::ResourceMinter(std::string region, std::string account,
                               std::function<uint64_t()> random)
    : region_(std::move(region)), account_(std::move(account)), random_(std::move(random)) {}

std::string ResourceMinter::RandomChars(absl::string_view alphabet, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out.push_back(alphabet[random_() % alphabet.size()]);
  return out;
}

std::string ResourceMinter::RandomId(IdStyle style) {
  constexpr absl::string_view kHex = "0123456789abcdef";
  constexpr absl::string_view kAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
  switch (style) {
    case IdStyle::kHex32:
    case IdStyle::kArn:
      return RandomChars(kHex, 32);
    case IdStyle::kAmplifyApp:
      return absl::StrCat("d", RandomChars(kAlnum, 13));
    case IdStyle::kShortAlnum7:
      return RandomChars(kAlnum, 7);
  }
  return RandomChars(kHex, 32);
}

std::string ResourceMinter::Uuid() {
  const uint64_t hi = random_();
  const uint64_t lo = random_();
  return absl::StrFormat("%08x-%04x-4%03x-%04x-%012x", hi >> 32, (hi >> 16) & 0xffff, hi & 0xfff,
                         0x8000 | ((lo >> 48) & 0x3fff), lo & 0xffffffffffffULL);
}

namespace {

// The ARN partition of a region ("aws-cn" for cn-north-1).
absl::string_view PartitionOf(absl::string_view region) {
  if (absl::StartsWith(region, "cn-")) return "aws-cn";
  if (absl::StartsWith(region, "us-gov-")) return "aws-us-gov";
  if (absl::StartsWith(region, "us-iso-")) return "aws-iso";
  if (absl::StartsWith(region, "us-isob-")) return "aws-iso-b";
  return "aws";
}

}  // namespace

std::string ResourceMinter::Expand(absl::string_view pattern, absl::string_view service,
                                   absl::string_view kind, const Identity& identity,
                                   absl::string_view parent) {
  return absl::StrReplaceAll(pattern,
                             {{"{partition}", PartitionOf(region_)},
                              {"{region}", region_},
                              {"{account}", account_},
                              {"{service}", service},
                              {"{id}", identity.id},
                              {"{name}", identity.name},
                              {"{parent}", parent},
                              {"{revision}", absl::StrCat(identity.revision)},
                              {"{kind}", KebabCase(kind)},
                              {"{kindflat}", FlatCase(kind)},
                              {"{random}", RandomChars("abcdefghijkmnpqrstuvwxyz23456789", 10)}});
}

Identity ResourceMinter::Mint(const ServiceFacts& facts, absl::string_view service,
                              absl::string_view kind, absl::string_view name,
                              absl::string_view parent, int revision) {
  Identity identity;
  identity.revision = revision;
  identity.id = RandomId(facts.id_style);
  identity.name = name.empty() ? identity.id : std::string(name);
  // The ARN names the parent by its last path segment (a cluster ARN's name).
  absl::string_view parent_segment = parent;
  if (const size_t slash = parent_segment.rfind('/'); slash != absl::string_view::npos) {
    parent_segment.remove_prefix(slash + 1);
  }
  std::string pattern = facts.default_arn;
  for (const KindTemplate& t : facts.arns) {
    if (t.kind == kind) pattern = t.arn;
  }
  identity.arn = Expand(pattern, service, kind, identity, parent_segment);
  if (facts.id_style == IdStyle::kArn) identity.id = identity.arn;
  return identity;
}

void ResourceMinter::StampCreated(const ServiceFacts& facts, absl::string_view kind,
                                  const Identity& identity, absl::Time now, Message* body) {
  const std::string k = SnakeCase(kind);
  for (const std::string& name : {absl::StrCat(k, "_arn"), std::string("arn")}) {
    SetStringField(body, name, identity.arn);
  }
  for (const std::string& name : {absl::StrCat(k, "_id"), std::string("id")}) {
    SetStringField(body, name, identity.id);
  }
  for (const std::string& name : {absl::StrCat(k, "_name"), std::string("name")}) {
    if (!GetStringField(*body, name).has_value()) SetStringField(body, name, identity.name);
  }
  if (!GetStringField(*body, "status").has_value()) TrySetStatus(body, kLiveStatuses);
  const auto* type = body->GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (IsRevisionField(f)) {
      f->cpp_type() == FieldDescriptor::CPPTYPE_INT32
          ? body->GetReflection()->SetInt32(body, f, identity.revision)
          : body->GetReflection()->SetInt64(body, f, identity.revision);
    } else if (IsTimestamp(f) && (NamesCreation(f->name()) || NamesUpdate(f->name()))) {
      SetTimestamp(body, f, now);
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !f->is_repeated() &&
               absl::EndsWith(f->name(), "creation_time")) {
      // Modeled as a string (Serverless Application Repository): ISO 8601.
      body->GetReflection()->SetString(
          body, f, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", now, absl::UTCTimeZone()));
    }
  }
  for (const ExtraMember& extra : facts.extra_members) {
    if (extra.kind.empty() || extra.kind == kind) {
      SetStringField(body, extra.field, Expand(extra.value, facts.model_name, kind, identity, ""));
    }
  }
  FillRequired(body);
}

void StampUpdated(absl::Time now, Message* body) {
  const auto* type = body->GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    if (IsTimestamp(type->field(i)) && NamesUpdate(type->field(i)->name())) {
      SetTimestamp(body, type->field(i), now);
    }
  }
}

void StampDeleted(Message* body) { TrySetStatus(body, kGoneStatuses); }

}  // namespace awsgw::emulator
