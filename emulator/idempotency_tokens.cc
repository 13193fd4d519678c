#include "emulator/idempotency_tokens.h"

#include "absl/strings/str_cat.h"
#include "translators/message_binding.h"

namespace awsgw::emulator {

std::string IdempotencyTokens::KeyOf(const google::protobuf::Message& request,
                                     absl::string_view scope) {
  const auto* reflection = request.GetReflection();
  for (const translators::FieldBinding& fb :
       translators::BindingFor(request.GetDescriptor()).fields) {
    if (!fb.member->idempotency_token() || fb.field->is_repeated() ||
        fb.field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    const std::string token = reflection->GetString(request, fb.field);
    if (!token.empty()) return absl::StrCat(scope, "\n", token);
  }
  return "";
}

std::optional<http::HttpResponse> IdempotencyTokens::Find(const std::string& key, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expires <= now) return std::nullopt;
  return it->second.answer;
}

void IdempotencyTokens::Remember(const std::string& key, const http::HttpResponse& answer,
                                 absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (!entries_.contains(key)) order_.push_back(key);
  entries_[key] = Entry{answer, now + ttl_};
  while (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace awsgw::emulator
