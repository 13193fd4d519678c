#include "translators/request_preparation.h"

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

}  // namespace

absl::Status ValidateRequired(const Message& request) { return CheckRequired(request, ""); }

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
