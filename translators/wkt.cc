#include "translators/wkt.h"

#include <string>

namespace awsgw::translators {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool IsTimestamp(const Descriptor* type) {
  return type->full_name() == "google.protobuf.Timestamp";
}

bool IsValue(const Descriptor* type) { return type->full_name() == "google.protobuf.Value"; }

google::protobuf::Timestamp ReadTimestamp(const Message& message) {
  if (const auto* ts = dynamic_cast<const google::protobuf::Timestamp*>(&message)) return *ts;
  const auto* r = message.GetReflection();
  const Descriptor* d = message.GetDescriptor();
  google::protobuf::Timestamp ts;
  ts.set_seconds(r->GetInt64(message, d->FindFieldByNumber(1)));
  ts.set_nanos(r->GetInt32(message, d->FindFieldByNumber(2)));
  return ts;
}

void WriteTimestamp(const google::protobuf::Timestamp& ts, Message* message) {
  if (auto* generated = dynamic_cast<google::protobuf::Timestamp*>(message)) {
    *generated = ts;
    return;
  }
  const auto* r = message->GetReflection();
  const Descriptor* d = message->GetDescriptor();
  r->SetInt64(message, d->FindFieldByNumber(1), ts.seconds());
  r->SetInt32(message, d->FindFieldByNumber(2), ts.nanos());
}

absl::Status JsonToValue(const boost::json::value& json, Message* value) {
  const auto* r = value->GetReflection();
  const Descriptor* d = value->GetDescriptor();
  switch (json.kind()) {
    case boost::json::kind::null:
      r->SetEnumValue(value, d->FindFieldByName("null_value"), 0);
      break;
    case boost::json::kind::bool_:
      r->SetBool(value, d->FindFieldByName("bool_value"), json.get_bool());
      break;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      r->SetDouble(value, d->FindFieldByName("number_value"), json.to_number<double>());
      break;
    case boost::json::kind::string:
      r->SetString(value, d->FindFieldByName("string_value"),
                   std::string(json.get_string().data(), json.get_string().size()));
      break;
    case boost::json::kind::array: {
      Message* list = r->MutableMessage(value, d->FindFieldByName("list_value"));
      const FieldDescriptor* values = list->GetDescriptor()->FindFieldByName("values");
      for (const boost::json::value& item : json.get_array()) {
        if (absl::Status s = JsonToValue(item, list->GetReflection()->AddMessage(list, values));
            !s.ok()) {
          return s;
        }
      }
      break;
    }
    case boost::json::kind::object: {
      Message* st = r->MutableMessage(value, d->FindFieldByName("struct_value"));
      const FieldDescriptor* fields = st->GetDescriptor()->FindFieldByName("fields");
      for (const auto& [key, item] : json.get_object()) {
        Message* entry = st->GetReflection()->AddMessage(st, fields);
        const Descriptor* ed = entry->GetDescriptor();
        entry->GetReflection()->SetString(entry, ed->map_key(),
                                          std::string(key.data(), key.size()));
        if (absl::Status s =
                JsonToValue(item, entry->GetReflection()->MutableMessage(entry, ed->map_value()));
            !s.ok()) {
          return s;
        }
      }
      break;
    }
  }
  return absl::OkStatus();
}

}  // namespace awsgw::translators
