#include "translators/message_binding.h"

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace awsgw::translators {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

// Bindings live for the whole process: descriptors of the generated pool never
// go away, and test pools are kept alive by their runners.
template <typename Key, typename Value>
class Cache {
 public:
  template <typename Build>
  const Value& Get(Key key, Build build) {
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = entries_.find(key);
      if (it != entries_.end()) return *it->second;
    }
    auto value = build(key);  // built outside the lock: building may recurse
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = entries_.try_emplace(key, std::move(value));
    return *it->second;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<Key, std::unique_ptr<Value>> entries_ ABSL_GUARDED_BY(mu_);
};

std::unique_ptr<MessageBinding> Build(const Descriptor* descriptor) {
  auto binding = std::make_unique<MessageBinding>();
  binding->descriptor = descriptor;
  binding->shape = &descriptor->options().GetExtension(awsgw::shape);
  binding->is_wrapper = binding->shape->is_wrapper();
  binding->is_union = binding->shape->is_union();

  absl::flat_hash_map<std::string, const FieldDescriptor*> raw_of;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const MemberInfo& member = field->options().GetExtension(awsgw::member);
    if (!member.raw_of().empty()) raw_of[member.raw_of()] = field;
  }
  binding->fields.reserve(descriptor->field_count() - raw_of.size());
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const MemberInfo& member = field->options().GetExtension(awsgw::member);
    if (!member.raw_of().empty()) continue;
    FieldBinding fb;
    fb.field = field;
    fb.member = &member;
    fb.location = member.location();
    fb.member_name = member.name().empty() ? field->json_name() : member.name();
    fb.wire_name = fb.location == LOCATION_BODY || fb.location == LOCATION_PAYLOAD
                       ? field->json_name()
                       : member.location_name();
    if (auto it = raw_of.find(field->name()); it != raw_of.end()) fb.raw = it->second;
    binding->fields.push_back(std::move(fb));
  }
  for (const FieldBinding& fb : binding->fields) {
    if (fb.location == LOCATION_BODY) {
      binding->body_by_wire_name.emplace(fb.wire_name, &fb);
      binding->has_body_members = true;
    } else if (fb.location == LOCATION_PAYLOAD) {
      binding->payload = &fb;
    }
  }
  return binding;
}

}  // namespace

const FieldBinding* MessageBinding::FindByFieldName(absl::string_view name) const {
  for (const FieldBinding& fb : fields) {
    if (fb.field->name() == name) return &fb;
  }
  return nullptr;
}

const MessageBinding& BindingFor(const Descriptor* descriptor) {
  static auto* cache = new Cache<const Descriptor*, MessageBinding>();
  return cache->Get(descriptor, Build);
}

const EnumStrings& EnumStrings::For(const EnumDescriptor* descriptor) {
  static auto* cache = new Cache<const EnumDescriptor*, EnumStrings>();
  return cache->Get(descriptor, [](const EnumDescriptor* d) {
    auto strings = std::unique_ptr<EnumStrings>(new EnumStrings());
    for (int i = 0; i < d->value_count(); ++i) {
      const auto* value = d->value(i);
      if (!value->options().HasExtension(awsgw::aws_value)) continue;
      const std::string& aws = value->options().GetExtension(awsgw::aws_value);
      strings->to_aws_.emplace(value->number(), aws);
      strings->from_aws_.emplace(aws, value->number());
    }
    return strings;
  });
}

const std::string* EnumStrings::ToAws(int number) const {
  auto it = to_aws_.find(number);
  return it == to_aws_.end() ? nullptr : &it->second;
}

const int* EnumStrings::FromAws(absl::string_view aws) const {
  auto it = from_aws_.find(aws);
  return it == from_aws_.end() ? nullptr : &it->second;
}

}  // namespace awsgw::translators
