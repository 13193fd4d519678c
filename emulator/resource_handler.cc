#include "emulator/resource_handler.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "awsgw/options.pb.h"
#include "emulator/error_replies.h"
#include "emulator/message_copy.h"
#include "emulator/resource_fields.h"
#include "emulator/resource_minting.h"
#include "emulator/snapshot.h"

namespace awsgw::emulator {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr int kDefaultPageSize = 100;

std::string KindKey(const EmulatedService& service, absl::string_view kind) {
  return absl::StrCat(service.info->model_name(), "/", kind);
}

// Identifiers compare loosely: a name matches the ARN that ends in it
// ("my-cluster" vs "arn:aws:ecs:...:cluster/my-cluster").
bool SameIdentifier(absl::string_view a, absl::string_view b) {
  return a == b || absl::EndsWith(a, absl::StrCat("/", b)) ||
         absl::EndsWith(b, absl::StrCat("/", a));
}

bool Names(const Resource& resource, absl::string_view value) {
  return resource.IsNamedBy(value) || SameIdentifier(resource.arn, value);
}

// The version number a request names (AppConfig VersionNumber), or 0.
int64_t RequestedRevision(const Message& request) {
  const auto* type = request.GetDescriptor();
  const auto* r = request.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (!IsRevisionField(f) || !r->HasField(request, f)) continue;
    return f->cpp_type() == FieldDescriptor::CPPTYPE_INT32 ? r->GetInt32(request, f)
                                                           : r->GetInt64(request, f);
  }
  return 0;
}

bool HasRevisionField(const google::protobuf::Descriptor* type) {
  for (int i = 0; i < type->field_count(); ++i) {
    if (IsRevisionField(type->field(i))) return true;
  }
  return false;
}

bool IsMessageOf(const FieldDescriptor* f, const google::protobuf::Descriptor* type) {
  return f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_map() &&
         f->message_type() == type;
}

// Writes the resource into `target`: the same shape as is; else the shape
// nested in the other (RunTask's tasks hold a Task, a Job holds its
// JobSummary); else member by member, where sub-messages of one type in
// both also correspond (StartJobResult.jobSummary and Job.summary).
void Render(const Resource& resource, Message* target) {
  const Message& body = *resource.body;
  const auto* body_type = body.GetDescriptor();
  const auto* target_type = target->GetDescriptor();
  if (target_type == body_type) {
    target->CopyFrom(body);
    return;
  }
  const auto* tr = target->GetReflection();
  for (int i = 0; i < target_type->field_count(); ++i) {
    const FieldDescriptor* f = target_type->field(i);
    if (!IsMessageOf(f, body_type)) continue;
    if (!f->is_repeated()) {
      tr->MutableMessage(target, f)->CopyFrom(body);
      return;
    }
    if (tr->FieldSize(*target, f) == 0) {
      tr->AddMessage(target, f)->CopyFrom(body);
      return;
    }
  }
  const auto* br = body.GetReflection();
  for (int i = 0; i < body_type->field_count(); ++i) {
    const FieldDescriptor* f = body_type->field(i);
    if (!f->is_repeated() && IsMessageOf(f, target_type) && br->HasField(body, f)) {
      target->CopyFrom(br->GetMessage(body, f));
      return;
    }
  }
  CopyByName(body, target);
  for (int i = 0; i < body_type->field_count(); ++i) {
    const FieldDescriptor* from = body_type->field(i);
    // Only the services' own shapes correspond by type: a timestamp is no
    // other timestamp (startedAt must not fill an unset endedAt).
    if (from->is_repeated() || from->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
        from->message_type()->file()->package() == "google.protobuf" || !br->HasField(body, from)) {
      continue;
    }
    for (int k = 0; k < target_type->field_count(); ++k) {
      const FieldDescriptor* to = target_type->field(k);
      if (!to->is_repeated() && IsMessageOf(to, from->message_type()) &&
          !tr->HasField(*target, to)) {
        tr->MutableMessage(target, to)->CopyFrom(br->GetMessage(body, from));
      }
    }
  }
}

// Adds the resource to the target's list of its shape (the second task of
// a RunTask), else renders it as Render does.
void RenderAnother(const Resource& resource, Message* target) {
  const auto* type = target->GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->is_repeated() && IsMessageOf(f, resource.body->GetDescriptor())) {
      target->GetReflection()->AddMessage(target, f)->CopyFrom(*resource.body);
      return;
    }
  }
  Render(resource, target);
}

