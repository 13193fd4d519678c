// restJson1: members bound to the URI template, query string, headers,
// status code or the whole body (payload); the rest in a JSON body.
//
// Body rules (the Smithy restJson1 protocol tests): a payload member is the
// whole body (blob and string raw, with their content type; structures,
// unions and documents as JSON, "{}" when unset); otherwise an input or output
// with body members always has a JSON body, "{}" when none is set; one with no
// body members has no body and no Content-Type.
#include <algorithm>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "boost/json/parse.hpp"
#include "http/uri_encoding.h"
#include "translators/json_codec.h"
#include "translators/message_binding.h"
#include "translators/protocol.h"
#include "translators/protocol_support.h"
#include "translators/timestamp_format.h"
#include "translators/uri_template.h"
#include "translators/wire_values.h"
#include "translators/wkt.h"

namespace awsgw::translators {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// Per operation, parsed once: the URI template.
struct OperationBinding {
  UriTemplate uri;
};

absl::StatusOr<const OperationBinding*> BindingFor(const Operation& op) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* cache =
      new absl::flat_hash_map<const MethodDescriptor*, std::unique_ptr<OperationBinding>>();
  absl::MutexLock lock(&mu);
  auto& entry = (*cache)[op.method];
  if (entry == nullptr) {
    absl::StatusOr<UriTemplate> uri = UriTemplate::Parse(op.info->request_uri());
    if (!uri.ok()) return uri.status();
    entry = std::make_unique<OperationBinding>(OperationBinding{*std::move(uri)});
  }
  return entry.get();
}

absl::Status FieldError(const FieldBinding& fb, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(fb.field->name(), ": ", status.message()));
}

bool IsSet(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  return f->is_repeated() ? r->FieldSize(m, f) > 0 : r->HasField(m, f);
}

// Largest header value the gateway sends (AWS front ends refuse header
// blocks of a few KiB more than this), and largest request target (path and
// query): the most the emulator's router matches, and what AWS takes.
constexpr size_t kMaxHeaderValueBytes = 8192;
constexpr size_t kMaxTargetBytes = UriTemplate::kMaxPathLength;

// A header value may hold printable ASCII and tabs only: CR, LF and NUL would
// split or end the header on the wire, other control bytes and DEL are
// refused or mangled by proxies, and bytes of 0x80 and above have no agreed
// charset in HTTP/1.1 (RFC 9110 calls them obsolete; servers and proxies
// read them as Latin-1, UTF-8 or not at all, so what AWS signs and stores
// could differ from what the caller sent).
absl::Status CheckHeaderText(absl::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u >= 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrFormat("a header value may hold printable ASCII only, not the byte 0x%02X", u));
    }
  }
  if (text.size() > kMaxHeaderValueBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a header value may be at most ", kMaxHeaderValueBytes, " bytes, got ", text.size()));
  }
  return absl::OkStatus();
}

absl::Status CheckHeaderName(absl::string_view name) {
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && !absl::StrContains("!#$%&'*+-.^_`|~", c)) {
      return absl::InvalidArgumentError(absl::StrCat("\"", name, "\" is not a header name"));
    }
  }
  return name.empty() ? absl::InvalidArgumentError("empty header name") : absl::OkStatus();
}

bool IsHttpDateList(const FieldBinding& fb) {
  return fb.field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         IsTimestamp(fb.field->message_type()) &&
         EffectiveFormat(fb.member->timestamp_format(), LOCATION_HEADER) == TIMESTAMP_FORMAT_RFC822;
}

// ---- headers, payload and body: shared by requests and responses ------------

