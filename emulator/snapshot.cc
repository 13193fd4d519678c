#include "emulator/snapshot.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "boost/json/value.hpp"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace awsgw::emulator {
namespace {

namespace json = boost::json;

constexpr char kFormat[] = "aws-emulator-snapshot";

json::object StringMap(const std::map<std::string, std::string>& values) {
  json::object out;
  for (const auto& [k, v] : values) out[k] = v;
  return out;
}

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("not a valid snapshot: ", what));
}

// The string member `key` of `object`; "" when absent, error when not a string.
absl::StatusOr<std::string> StringAt(const json::object& object, absl::string_view key) {
  const json::value* v = object.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return Invalid(absl::StrCat("\"", key, "\" is not a string"));
  return std::string(v->as_string());
}

absl::StatusOr<std::map<std::string, std::string>> MapAt(const json::object& object,
                                                         absl::string_view key) {
  std::map<std::string, std::string> out;
  const json::value* v = object.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr) return out;
  if (!v->is_object()) return Invalid(absl::StrCat("\"", key, "\" is not an object"));
  for (const auto& [k, value] : v->as_object()) {
    if (!value.is_string()) return Invalid(absl::StrCat("\"", key, "\" holds a non-string"));
    out[std::string(k)] = std::string(value.as_string());
  }
  return out;
}