// A new, empty message of the service's shape `name` ("Job"), or nullptr.
std::unique_ptr<Message> NewShape(const EmulatedService& service, absl::string_view name) {
  const auto* file = service.descriptor->file();
  const auto* type = file->pool()->FindMessageTypeByName(absl::StrCat(file->package(), ".", name));
  if (type == nullptr) return nullptr;
  return std::unique_ptr<Message>(service.factory->GetPrototype(type)->New());
}

// `to` takes the members of `from` it has not set itself.
void CopyUnset(const Message& from, Message* to) {
  std::unique_ptr<Message> merged(to->New());
  CopyByName(from, merged.get());
  CopyByName(*to, merged.get());
  to->CopyFrom(*merged);
}

std::string EncodeToken(size_t offset) {
  return absl::WebSafeBase64Escape(absl::StrCat("offset:", offset));
}

absl::StatusOr<size_t> DecodeToken(absl::string_view token) {
  std::string decoded;
  size_t offset = 0;
  absl::string_view text;
  if (absl::WebSafeBase64Unescape(token, &decoded)) text = decoded;
  if (!absl::ConsumePrefix(&text, "offset:") || !absl::SimpleAtoi(text, &offset)) {
    return absl::InvalidArgumentError("The pagination token is invalid.");
  }
  return offset;
}

// A kind's parents are what its list (else create) operation is scoped by:
// string fields naming another kind, or bound to the URI path. Returns field
// name -> parent kind ("" when only the path says it is a parent).
absl::flat_hash_map<std::string, std::string> ParentFields(const EmulatedService& service,
                                                           const ServiceOperations& ops,
                                                           absl::string_view kind) {
  const google::protobuf::Descriptor* scoping = nullptr;
  for (int i = 0; i < service.descriptor->method_count(); ++i) {
    const auto* method = service.descriptor->method(i);
    const OperationClass& c = ops.ClassOf(method);
    if (c.kind != kind) continue;
    if (c.verb == Verb::kList) scoping = method->input_type();
    if (c.verb == Verb::kCreate && scoping == nullptr) scoping = method->input_type();
  }
  absl::flat_hash_map<std::string, std::string> parents;
  const std::vector<std::string> own = OwnIdentifierNames(kind, *service.facts);
  auto contains = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  for (int f = 0; scoping != nullptr && f < scoping->field_count(); ++f) {
    const FieldDescriptor* field = scoping->field(f);
    if (field->is_repeated() || field->cpp_type() != FieldDescriptor::CPPTYPE_STRING ||
        contains(own, field->name())) {
      continue;
    }
    std::string parent_kind;
    for (const std::string& other : ops.creatable_kinds()) {
      if (other != kind && contains(IdentifierNames(other), field->name())) parent_kind = other;
    }
    const bool in_path = field->options().GetExtension(awsgw::member).location() == LOCATION_URI;
    if (!parent_kind.empty() || in_path) parents.emplace(field->name(), parent_kind);
  }
  return parents;
}

}  // namespace

struct ResourceHandler::Call {
  const EmulatedService* service;
  const OperationClass* klass;
  const KindInfo* kind_info;
  const google::protobuf::MethodDescriptor* method;
  const Message* request;
  Message* response;
  // Request values naming the resource itself, and naming its parents.
  std::map<std::string, std::string> own;
  std::map<std::string, std::string> scope;
};

ResourceHandler::ResourceHandler(const ServiceRegistry& registry, ResourceMinter minter,
                                 std::function<absl::Time()> clock, LifecycleOptions lifecycle)
    : registry_(registry),
      clock_(std::move(clock)),
      minter_(std::move(minter)),
      lifecycle_clock_(lifecycle.clock ? std::move(lifecycle.clock) : clock_),
      // Called only under mu_, from the engine.
      engine_(lifecycle.time_scale,
              [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return minter_.Uuid(); }) {
  for (const EmulatedService& service : registry_.services()) {
    auto ops = std::make_unique<ServiceOperations>(
        service.descriptor, LifecyclesOf(service.info->model_name()), service.facts->kind_aliases);
    for (const std::string& kind : ops->creatable_kinds()) {
      kinds_.emplace(KindKey(service, kind), KindInfo{ParentFields(service, *ops, kind)});
    }
    operations_.emplace(service.descriptor, std::move(ops));
  }
}

