#include "gateway/watch/watch_definition.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"

namespace awsgw::gateway::watch {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// The rpc of a full method name ("aws.ecs.v1.EcsService.DescribeTasks").
const translators::MethodEntry* FindMethod(const translators::MethodTable& catalog,
                                           absl::string_view full_name) {
  const size_t dot = full_name.rfind('.');
  if (dot == absl::string_view::npos) return nullptr;
  return catalog.FindByPath(
      absl::StrCat("/", full_name.substr(0, dot), "/", full_name.substr(dot + 1)));
}

// The token fields of a paged rpc, which must be of one type (the response's
// token is copied into the next request).
absl::StatusOr<CompiledPagination> CompilePagination(const v1::Pagination& def,
                                                     const MethodDescriptor& method) {
  CompiledPagination out;
  absl::StatusOr<FieldPath> request = FieldPath::Resolve(method.input_type(), def.request_token());
  if (!request.ok()) return request.status();
  absl::StatusOr<FieldPath> response =
      FieldPath::Resolve(method.output_type(), def.response_token());
  if (!response.ok()) return response.status();
  if (request->leaf() == nullptr || response->leaf() == nullptr ||
      request->leaf()->cpp_type() != response->leaf()->cpp_type() ||
      request->leaf()->is_repeated() || response->leaf()->is_repeated()) {
    return absl::InvalidArgumentError(absl::StrCat("pagination tokens of ", method.name(),
                                                   " must be two single fields of one type"));
  }
  out.request_token = *std::move(request);
  out.response_token = *std::move(response);
  out.max_pages = std::max(1, def.max_pages());
  return out;
}

}  // namespace

bool CompiledCondition::Holds(const Message& resource) const {
  if (count.has_value()) return path.Count(resource) == *count;
  std::optional<std::string> value = path.Text(resource);
  if (equals_path.has_value()) {
    std::optional<std::string> other = equals_path->Text(resource);
    return value.value_or("0") == other.value_or("0");
  }
  if (!value.has_value()) return false;
  for (const std::string& candidate : any_of) {
    if (*value == candidate) return true;
  }
  return false;
}