absl::Status WriteHeaders(const Message& m, http::HttpHeaders* headers) {
  for (const FieldBinding& fb : translators::BindingFor(m.GetDescriptor()).fields) {
    if (fb.location == LOCATION_HEADER) {
      absl::StatusOr<std::vector<std::string>> values = FormatMember(m, fb, LOCATION_HEADER);
      if (!values.ok()) return FieldError(fb, values.status());
      if (values->empty()) continue;
      const bool quote = fb.field->cpp_type() == FieldDescriptor::CPPTYPE_STRING;
      std::string value =
          fb.field->is_repeated() ? JoinHeaderList(*values, quote) : std::move(values->front());
      if (absl::Status s = CheckHeaderText(value); !s.ok()) return FieldError(fb, s);
      headers->push_back({fb.wire_name, std::move(value)});
    } else if (fb.location == LOCATION_HEADERS && fb.field->is_map()) {
      const auto* r = m.GetReflection();
      const FieldDescriptor* key = fb.field->message_type()->map_key();
      const FieldDescriptor* value = fb.field->message_type()->map_value();
      std::vector<std::pair<std::string, std::string>> entries;
      for (int i = 0; i < r->FieldSize(m, fb.field); ++i) {
        const Message& entry = r->GetRepeatedMessage(m, fb.field, i);
        absl::StatusOr<std::string> text =
            FormatScalar(entry, value, -1, *fb.member, LOCATION_HEADER);
        if (!text.ok()) return FieldError(fb, text.status());
        entries.emplace_back(
            absl::StrCat(fb.wire_name, entry.GetReflection()->GetString(entry, key)),
            *std::move(text));
      }
      std::sort(entries.begin(), entries.end());
      for (auto& [name, text] : entries) {
        if (absl::Status s = CheckHeaderName(name); !s.ok()) return FieldError(fb, s);
        if (absl::Status s = CheckHeaderText(text); !s.ok()) return FieldError(fb, s);
        headers->push_back({std::move(name), std::move(text)});
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ReadHeaders(const http::HttpHeaders& headers, Message* m) {
  for (const FieldBinding& fb : translators::BindingFor(m->GetDescriptor()).fields) {
    if (fb.location == LOCATION_HEADER) {
      const http::HttpHeader* h = http::FindHeader(headers, fb.wire_name);
      if (h == nullptr) continue;
      std::vector<std::string> values;
      if (fb.field->is_repeated()) {
        values = SplitHeaderList(h->value, IsHttpDateList(fb));
      } else {
        values.push_back(std::string(absl::StripAsciiWhitespace(h->value)));
      }
      if (absl::Status s = ParseMember(values, m, fb, LOCATION_HEADER); !s.ok()) {
        return FieldError(fb, s);
      }
    } else if (fb.location == LOCATION_HEADERS && fb.field->is_map()) {
      const auto* r = m->GetReflection();
      const FieldDescriptor* key = fb.field->message_type()->map_key();
      const FieldDescriptor* value = fb.field->message_type()->map_value();
      for (const http::HttpHeader& h : headers) {
        if (!absl::StartsWithIgnoreCase(h.name, fb.wire_name)) continue;
        Message* entry = r->AddMessage(m, fb.field);
        entry->GetReflection()->SetString(entry, key, h.name.substr(fb.wire_name.size()));
        absl::StatusOr<bool> unknown = ParseScalar(absl::StripAsciiWhitespace(h.value), entry,
                                                   value, false, *fb.member, LOCATION_HEADER);
        if (!unknown.ok()) return FieldError(fb, unknown.status());
      }
    }
  }
  return absl::OkStatus();
}

absl::Status WriteBody(const Message& m, http::HttpHeaders* headers, std::string* body) {
  const MessageBinding& binding = translators::BindingFor(m.GetDescriptor());
  auto set_content_type = [&](absl::string_view type) {
    if (http::FindHeader(*headers, "Content-Type") == nullptr) {
      headers->push_back({"Content-Type", std::string(type)});
    }
  };
  if (const FieldBinding* payload = binding.payload) {
    const FieldDescriptor* f = payload->field;
    const auto* r = m.GetReflection();
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      base::JsonWriter writer(body);
      if (IsSet(m, f)) {
        if (absl::Status s = WriteFieldValue(m, f, writer); !s.ok()) return s;
      } else if (!IsValue(f->message_type()) &&
                 !translators::BindingFor(f->message_type()).is_union) {
        body->assign("{}");  // an unset structure payload is an empty object; a union, nothing
      }
      if (!body->empty()) set_content_type("application/json");
      return absl::OkStatus();
    }
    if (f->type() == FieldDescriptor::TYPE_BYTES) {
      // The blob's content type goes with the operation, set or not.
      set_content_type(payload->member->media_type().empty() ? "application/octet-stream"
                                                             : payload->member->media_type());
      if (IsSet(m, f)) *body = r->GetString(m, f);
      return absl::OkStatus();
    }
    if (!IsSet(m, f) && !(payload->raw && IsSet(m, payload->raw))) return absl::OkStatus();
    {
      absl::StatusOr<std::vector<std::string>> text = FormatMember(m, *payload, LOCATION_BODY);
      if (!text.ok()) return FieldError(*payload, text.status());
      *body = text->empty() ? "" : text->front();
      set_content_type(payload->member->media_type().empty() ? "text/plain"
                                                             : payload->member->media_type());
    }
    return absl::OkStatus();
  }
  if (!binding.has_body_members) return absl::OkStatus();
  base::JsonWriter writer(body);
  if (absl::Status s = WriteJsonObject(m, writer); !s.ok()) return s;
  set_content_type("application/json");
  return absl::OkStatus();
}

absl::Status ReadBody(const std::string& body, Message* m) {
  const MessageBinding& binding = translators::BindingFor(m->GetDescriptor());
  if (const FieldBinding* payload = binding.payload) {
    const FieldDescriptor* f = payload->field;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (body.find_first_not_of(" \t\r\n") == std::string::npos) return absl::OkStatus();
      boost::system::error_code ec;
      boost::json::value json =
          boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
      if (ec) return absl::InvalidArgumentError(absl::StrCat("invalid JSON: ", ec.message()));
      return ReadFieldValue(json, f, m);
    }
    if (body.empty()) return absl::OkStatus();
    if (f->type() == FieldDescriptor::TYPE_BYTES) {
      m->GetReflection()->SetString(m, f, body);
      return absl::OkStatus();
    }
    return ParseMember({body}, m, *payload, LOCATION_BODY);
  }
  if (!binding.has_body_members) return absl::OkStatus();
  return FromJson(body, m);
}

// ---- the protocol ---------------------------------------------------------------

class RestJson final : public Protocol {
 public:
  absl::StatusOr<EncodedRequest> EncodeRequest(const Operation& op,
                                               const Message& request) const override {
    absl::StatusOr<const OperationBinding*> ob = BindingFor(op);
    if (!ob.ok()) return ob.status();
    const MessageBinding& binding = translators::BindingFor(request.GetDescriptor());
    EncodedRequest out;
    absl::StatusOr<std::string> host_prefix = ExpandHostPrefix(op, request);
    if (!host_prefix.ok()) return host_prefix.status();
    out.host_prefix = *std::move(host_prefix);
    out.http.method = op.info->http_method();

    // The member that adds most to the request target, to name when the
    // target is too long.
    const FieldBinding* longest = nullptr;
    size_t longest_bytes = 0;
    auto contributes = [&](const FieldBinding& fb, size_t bytes) {
      if (bytes > longest_bytes) {
        longest = &fb;
        longest_bytes = bytes;
      }
    };

    // Path: every label must be bound to a set, non-empty member.
    absl::flat_hash_map<std::string, std::string> labels;
    for (const FieldBinding& fb : binding.fields) {
      if (fb.location != LOCATION_URI) continue;
      absl::StatusOr<std::vector<std::string>> values = FormatMember(request, fb, LOCATION_URI);
      if (!values.ok()) return FieldError(fb, values.status());
      if (values->empty() || values->front().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(fb.field->name(), ": must be set and non-empty (it is the URI label {",
                         fb.wire_name, "})"));
      }
      if (UriTemplate::IsUnsendableValue(values->front(), (*ob)->uri.IsGreedy(fb.wire_name))) {
        return absl::InvalidArgumentError(absl::StrCat(
            fb.field->name(), ": \"", values->front(),
            "\" is a path segment, not a name: a server normalizing the URI would read it as a "
            "step in the path (it is the URI label {",
            fb.wire_name, "})"));
      }
      contributes(fb, values->front().size());
      labels[fb.wire_name] = std::move(values->front());
    }
    absl::StatusOr<std::string> path = (*ob)->uri.Expand(labels);
    if (!path.ok()) return path.status();
    out.http.path = *std::move(path);

    // Query: constant parameters, then named members, then map members (whose
    // keys never override a parameter already present).
    out.http.query = (*ob)->uri.constant_query();
    auto present = [&](absl::string_view key) {
      return http::FindQueryParam(out.http.query, key) != nullptr;
    };
    for (const FieldBinding& fb : binding.fields) {
      if (fb.location != LOCATION_QUERYSTRING || fb.field->is_map()) continue;
      absl::StatusOr<std::vector<std::string>> values =
          FormatMember(request, fb, LOCATION_QUERYSTRING);
      if (!values.ok()) return FieldError(fb, values.status());
      const std::string key = http::UriEncode(fb.wire_name);
      if (http::FindQueryParam((*ob)->uri.constant_query(), key) != nullptr) {
        continue;  // the template's constant wins
      }
      for (const std::string& v : *values) {
        out.http.query.push_back({key, http::UriEncode(v)});
        contributes(fb, out.http.query.back().value.size());
      }
    }
    for (const FieldBinding& fb : binding.fields) {
      if (fb.location != LOCATION_QUERYSTRING || !fb.field->is_map()) continue;
      const size_t before = http::FormatQueryString(out.http.query).size();
      if (absl::Status s = AppendQueryMap(request, fb, &out.http.query, present); !s.ok()) {
        return FieldError(fb, s);
      }
      contributes(fb, http::FormatQueryString(out.http.query).size() - before);
    }

    const size_t target_bytes =
        out.http.path.size() + 1 + http::FormatQueryString(out.http.query).size();
    if (target_bytes > kMaxTargetBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(longest != nullptr ? longest->field->name() : "the request",
                       ": too long for the request URI, which would be ", target_bytes,
                       " bytes (at most ", kMaxTargetBytes, ")"));
    }
    if (absl::Status s = WriteHeaders(request, &out.http.headers); !s.ok()) return s;
    if (absl::Status s = WriteBody(request, &out.http.headers, &out.http.body); !s.ok()) {
      return s;
    }
    return out;
  }

  absl::Status DecodeResponse(const Operation& op, const http::HttpResponse& http,
                              Message* response) const override {
    for (const FieldBinding& fb : translators::BindingFor(response->GetDescriptor()).fields) {
      if (fb.location == LOCATION_STATUS_CODE) {
        response->GetReflection()->SetInt32(response, fb.field, http.status);
      }
    }
    if (absl::Status s = ReadHeaders(http.headers, response); !s.ok()) return s;
    return ReadBody(http.body, response);
  }

  absl::StatusOr<const MethodDescriptor*> Route(const google::protobuf::ServiceDescriptor* service,
                                                const http::HttpRequest& request) const override {
    const MethodDescriptor* best = nullptr;
    int best_score = -1;
    for (int i = 0; i < service->method_count(); ++i) {
      const Operation op = Operation::For(service->method(i));
      if (!absl::EqualsIgnoreCase(op.info->http_method(), request.method)) continue;
      absl::StatusOr<const OperationBinding*> ob = BindingFor(op);
      if (!ob.ok() || !(*ob)->uri.Match(request.path).has_value()) continue;
      bool constants = true;
      for (const http::QueryParam& q : (*ob)->uri.constant_query()) {
        const http::QueryParam* got = http::FindQueryParam(request.query, q.key);
        constants = constants && got != nullptr && (q.value.empty() || got->value == q.value);
      }
      if (!constants) continue;
      if ((*ob)->uri.Specificity() > best_score) {
        best = op.method;
        best_score = (*ob)->uri.Specificity();
      }
    }
    if (best == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("no operation for ", request.method, " ", request.path));
    }
    return best;
  }

  absl::Status DecodeRequest(const Operation& op, const http::HttpRequest& http,
                             Message* request) const override {
    absl::StatusOr<const OperationBinding*> ob = BindingFor(op);
    if (!ob.ok()) return ob.status();
    const MessageBinding& binding = translators::BindingFor(request->GetDescriptor());
    auto labels = (*ob)->uri.Match(http.path);
    if (!labels.has_value()) return absl::InvalidArgumentError("path does not match the operation");
    for (const FieldBinding& fb : binding.fields) {
      if (fb.location != LOCATION_URI) continue;
      auto it = labels->find(fb.wire_name);
      if (it == labels->end()) continue;
      if (absl::Status s = ParseMember({it->second}, request, fb, LOCATION_URI); !s.ok()) {
        return FieldError(fb, s);
      }
    }

    // Query: decode once; named members take their keys, map members the rest.
    std::vector<std::pair<std::string, std::string>> query;
    for (const http::QueryParam& q : http.query) {
      absl::StatusOr<std::string> key = http::UriDecodeStrict(q.key);
      absl::StatusOr<std::string> value = http::UriDecodeStrict(q.value);
      if (!key.ok()) return key.status();
      if (!value.ok()) return value.status();
      query.emplace_back(*std::move(key), *std::move(value));
    }
    absl::flat_hash_map<std::string, bool> claimed;
    for (const http::QueryParam& q : (*ob)->uri.constant_query()) claimed[q.key] = true;
    for (const FieldBinding& fb : binding.fields) {
      if (fb.location != LOCATION_QUERYSTRING || fb.field->is_map()) continue;
      claimed[fb.wire_name] = true;
      std::vector<std::string> values;
      for (const auto& [k, v] : query) {
        if (k == fb.wire_name) values.push_back(v);
      }
      if (values.empty()) continue;
      if (absl::Status s = ParseMember(values, request, fb, LOCATION_QUERYSTRING); !s.ok()) {
        return FieldError(fb, s);
      }
    }
    for (const FieldBinding& fb : binding.fields) {
      if (fb.location != LOCATION_QUERYSTRING || !fb.field->is_map()) continue;
      if (absl::Status s = ReadQueryMap(query, claimed, fb, request); !s.ok()) {
        return FieldError(fb, s);
      }
    }
    if (absl::Status s = ReadHeaders(http.headers, request); !s.ok()) return s;
    return ReadBody(http.body, request);
  }

  absl::StatusOr<http::HttpResponse> EncodeResponse(const Operation& op,
                                                    const Message& response) const override {
    http::HttpResponse out;
    out.status = op.info->success_code() != 0 ? op.info->success_code() : 200;
    for (const FieldBinding& fb : translators::BindingFor(response.GetDescriptor()).fields) {
      if (fb.location == LOCATION_STATUS_CODE && IsSet(response, fb.field)) {
        out.status = response.GetReflection()->GetInt32(response, fb.field);
      }
    }
    if (absl::Status s = WriteHeaders(response, &out.headers); !s.ok()) return s;
    if (absl::Status s = WriteBody(response, &out.headers, &out.body); !s.ok()) return s;
    return out;
  }

  http::HttpResponse EncodeError(const Operation& op, const AwsError& error,
                                 const Message* details) const override {
    http::HttpResponse out;
    out.status = ErrorHttpStatus(error, details);
    out.headers = {{"Content-Type", "application/json"}, {"x-amzn-ErrorType", error.code}};
    if (details != nullptr) (void)WriteHeaders(*details, &out.headers);
    out.body = ErrorBody(error, details);
    return out;
  }

 private:
  // A map bound to the query string: each key becomes a parameter (each item,
  // for maps of lists).
  template <typename Present>
  static absl::Status AppendQueryMap(const Message& m, const FieldBinding& fb,
                                     http::QueryParams* query, Present present) {
    const auto* r = m.GetReflection();
    const FieldDescriptor* key_field = fb.field->message_type()->map_key();
    const FieldDescriptor* value_field = fb.field->message_type()->map_value();
    std::vector<std::pair<std::string, std::vector<std::string>>> entries;
    for (int i = 0; i < r->FieldSize(m, fb.field); ++i) {
      const Message& entry = r->GetRepeatedMessage(m, fb.field, i);
      std::vector<std::string> values;
      if (value_field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
          translators::BindingFor(value_field->message_type()).is_wrapper) {
        const Message& wrapper = entry.GetReflection()->GetMessage(entry, value_field);
        const FieldBinding& inner =
            translators::BindingFor(value_field->message_type()).fields.front();
        absl::StatusOr<std::vector<std::string>> items =
            FormatMember(wrapper, inner, LOCATION_QUERYSTRING);
        if (!items.ok()) return items.status();
        values = *std::move(items);
      } else {
        absl::StatusOr<std::string> v =
            FormatScalar(entry, value_field, -1, *fb.member, LOCATION_QUERYSTRING);
        if (!v.ok()) return v.status();
        values.push_back(*std::move(v));
      }
      entries.emplace_back(entry.GetReflection()->GetString(entry, key_field), std::move(values));
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& [key, values] : entries) {
      const std::string wire_key = http::UriEncode(key);
      if (present(wire_key)) continue;
      for (const std::string& v : values) query->push_back({wire_key, http::UriEncode(v)});
    }
    return absl::OkStatus();
  }

  static absl::Status ReadQueryMap(const std::vector<std::pair<std::string, std::string>>& query,
                                   const absl::flat_hash_map<std::string, bool>& claimed,
                                   const FieldBinding& fb, Message* m) {
    const auto* r = m->GetReflection();
    const FieldDescriptor* key_field = fb.field->message_type()->map_key();
    const FieldDescriptor* value_field = fb.field->message_type()->map_value();
    const bool lists = value_field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                       translators::BindingFor(value_field->message_type()).is_wrapper;
    absl::flat_hash_map<std::string, Message*> entries;
    for (const auto& [k, v] : query) {
      if (claimed.contains(k)) continue;
      Message*& entry = entries[k];
      if (entry == nullptr) {
        entry = r->AddMessage(m, fb.field);
        entry->GetReflection()->SetString(entry, key_field, k);
      } else if (!lists) {
        continue;  // a scalar map keeps the first value
      }
      if (lists) {
        Message* wrapper = entry->GetReflection()->MutableMessage(entry, value_field);
        const FieldBinding& inner =
            translators::BindingFor(value_field->message_type()).fields.front();
        if (absl::Status s = ParseMember({v}, wrapper, inner, LOCATION_QUERYSTRING); !s.ok()) {
          return s;
        }
      } else {
        absl::StatusOr<bool> unknown =
            ParseScalar(v, entry, value_field, false, *fb.member, LOCATION_QUERYSTRING);
        if (!unknown.ok()) return unknown.status();
      }
    }
    return absl::OkStatus();
  }
};

}  // namespace

const Protocol& RestJsonProtocol() {
  static const auto* protocol = new RestJson();
  return *protocol;
}

}  // namespace awsgw::translators