const OperationClass& ResourceHandler::ClassOf(
    const google::protobuf::MethodDescriptor* method) const {
  static const OperationClass* other = new OperationClass{};
  auto it = operations_.find(method->service());
  return it == operations_.end() ? *other : it->second->ClassOf(method);
}

std::string ResourceHandler::Snapshot() {
  absl::MutexLock lock(&mu_);
  AdvanceAll();
  std::vector<Resource*> all = store_.All();
  return EncodeSnapshot(std::vector<const Resource*>(all.begin(), all.end()));
}

absl::Status ResourceHandler::Restore(absl::string_view document) {
  absl::StatusOr<std::vector<Resource>> resources = DecodeSnapshot(document);
  if (!resources.ok()) return resources.status();
  absl::MutexLock lock(&mu_);
  for (Resource& r : *resources) store_.Add(std::move(r));
  return absl::OkStatus();
}

std::string ResourceHandler::NewRequestId() {
  absl::MutexLock lock(&mu_);
  return minter_.Uuid();
}

absl::Status ResourceHandler::Handle(const EmulatedService& service,
                                     const google::protobuf::MethodDescriptor* method,
                                     const Message& request, Message* response) {
  const OperationClass& klass = ClassOf(method);
  Call call{&service, &klass, nullptr, method, &request, response, {}, {}};
  if (!klass.kind.empty()) {
    auto it = kinds_.find(KindKey(service, klass.kind));
    if (it != kinds_.end()) call.kind_info = &it->second;
    call.own = StringValues(request, OwnIdentifierNames(klass.kind, *service.facts));
    if (call.kind_info != nullptr) {
      for (const auto& [name, parent_kind] : call.kind_info->parents) {
        std::optional<std::string> value = GetStringField(request, name);
        // An aliased read names the parent under another member.
        for (const KindAlias& alias : service.facts->kind_aliases) {
          for (const auto& [from, to] : alias.members) {
            if (!value && alias.kind == klass.kind && to == name) {
              value = GetStringField(request, from);
            }
          }
        }
        if (value) {
          call.scope[name] = *value;
          call.own.erase(name);
          continue;
        }
        // A parent left out is the service's default one, where it has one
        // (but a request that cannot name it, such as DescribeServiceDeployments
        // by ARN, means no parent at all).
        if (request.GetDescriptor()->FindFieldByName(name) == nullptr) continue;
        for (const DefaultName& d : service.facts->default_names) {
          if (d.kind == parent_kind) call.scope[name] = d.name;
        }
      }
    }
  }
  absl::MutexLock lock(&mu_);
  AdvanceAll();
  // Naming a parent that does not exist is the parent's not-found error,
  // whatever is asked of its children (ECS ListServices of an unknown cluster).
  if (klass.verb == Verb::kRead || klass.verb == Verb::kList || klass.verb == Verb::kUpdate ||
      klass.verb == Verb::kDelete || klass.verb == Verb::kAction || klass.verb == Verb::kListFeed) {
    if (absl::Status parent = ExistingParent(call).status(); !parent.ok()) return parent;
  }
  switch (klass.verb) {
    case Verb::kCreate:
      return Create(call);
    case Verb::kRead:
      return Read(call);
    case Verb::kList:
      return List(call);
    case Verb::kUpdate:
      return Update(call);
    case Verb::kDelete:
      return Delete(call);
    case Verb::kTag:
    case Verb::kUntag:
    case Verb::kListTags:
      return Tags(call);
    case Verb::kAction:
      return Act(call);
    case Verb::kListFeed:
      return ListFeed(call);
    case Verb::kOther:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

LifecycleEngine::Finder ResourceHandler::Finder() {
  return [this](absl::string_view service, absl::string_view kind,
                absl::string_view identifier) ABSL_NO_THREAD_SAFETY_ANALYSIS -> Resource* {
    std::vector<Resource*> found =
        store_.Select(service, kind, [&](const Resource& r) { return Names(r, identifier); });
    return found.empty() ? nullptr : found.back();
  };
}

void ResourceHandler::AdvanceAll() {
  const absl::Time now = lifecycle_clock_();
  const LifecycleEngine::Finder find = Finder();
  std::vector<const Resource*> gone;
  for (Resource* r : store_.All()) {
    if (engine_.Advance(*r, now, find) == Progress::kGone) gone.push_back(r);
  }
  for (const Resource* r : gone) store_.Remove(r);
}

Progress ResourceHandler::StartTrack(const Call& call, Resource& resource,
                                     absl::string_view track) {
  const absl::Time now = lifecycle_clock_();
  // Repeating a stop, cancel or delete already under way (or done) leaves it
  // be, as the services answer a second StopTask with the stopping task.
  if (resource.lifecycle.track == track && track != "create" && track != "update") {
    return engine_.Advance(resource, now, Finder());
  }
  const Progress progress = engine_.Start(resource, track, now, call.request, Finder());
  const Lifecycle* lifecycle = LifecycleFor(resource.service, resource.kind);
  // The track taken: a trigger may have replaced the one asked for.
  const Track* t = lifecycle == nullptr ? nullptr : TrackOf(*lifecycle, resource.lifecycle.track);
  if (progress == Progress::kNone || t == nullptr || t->records.empty() ||
      lifecycle->record.kind.empty()) {
    return progress;
  }
  // What the track is as a resource of its own (an App Runner operation, an
  // ECS deployment): a record its owner's list operation reads, answered in
  // the response.
  const Record& spec = lifecycle->record;
  const Lifecycle* record_lifecycle = LifecycleFor(resource.service, spec.kind);
  std::unique_ptr<Message> body =
      record_lifecycle == nullptr ? nullptr : NewShape(*call.service, record_lifecycle->body_shape);
  if (body == nullptr) return progress;
  // An asynchronous create has already answered the id of the operation it started.
  std::optional<std::string> answered;
  if (!spec.answer_member.empty() && !spec.answer_arn) {
    answered = GetStringField(*call.response, spec.answer_member);
  }
  const std::string id = answered.value_or(minter_.Uuid());
  Identity identity =
      minter_.Mint(*call.service->facts, resource.service, spec.kind, id, resource.arn, 1);
  identity.id = id;
  minter_.StampCreated(*call.service->facts, spec.kind, identity, clock_(), body.get());
  if (!spec.type_member.empty()) SetValueAt(body.get(), spec.type_member, t->records);
  for (const auto& [path, value] : spec.from_owner) {
    SetValueAt(body.get(), path, engine_.Expand(value, resource));
  }
  Resource record;
  record.service = resource.service;
  record.kind = spec.kind;
  record.id = identity.id;
  record.arn = identity.arn;
  record.name = identity.name;
  record.scope = resource.scope;
  record.scope[spec.scope] = resource.arn;
  record.body = std::move(body);
  if (!spec.answer_member.empty()) {
    SetStringField(call.response, spec.answer_member, spec.answer_arn ? record.arn : record.id);
  }
  if (!spec.owner_member.empty()) SetValueAt(resource.body.get(), spec.owner_member, record.arn);
  Resource& stored = store_.Add(std::move(record));
  engine_.Start(stored, "create", now, nullptr, Finder());
  return progress;
}

absl::Status ResourceHandler::Act(const Call& call) {
  absl::StatusOr<Resource*> found = FindNamed(call);
  if (!found.ok()) return found.status();
  Resource& resource = **found;
  const Progress progress = StartTrack(call, resource, call.klass->track);
  Render(resource, ResourcePart(call.response, call.klass->kind));
  if (progress == Progress::kGone) store_.Remove(&resource);
  return absl::OkStatus();
}

absl::Status ResourceHandler::ListFeed(const Call& call) {
  absl::StatusOr<Resource*> found = FindNamed(call);
  if (!found.ok()) return found.status();
  const FieldDescriptor* items = ItemsField(call.method->output_type(), call.klass->kind);
  if (items == nullptr || items->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    return absl::OkStatus();
  }
  const auto* r = call.response->GetReflection();
  for (const auto& entry : (*found)->feed) {
    if (entry->GetDescriptor() == items->message_type()) {
      r->AddMessage(call.response, items)->CopyFrom(*entry);
    }
  }
  return absl::OkStatus();
}

std::vector<Resource*> ResourceHandler::InScope(const Call& call) {
  return store_.Select(call.service->info->model_name(), call.klass->kind, [&](const Resource& r) {
    for (const auto& [name, value] : call.scope) {
      auto it = r.scope.find(name);
      if (it != r.scope.end() && !SameIdentifier(it->second, value)) {
        return false;
      }
    }
    return true;
  });
}

absl::StatusOr<Resource*> ResourceHandler::FindNamed(const Call& call) {
  const int64_t revision = RequestedRevision(*call.request);
  std::vector<Resource*> candidates = InScope(call);
  // Newest first: a task definition family names its latest revision.
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    Resource* r = *it;
    bool all = revision == 0 || r->revision == revision;
    for (const auto& [name, value] : call.own) all = all && Names(*r, value);
    if (all) return r;
  }
  std::string named = call.own.empty() ? "" : absl::StrCat(" ", call.own.begin()->second);
  return ResourceNotFound(call.klass->kind,
                          absl::StrCat(call.klass->kind, named, " does not exist."));
}

absl::StatusOr<std::string> ResourceHandler::ExistingParent(const Call& call) {
  std::string parent;
  if (call.kind_info == nullptr) return parent;
  for (const auto& [name, value] : call.scope) {
    const std::string& parent_kind = call.kind_info->parents.at(name);
    if (parent.empty()) parent = value;
    if (parent_kind.empty()) continue;  // only the URI path says it is a parent
    // An init-capture: clang before 16 cannot capture a structured binding.
    if (store_
            .Select(call.service->info->model_name(), parent_kind,
                    [&value = value](const Resource& r) { return Names(r, value); })
            .empty()) {
      return ResourceNotFound(parent_kind,
                              absl::StrCat(parent_kind, " ", value, " does not exist."));
    }
  }
  return parent;
}

Resource* ResourceHandler::SameNamed(const Call& call, absl::string_view name) {
  for (Resource* existing : InScope(call)) {
    // Same parents exactly: a service "web" in another cluster is no duplicate.
    if (existing->name == name && existing->scope.size() == call.scope.size()) return existing;
  }
  return nullptr;
}

absl::Status ResourceHandler::Create(const Call& call) {
  // Kinds created several at a time (RunTask's count): that many, the
  // service's maximum at most, each in the response's list.
  int copies = 1;
  const Lifecycle* lifecycle = LifecycleFor(call.service->info->model_name(), call.klass->kind);
  if (lifecycle != nullptr && !lifecycle->count_member.empty()) {
    copies = std::clamp(static_cast<int>(GetNumberAt(*call.request, lifecycle->count_member)), 1,
                        lifecycle->max_count);
  }
  for (int i = 0; i < copies; ++i) {
    if (absl::Status s = CreateOne(call, /*append=*/i > 0); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ResourceHandler::CreateOne(const Call& call, bool append) {
  const EmulatedService& service = *call.service;
  const ServiceFacts& facts = *service.facts;
  const std::string& kind = call.klass->kind;
  // The parents named must exist (a branch of an unknown app is NotFound).
  absl::StatusOr<std::string> parent = ExistingParent(call);
  if (!parent.ok()) return parent.status();

  Message* part = ResourcePart(call.response, kind);
  // The stored shape: the create response's, or the lifecycle's fuller one
  // with the part the request fills (`core`).
  const Lifecycle* lifecycle = LifecycleFor(service.info->model_name(), kind);
  std::unique_ptr<Message> body;
  if (lifecycle != nullptr && !lifecycle->body_shape.empty()) {
    body = NewShape(service, lifecycle->body_shape);
  }
  if (body == nullptr) body.reset(part->New());
  Message* core = body.get();
  if (lifecycle != nullptr && !lifecycle->core_member.empty()) {
    const FieldDescriptor* f = body->GetDescriptor()->FindFieldByName(lifecycle->core_member);
    if (f != nullptr && !f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      core = body->GetReflection()->MutableMessage(body.get(), f);
    }
  }
  std::string name;
  for (const std::string& field : OwnIdentifierNames(kind, facts)) {
    if (auto value = GetStringField(*call.request, field); value && name.empty()) name = *value;
  }
  if (name.empty()) name = GetStringField(*call.request, "name").value_or("");
  for (const DefaultName& d : facts.default_names) {
    if (name.empty() && d.kind == kind) name = d.name;
  }
  const bool versioned = HasRevisionField(core->GetDescriptor());
  if (Resource* existing = name.empty() || versioned ? nullptr : SameNamed(call, name)) {
    // An operation the model marks idempotent (ECS CreateCapacityProvider)
    // repeated is answered as the first was, as are the kinds AWS creates
    // idempotently by name.
    const translators::MethodEntry* entry = registry_.methods().FindByMethod(call.method);
    const auto& idempotent = facts.idempotent_creates;
    if ((entry != nullptr && entry->op.info->idempotent()) ||
        std::find(idempotent.begin(), idempotent.end(), kind) != idempotent.end()) {
      Render(*existing, part);
      return absl::OkStatus();
    }
    if (!facts.duplicate_name_error.empty()) {
      return absl::AlreadyExistsError(absl::StrCat(kind, " ", name, " already exists."));
    }
  }
  // Versions count per name and parents; numbers are never reused.
  int revision = 1;
  for (const Resource* r : InScope(call)) {
    if (name.empty() || r->name == name) revision = std::max(revision, r->revision + 1);
  }
  const Identity identity =
      minter_.Mint(facts, service.info->model_name(), kind, name, *parent, revision);

  Resource resource;
  resource.service = service.info->model_name();
  resource.kind = kind;
  resource.id = identity.id;
  resource.arn = identity.arn;
  resource.name = identity.name;
  resource.revision = identity.revision;
  resource.scope = call.scope;
  resource.tags = ReadTags(*call.request);
  CopyByName(*call.request, core);
  // Members taken from another resource the request names (a deployment
  // takes its strategy's growth, duration and bake time).
  if (lifecycle != nullptr && !lifecycle->inherit_from.empty()) {
    if (auto source = GetStringField(*call.request, lifecycle->inherit_from)) {
      if (Resource* from = Finder()(resource.service, lifecycle->inherit_kind, *source)) {
        CopyUnset(*from->body, core);
      }
    }
  }
  minter_.StampCreated(facts, kind, identity, clock_(), core);
  WriteTags(resource.tags, core);
  resource.body = std::move(body);

  // Asynchronous creates answer with the id of the operation they started.
  if (part != call.response && !GetStringField(*call.response, "operation_id")) {
    SetStringField(call.response, "operation_id", minter_.Uuid());
  }
  Resource& stored = store_.Add(std::move(resource));
  const Progress progress = StartTrack(call, stored, "create");
  append ? RenderAnother(stored, part) : Render(stored, part);
  if (progress == Progress::kGone) store_.Remove(&stored);
  return absl::OkStatus();
}

absl::Status ResourceHandler::Read(const Call& call) {
  const FieldDescriptor* items = ItemsField(call.method->output_type(), call.klass->kind);
  const std::vector<std::string> wanted = ListValues(*call.request, OwnListNames(call.klass->kind));
  // Describe-many (ECS): found ones in the list, the rest as failures.
  // (Only a list named for the kind: a single resource's own lists, such as
  // an AppConfig deployment's event log, are not it.)
  const std::vector<std::string> plural = OwnListNames(call.klass->kind);
  if (items != nullptr && items->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
      call.own.empty() && std::find(plural.begin(), plural.end(), items->name()) != plural.end()) {
    const auto* r = call.response->GetReflection();
    const FieldDescriptor* failures = call.response->GetDescriptor()->FindFieldByName("failures");
    std::vector<Resource*> scope = InScope(call);
    if (wanted.empty()) {
      for (Resource* resource : scope) Render(*resource, r->AddMessage(call.response, items));
      return absl::OkStatus();
    }
    for (const std::string& value : wanted) {
      auto it = std::find_if(scope.rbegin(), scope.rend(),
                             [&](const Resource* res) { return Names(*res, value); });
      if (it != scope.rend()) {
        Render(**it, r->AddMessage(call.response, items));
      } else if (failures != nullptr && failures->is_repeated() &&
                 failures->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        Message* failure = r->AddMessage(call.response, failures);
        SetStringField(failure, "arn", value);
        SetStringField(failure, "reason", "MISSING");
      }
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Resource*> resource = FindNamed(call);
  if (!resource.ok()) return resource.status();
  Render(**resource, ResourcePart(call.response, call.klass->kind));
  return absl::OkStatus();
}

absl::Status ResourceHandler::List(const Call& call) {
  std::vector<Resource*> scope = InScope(call);
  if (const Lifecycle* l = LifecycleFor(call.service->info->model_name(), call.klass->kind);
      l != nullptr && !l->unlisted.empty()) {
    std::erase_if(scope, [l](const Resource* r) {
      return std::find(l->unlisted.begin(), l->unlisted.end(), StateOf(*r)) != l->unlisted.end();
    });
  }
  size_t offset = 0;
  if (auto token = GetStringField(*call.request, "next_token")) {
    absl::StatusOr<size_t> decoded = DecodeToken(*token);
    if (!decoded.ok()) return decoded.status();
    offset = std::min(*decoded, scope.size());
  }
  size_t page = kDefaultPageSize;
  if (const FieldDescriptor* size = PageSizeField(call.method->input_type())) {
    const int32_t asked = call.request->GetReflection()->GetInt32(*call.request, size);
    const MemberInfo& member = size->options().GetExtension(awsgw::member);
    if (asked > 0) {
      page = static_cast<size_t>(asked);
    } else if (member.has_max() && member.max() >= 1) {
      page = std::min(page, static_cast<size_t>(member.max()));
    }
  }
  const FieldDescriptor* items = ItemsField(call.method->output_type(), call.klass->kind);
  const auto* r = call.response->GetReflection();
  const size_t end = std::min(scope.size(), offset + page);
  for (size_t i = offset; items != nullptr && i < end; ++i) {
    const Resource& resource = *scope[i];
    if (items->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Render(resource, r->AddMessage(call.response, items));
    } else {
      r->AddString(call.response, items,
                   !resource.arn.empty() ? resource.arn
                                         : (!resource.id.empty() ? resource.id : resource.name));
    }
  }
  if (end < scope.size()) SetStringField(call.response, "next_token", EncodeToken(end));
  return absl::OkStatus();
}

absl::Status ResourceHandler::Update(const Call& call) {
  absl::StatusOr<Resource*> found = FindNamed(call);
  if (!found.ok()) return found.status();
  Resource& resource = **found;
  // Merge what the request sets, but never its identity.
  std::unique_ptr<Message> before(resource.body->New());
  before->CopyFrom(*resource.body);
  CopyByName(*call.request, resource.body.get());
  for (const char* field : {"arn", "id"}) {
    if (auto v = GetStringField(*before, field)) SetStringField(resource.body.get(), field, *v);
  }
  const std::string k = SnakeCase(call.klass->kind);
  for (const std::string& field : {absl::StrCat(k, "_arn"), absl::StrCat(k, "_id")}) {
    if (auto v = GetStringField(*before, field)) SetStringField(resource.body.get(), field, *v);
  }
  std::map<std::string, std::string> tags = ReadTags(*call.request);
  if (!tags.empty()) resource.tags = std::move(tags);
  WriteTags(resource.tags, resource.body.get());
  StampUpdated(clock_(), resource.body.get());
  StartTrack(call, resource, "update");
  // A rename (AppConfig UpdateApplication Name) is found by its new name.
  for (const std::string& field : {absl::StrCat(k, "_name"), std::string("name")}) {
    if (auto renamed = GetStringField(*resource.body, field)) {
      resource.name = *renamed;
      break;
    }
  }
  Render(resource, ResourcePart(call.response, call.klass->kind));
  return absl::OkStatus();
}

absl::Status ResourceHandler::Delete(const Call& call) {
  absl::StatusOr<Resource*> found = FindNamed(call);
  if (!found.ok()) return found.status();
  Message* part = ResourcePart(call.response, call.klass->kind);
  // Kinds with a delete track stay (DELETING, DRAINING) until it ends.
  const Progress progress = StartTrack(call, **found, "delete");
  Render(**found, part);
  if (progress == Progress::kNone && part != call.response) StampDeleted(part);
  if (progress != Progress::kLive) store_.Remove(*found);
  return absl::OkStatus();
}

absl::Status ResourceHandler::Tags(const Call& call) {
  const std::string arn = TaggedArn(*call.request);
  Resource* resource = store_.FindByArn(call.service->info->model_name(), arn);
  if (resource == nullptr) {
    return absl::NotFoundError(absl::StrCat("The resource ", arn, " does not exist."));
  }
  switch (call.klass->verb) {
    case Verb::kTag:
      for (auto& [key, value] : ReadTags(*call.request)) resource->tags[key] = value;
      break;
    case Verb::kUntag:
      for (const std::string& key : ListValues(*call.request, {"tag_keys"})) {
        resource->tags.erase(key);
      }
      break;
    default:
      WriteTags(resource->tags, call.response);
      return absl::OkStatus();
  }
  WriteTags(resource->tags, resource->body.get());
  return absl::OkStatus();
}

}  // namespace awsgw::emulator