absl::StatusOr<std::unique_ptr<CompiledWatch>> CompiledWatch::Compile(
    const MethodDescriptor* method, const translators::MethodTable& catalog) {
  auto Wrap = [method](const absl::Status& status) {
    return absl::FailedPreconditionError(
        absl::StrCat("watch rpc ", method->full_name(), ": ", status.message()));
  };
  if (!method->options().HasExtension(v1::watch)) {
    return Wrap(absl::NotFoundError("no (awsgw.watch.v1.watch) option"));
  }
  if (!method->server_streaming() || method->client_streaming()) {
    return Wrap(absl::InvalidArgumentError("must be server-streaming"));
  }
  auto watch = std::make_unique<CompiledWatch>();
  watch->method = method;
  watch->path = absl::StrCat("/", method->service()->full_name(), "/", method->name());
  const v1::WatchDefinition& def = method->options().GetExtension(v1::watch);
  watch->definition = &def;
  const Descriptor* request_type = method->input_type();
  watch->options_field = request_type->FindFieldByName("options");

  watch->poll = FindMethod(catalog, def.poll_method());
  if (watch->poll == nullptr) {
    return Wrap(absl::NotFoundError(
        absl::StrCat("poll_method \"", def.poll_method(), "\" is not served by this build")));
  }
  const Descriptor* poll_request = watch->poll->method->input_type();
  const Descriptor* poll_response = watch->poll->method->output_type();

  auto compile_mappings = [&](const auto& mappings, const Descriptor* to_type,
                              std::vector<CompiledMapping>& out) -> absl::Status {
    for (const v1::FieldMapping& m : mappings) {
      CompiledMapping c;
      AWSGW_ASSIGN_OR_RETURN(c.from, FieldPath::Resolve(request_type, m.from()), Wrap);
      AWSGW_ASSIGN_OR_RETURN(c.to, FieldPath::Resolve(to_type, m.to()), Wrap);
      c.optional = m.optional();
      out.push_back(std::move(c));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = compile_mappings(def.request(), poll_request, watch->request); !s.ok()) {
    return s;
  }

  if (def.has_match()) {
    watch->has_match = true;
    AWSGW_ASSIGN_OR_RETURN(watch->match_key_from,
                           FieldPath::Resolve(request_type, def.match().key_from()), Wrap);
    AWSGW_ASSIGN_OR_RETURN(watch->match_list,
                           FieldPath::Resolve(poll_response, def.match().list_path()), Wrap);
    if (watch->match_list.leaf() == nullptr || !watch->match_list.leaf()->is_repeated() ||
        watch->match_list.message_type() == nullptr) {
      return Wrap(absl::InvalidArgumentError("match.list_path must be a repeated message field"));
    }
    watch->resource_type = watch->match_list.message_type();
    for (const std::string& key : def.match().key_paths()) {
      FieldPath path;
      AWSGW_ASSIGN_OR_RETURN(path, FieldPath::Resolve(watch->resource_type, key), Wrap);
      watch->match_keys.push_back(std::move(path));
    }
    if (watch->match_keys.empty()) {
      return Wrap(absl::InvalidArgumentError("match.key_paths is empty"));
    }
    watch->first_when_empty = def.match().first_when_empty();
  } else {
    AWSGW_ASSIGN_OR_RETURN(watch->resource, FieldPath::Resolve(poll_response, def.resource_path()),
                           Wrap);
    watch->resource_type = watch->resource.message_type();
    if (watch->resource_type == nullptr) {
      return Wrap(absl::InvalidArgumentError("resource_path must lead to a message"));
    }
  }
  if (def.has_pagination()) {
    if (!watch->has_match) return Wrap(absl::InvalidArgumentError("pagination needs match"));
    AWSGW_ASSIGN_OR_RETURN(watch->pagination,
                           CompilePagination(def.pagination(), *watch->poll->method), Wrap);
  }
  if (def.has_batch()) {
    if (!watch->has_match) return Wrap(absl::InvalidArgumentError("batch needs match"));
    watch->batched = true;
    AWSGW_ASSIGN_OR_RETURN(watch->batch_list,
                           FieldPath::Resolve(poll_request, def.batch().list_field()), Wrap);
    if (watch->batch_list.leaf() == nullptr || !watch->batch_list.leaf()->is_repeated() ||
        watch->batch_list.leaf()->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      return Wrap(absl::InvalidArgumentError("batch.list_field must be a repeated string"));
    }
    watch->batch_max = def.batch().max_size() > 0 ? def.batch().max_size() : 1;
  }
  if (def.has_missing()) {
    watch->has_missing = true;
    AWSGW_ASSIGN_OR_RETURN(watch->missing_list,
                           FieldPath::Resolve(poll_response, def.missing().list_path()), Wrap);
    if (watch->missing_list.message_type() == nullptr) {
      return Wrap(absl::InvalidArgumentError("missing.list_path must be a message list"));
    }
    AWSGW_ASSIGN_OR_RETURN(
        watch->missing_key,
        FieldPath::Resolve(watch->missing_list.message_type(), def.missing().key_path()), Wrap);
    AWSGW_ASSIGN_OR_RETURN(
        watch->missing_reason,
        FieldPath::Resolve(watch->missing_list.message_type(), def.missing().reason_path()), Wrap);
  }
  AWSGW_ASSIGN_OR_RETURN(watch->status, FieldPath::Resolve(watch->resource_type, def.status_path()),
                         Wrap);
  if (watch->status.empty()) return Wrap(absl::InvalidArgumentError("status_path is empty"));
  if (!def.reason_path().empty()) {
    FieldPath reason;
    AWSGW_ASSIGN_OR_RETURN(reason, FieldPath::Resolve(watch->resource_type, def.reason_path()),
                           Wrap);
    watch->reason = std::move(reason);
  }
  for (const std::string& ignore : def.ignore_paths()) {
    FieldPath path;
    AWSGW_ASSIGN_OR_RETURN(path, FieldPath::Resolve(watch->resource_type, ignore), Wrap);
    watch->ignore.push_back(std::move(path));
  }

  const Descriptor* update = v1::WatchUpdate::descriptor();
  if (def.has_events()) {
    const v1::EventFeed& feed = def.events();
    CompiledEvents events;
    const Descriptor* list_root = watch->resource_type;
    if (!feed.method().empty()) {
      events.method = FindMethod(catalog, feed.method());
      if (events.method == nullptr) {
        return Wrap(absl::NotFoundError(
            absl::StrCat("events.method \"", feed.method(), "\" is not served by this build")));
      }
      if (absl::Status s =
              compile_mappings(feed.request(), events.method->method->input_type(), events.request);
          !s.ok()) {
        return s;
      }
      list_root = events.method->method->output_type();
      if (feed.has_pagination()) {
        AWSGW_ASSIGN_OR_RETURN(events.pagination,
                               CompilePagination(feed.pagination(), *events.method->method), Wrap);
      }
    } else if (feed.has_pagination()) {
      return Wrap(absl::InvalidArgumentError("events.pagination needs events.method"));
    }
    AWSGW_ASSIGN_OR_RETURN(events.list, FieldPath::Resolve(list_root, feed.list_path()), Wrap);
    const Descriptor* event_type = events.list.message_type();
    if (event_type == nullptr || !events.list.leaf()->is_repeated()) {
      return Wrap(absl::InvalidArgumentError("events.list_path must be a repeated message field"));
    }
    AWSGW_ASSIGN_OR_RETURN(events.id, FieldPath::Resolve(event_type, feed.id_path()), Wrap);
    AWSGW_ASSIGN_OR_RETURN(events.order, FieldPath::Resolve(event_type, feed.order_path()), Wrap);
    AWSGW_ASSIGN_OR_RETURN(events.summary, FieldPath::Resolve(event_type, feed.summary_path()),
                           Wrap);
    events.newest_first = feed.newest_first();
    events.update_field = update->FindFieldByName(feed.update_field());
    if (events.update_field == nullptr || events.update_field->message_type() != event_type) {
      return Wrap(absl::InvalidArgumentError(
          absl::StrCat("events.update_field \"", feed.update_field(),
                       "\" is not a WatchUpdate field of type ", event_type->full_name())));
    }
    watch->events = std::move(events);
  }

  if (!def.goal_field().empty()) {
    FieldPath goal;
    AWSGW_ASSIGN_OR_RETURN(goal, FieldPath::Resolve(request_type, def.goal_field()), Wrap);
    if (goal.leaf()->enum_type() == nullptr) {
      return Wrap(absl::InvalidArgumentError("goal_field must be an enum"));
    }
    for (const v1::Goal& g : def.goals()) {
      const google::protobuf::EnumValueDescriptor* value =
          goal.leaf()->enum_type()->FindValueByName(g.name());
      if (value == nullptr) {
        return Wrap(absl::InvalidArgumentError(absl::StrCat(
            "goal \"", g.name(), "\" is not a value of ", goal.leaf()->enum_type()->full_name())));
      }
      CompiledGoal compiled;
      compiled.name = g.name();
      auto compile_conditions = [&](const auto& conditions,
                                    std::vector<CompiledCondition>& out) -> absl::Status {
        for (const v1::Condition& c : conditions) {
          CompiledCondition cc;
          AWSGW_ASSIGN_OR_RETURN(cc.path, FieldPath::Resolve(watch->resource_type, c.path()), Wrap);
          cc.any_of.assign(c.any_of().begin(), c.any_of().end());
          if (!c.equals_path().empty()) {
            FieldPath other;
            AWSGW_ASSIGN_OR_RETURN(other, FieldPath::Resolve(watch->resource_type, c.equals_path()),
                                   Wrap);
            cc.equals_path = std::move(other);
          }
          if (c.has_count()) cc.count = c.count();
          const int tests =
              (cc.any_of.empty() ? 0 : 1) + (cc.equals_path ? 1 : 0) + (cc.count ? 1 : 0);
          if (tests != 1) {
            return Wrap(absl::InvalidArgumentError(
                absl::StrCat("condition on \"", c.path(), "\" must have exactly one test")));
          }
          out.push_back(std::move(cc));
        }
        return absl::OkStatus();
      };
      if (absl::Status s = compile_conditions(g.success_when_all(), compiled.success_when_all);
          !s.ok()) {
        return s;
      }
      if (absl::Status s = compile_conditions(g.failure_when_any(), compiled.failure_when_any);
          !s.ok()) {
        return s;
      }
      watch->goals.emplace(value->number(), std::move(compiled));
    }
    watch->goal_field = std::move(goal);
  }

  watch->snapshot_field = update->FindFieldByName(def.snapshot_field());
  if (watch->snapshot_field == nullptr ||
      watch->snapshot_field->message_type() != watch->resource_type) {
    return Wrap(absl::InvalidArgumentError(absl::StrCat("snapshot_field \"", def.snapshot_field(),
                                                        "\" is not a WatchUpdate field of type ",
                                                        watch->resource_type->full_name())));
  }
  return watch;
}

absl::StatusOr<WatchTarget> BuildTarget(const CompiledWatch& watch, const Message& request) {
  WatchTarget target;
  std::vector<std::string> names;
  auto required = [](const CompiledMapping& m, const Message& request) -> absl::Status {
    std::optional<std::string> value = m.from.Text(request);
    if (!m.optional && (!value.has_value() || value->empty() || *value == "0")) {
      return absl::InvalidArgumentError(absl::StrCat(m.from.text(), " is required"));
    }
    return absl::OkStatus();
  };
  auto fill = [&](const std::vector<CompiledMapping>& mappings, Message* out,
                  bool name) -> absl::Status {
    for (const CompiledMapping& m : mappings) {
      if (absl::Status s = required(m, request); !s.ok()) return s;
      if (absl::Status s = m.to.CopyFrom(request, m.from, out); !s.ok()) return s;
      std::optional<std::string> value = m.from.Text(request);
      if (name && value.has_value() && !value->empty()) names.push_back(*value);
    }
    return absl::OkStatus();
  };
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          watch.poll->method->input_type());
  target.poll_request.reset(prototype->New());
  if (absl::Status s = fill(watch.request, target.poll_request.get(), true); !s.ok()) return s;
  if (watch.events.has_value() && watch.events->method != nullptr) {
    target.events_request.reset(google::protobuf::MessageFactory::generated_factory()
                                    ->GetPrototype(watch.events->method->method->input_type())
                                    ->New());
    if (absl::Status s = fill(watch.events->request, target.events_request.get(), false); !s.ok()) {
      return s;
    }
  }
  if (watch.has_match) {
    target.resource_key = watch.match_key_from.Text(request).value_or("");
    if (target.resource_key.empty() && !watch.first_when_empty) {
      return absl::InvalidArgumentError(absl::StrCat(watch.match_key_from.text(), " is required"));
    }
    if (!target.resource_key.empty() && (names.empty() || names.back() != target.resource_key)) {
      names.push_back(target.resource_key);
    }
  }
  if (watch.goal_field.has_value()) {
    const google::protobuf::Reflection* r = request.GetReflection();
    const int number = r->GetEnumValue(request, watch.goal_field->leaf());
    if (number != 0) {
      auto it = watch.goals.find(number);
      if (it == watch.goals.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat(watch.goal_field->text(), " ", number, " is not a known goal"));
      }
      target.goal = &it->second;
      target.goal_name = it->second.name;
    }
  }
  target.display = names.empty() ? "(newest)" : absl::StrJoin(names, "/");
  std::string bytes = DeterministicBytes(*target.poll_request);
  if (target.events_request != nullptr) {
    absl::StrAppend(&bytes, "|", DeterministicBytes(*target.events_request));
  }
  target.request_digest = StableDigest(bytes);
  return target;
}

absl::StatusOr<std::unique_ptr<WatchCatalog>> WatchCatalog::Build(
    const google::protobuf::ServiceDescriptor* service, const translators::MethodTable& catalog) {
  std::unique_ptr<WatchCatalog> result(new WatchCatalog());
  result->service_ = service;
  for (int i = 0; i < service->method_count(); ++i) {
    absl::StatusOr<std::unique_ptr<CompiledWatch>> watch =
        CompiledWatch::Compile(service->method(i), catalog);
    if (!watch.ok()) return watch.status();
    result->watches_.push_back(*std::move(watch));
  }
  return result;
}

const CompiledWatch* WatchCatalog::FindByPath(absl::string_view path) const {
  for (const auto& watch : watches_) {
    if (watch->path == path) return watch.get();
  }
  return nullptr;
}

}  // namespace awsgw::gateway::watch
