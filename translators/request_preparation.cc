#include "translators/request_preparation.h"

#include <optional>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "translators/message_binding.h"

namespace awsgw::translators {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Status CheckRequired(const Message& m, const std::string& prefix) {
  const auto* r = m.GetReflection();
  const MessageBinding& binding = BindingFor(m.GetDescriptor());
  for (const FieldBinding& fb : binding.fields) {
    const FieldDescriptor* f = fb.field;
    const std::string path = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    auto set = [&](const FieldDescriptor* field) {
      return field != nullptr &&
             (field->is_repeated() ? r->FieldSize(m, field) > 0 : r->HasField(m, field));
    };
    if (fb.member->required() && !set(f) && !set(fb.raw)) {
      return absl::InvalidArgumentError(absl::StrCat(path, " is required"));
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_map()) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (absl::Status s =
                CheckRequired(r->GetRepeatedMessage(m, f, i), absl::StrCat(path, "[", i, "]"));
            !s.ok()) {
          return s;
        }
      }
    } else if (r->HasField(m, f)) {
      if (absl::Status s = CheckRequired(r->GetMessage(m, f), path); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

// Unicode code points in UTF-8 `text`: every byte that does not continue a
// sequence starts one (invalid UTF-8 never reaches here: proto3 strings are
// checked when parsed).
int64_t CodePoints(absl::string_view text) {
  int64_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

std::string Bound(double value) { return absl::StrFormat("%.15g", value); }

// The size the model's length bounds apply to, or nullopt for a number.
std::optional<int64_t> LengthOf(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  if (f->is_repeated()) return r->FieldSize(m, f);  // lists and maps
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& value = r->GetStringReference(m, f, &scratch);
      return f->type() == FieldDescriptor::TYPE_BYTES ? static_cast<int64_t>(value.size())
                                                      : CodePoints(value);
    }
    default:
      return std::nullopt;
  }
}

std::optional<double> NumberOf(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(m, f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return r->GetFloat(m, f);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return r->GetDouble(m, f);
    default:
      return std::nullopt;
  }
}

absl::Status CheckBounds(const Message& m, const FieldBinding& fb, const std::string& path) {
  const MemberInfo& member = *fb.member;
  if (!member.has_min() && !member.has_max()) return absl::OkStatus();
  const FieldDescriptor* f = fb.field;
  if (std::optional<int64_t> length = LengthOf(m, f)) {
    const char* unit = f->is_map()                                ? "entries"
                       : f->is_repeated()                         ? "elements"
                       : f->type() == FieldDescriptor::TYPE_BYTES ? "bytes"
                                                                  : "characters";
    if (member.has_max() && static_cast<double>(*length) > member.max()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": at most ", Bound(member.max()), " ",
                                                     unit, " allowed, got ", *length));
    }
    if (member.has_min() && static_cast<double>(*length) < member.min()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": at least ", Bound(member.min()), " ",
                                                     unit, " required, got ", *length));
    }
    return absl::OkStatus();
  }
  if (f->is_repeated()) return absl::OkStatus();
  if (std::optional<double> number = NumberOf(m, f)) {
    if ((member.has_min() && *number < member.min()) ||
        (member.has_max() && *number > member.max())) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": must be between ", member.has_min() ? Bound(member.min()) : "-inf", " and ",
          member.has_max() ? Bound(member.max()) : "inf", ", got ", Bound(*number)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckConstraints(const Message& m, const std::string& prefix) {
  const auto* r = m.GetReflection();
  for (const FieldBinding& fb : BindingFor(m.GetDescriptor()).fields) {
    const FieldDescriptor* f = fb.field;
    const bool set = f->is_repeated() ? r->FieldSize(m, f) > 0 : r->HasField(m, f);
    if (!set) continue;
    const std::string path = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (absl::Status s = CheckBounds(m, fb, path); !s.ok()) return s;
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_map()) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (absl::Status s =
                CheckConstraints(r->GetRepeatedMessage(m, f, i), absl::StrCat(path, "[", i, "]"));
            !s.ok()) {
          return s;
        }
      }
    } else if (absl::Status s = CheckConstraints(r->GetMessage(m, f), path); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRequired(const Message& request) { return CheckRequired(request, ""); }

absl::Status ValidateConstraints(const Message& request) { return CheckConstraints(request, ""); }

int FillIdempotencyTokens(Message* request, const std::function<std::string()>& uuid) {
  const auto* r = request->GetReflection();
  int filled = 0;
  for (const FieldBinding& fb : BindingFor(request->GetDescriptor()).fields) {
    if (!fb.member->idempotency_token() || fb.field->is_repeated() ||
        fb.field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    if (!r->HasField(*request, fb.field) || r->GetString(*request, fb.field).empty()) {
      r->SetString(request, fb.field, uuid());
      ++filled;
    }
  }
  return filled;
}

bool HasIdempotencyToken(const google::protobuf::Descriptor* request_type) {
  for (const FieldBinding& fb : BindingFor(request_type).fields) {
    if (fb.member->idempotency_token()) return true;
  }
  return false;
}

}  // namespace awsgw::translators