// The message of `object`'s "type" and "body" members (a resource's body or
// a feed entry of resource `kind` `name`).
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> MessageAt(const json::object& object,
                                                                     absl::string_view kind,
                                                                     absl::string_view name) {
  absl::StatusOr<std::string> type_name = StringAt(object, "type");
  if (!type_name.ok()) return type_name.status();
  const auto* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(*type_name);
  if (type == nullptr) return Invalid(absl::StrCat("unknown message type \"", *type_name, "\""));
  const json::value* body = object.if_contains("body");
  if (body == nullptr || !body->is_object()) return Invalid("a resource has no body object");
  std::unique_ptr<google::protobuf::Message> out(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto parsed =
      google::protobuf::util::JsonStringToMessage(json::serialize(*body), out.get(), options);
  if (!parsed.ok()) {
    return Invalid(
        absl::StrCat("the body of ", kind, " ", name, ": ", std::string(parsed.message())));
  }
  return out;
}

absl::StatusOr<Resource> DecodeResource(const json::value& value) {
  if (!value.is_object()) return Invalid("a resource is not an object");
  const json::object& o = value.as_object();
  Resource r;
  absl::StatusOr<std::string> field;
#define AWSGW_STRING_MEMBER(member)       \
  field = StringAt(o, #member);           \
  if (!field.ok()) return field.status(); \
  r.member = *field;
  AWSGW_STRING_MEMBER(service)
  AWSGW_STRING_MEMBER(kind)
  AWSGW_STRING_MEMBER(id)
  AWSGW_STRING_MEMBER(arn)
  AWSGW_STRING_MEMBER(name)
#undef AWSGW_STRING_MEMBER
  if (r.service.empty() || r.kind.empty()) return Invalid("a resource has no service or kind");
  if (const json::value* rev = o.if_contains("revision"); rev != nullptr && rev->is_int64()) {
    r.revision = static_cast<int>(rev->as_int64());
  }
  absl::StatusOr<std::map<std::string, std::string>> map = MapAt(o, "scope");
  if (!map.ok()) return map.status();
  r.scope = *std::move(map);
  map = MapAt(o, "tags");
  if (!map.ok()) return map.status();
  r.tags = *std::move(map);

  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> body = MessageAt(o, r.kind, r.name);
  if (!body.ok()) return body.status();
  r.body = *std::move(body);

  if (const json::value* feed = o.if_contains("feed"); feed != nullptr) {
    if (!feed->is_array()) return Invalid("\"feed\" is not an array");
    for (const json::value& entry : feed->as_array()) {
      if (!entry.is_object()) return Invalid("a feed entry is not an object");
      absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
          MessageAt(entry.as_object(), r.kind, r.name);
      if (!message.ok()) return message.status();
      r.feed.push_back(*std::move(message));
    }
  }
  if (const json::value* life = o.if_contains("lifecycle"); life != nullptr && life->is_object()) {
    const json::object& l = life->as_object();
    absl::StatusOr<std::string> track = StringAt(l, "track");
    if (!track.ok()) return track.status();
    r.lifecycle.track = *track;
    if (const json::value* v = l.if_contains("started_ms"); v != nullptr && v->is_int64()) {
      r.lifecycle.started = absl::FromUnixMillis(v->as_int64());
    }
    if (const json::value* v = l.if_contains("entered"); v != nullptr && v->is_int64()) {
      r.lifecycle.entered = static_cast<int>(v->as_int64());
    }
    if (const json::value* v = l.if_contains("finished"); v != nullptr && v->is_bool()) {
      r.lifecycle.finished = v->as_bool();
    }
    if (const json::value* v = l.if_contains("counter_from"); v != nullptr && v->is_object()) {
      for (const auto& [k, n] : v->as_object()) {
        if (n.is_number()) r.lifecycle.counter_from[std::string(k)] = n.to_number<double>();
      }
    }
  }
  return r;
}

}  // namespace

std::string EncodeSnapshot(const std::vector<const Resource*>& resources) {
  json::array items;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  for (const Resource* r : resources) {
    std::string body_json;
    (void)google::protobuf::util::MessageToJsonString(*r->body, &body_json, print);
    json::object o;
    o["service"] = r->service;
    o["kind"] = r->kind;
    o["id"] = r->id;
    o["arn"] = r->arn;
    o["name"] = r->name;
    o["revision"] = r->revision;
    o["scope"] = StringMap(r->scope);
    o["tags"] = StringMap(r->tags);
    o["type"] = r->body->GetDescriptor()->full_name();
    boost::system::error_code ec;
    o["body"] = json::parse(body_json, ec);
    if (!r->feed.empty()) {
      json::array feed;
      for (const auto& entry : r->feed) {
        std::string entry_json;
        (void)google::protobuf::util::MessageToJsonString(*entry, &entry_json, print);
        json::object e;
        e["type"] = entry->GetDescriptor()->full_name();
        e["body"] = json::parse(entry_json, ec);
        feed.push_back(std::move(e));
      }
      o["feed"] = std::move(feed);
    }
    if (!r->lifecycle.track.empty()) {
      json::object l;
      l["track"] = r->lifecycle.track;
      l["started_ms"] = absl::ToUnixMillis(r->lifecycle.started);
      l["entered"] = r->lifecycle.entered;
      l["finished"] = r->lifecycle.finished;
      json::object counters;
      for (const auto& [k, v] : r->lifecycle.counter_from) counters[k] = v;
      l["counter_from"] = std::move(counters);
      o["lifecycle"] = std::move(l);
    }
    items.push_back(std::move(o));
  }
  json::object document;
  document["format"] = kFormat;
  document["version"] = 1;
  document["resources"] = std::move(items);
  return json::serialize(document);
}

absl::StatusOr<std::vector<Resource>> DecodeSnapshot(absl::string_view document) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(document.data(), document.size()), ec);
  if (ec) return Invalid(absl::StrCat("not JSON (", ec.message(), ")"));
  if (!root.is_object()) return Invalid("the document is not an object");
  const json::object& o = root.as_object();
  const json::value* format = o.if_contains("format");
  if (format == nullptr || !format->is_string() || format->as_string() != kFormat) {
    return Invalid(absl::StrCat("\"format\" is not \"", kFormat, "\""));
  }
  const json::value* version = o.if_contains("version");
  if (version == nullptr || !version->is_int64() || version->as_int64() != 1) {
    return Invalid("unsupported \"version\" (this build reads 1)");
  }
  const json::value* resources = o.if_contains("resources");
  if (resources == nullptr || !resources->is_array()) return Invalid("no \"resources\" array");
  std::vector<Resource> out;
  for (const json::value& item : resources->as_array()) {
    absl::StatusOr<Resource> r = DecodeResource(item);
    if (!r.ok()) return r.status();
    out.push_back(*std::move(r));
  }
  return out;
}

absl::StatusOr<std::string> ReadSnapshotFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("snapshot ", path, " does not exist"));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

absl::Status WriteSnapshotFile(const std::string& path, absl::string_view document) {
  const std::string temporary = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(document.data(), static_cast<std::streamsize>(document.size()));
    out.flush();
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write snapshot ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

}  // namespace awsgw::emulator
