#include "emulator/empty_collections.h"

#include <string>

#include "base/json_writer.h"
#include "boost/json/parse.hpp"
#include "translators/message_binding.h"

namespace awsgw::emulator {

void AddEmptyCollections(const google::protobuf::Descriptor* output, http::HttpResponse* response) {
  const translators::MessageBinding& binding = translators::BindingFor(output);
  if (binding.payload != nullptr || !binding.has_body_members) return;
  const std::string original = response->body.empty() ? "{}" : response->body;
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(original, ec);
  if (ec || !parsed.is_object()) return;
  const boost::json::object& object = parsed.as_object();
  std::string added;
  for (const translators::FieldBinding& fb : binding.fields) {
    if (fb.location != LOCATION_BODY || !fb.field->is_repeated() || object.contains(fb.wire_name)) {
      continue;
    }
    if (!added.empty()) added.push_back(',');
    base::AppendJsonString(fb.wire_name, &added);
    added.append(fb.field->is_map() ? ":{}" : ":[]");
  }
  if (added.empty()) return;
  // Our own compact JSON: the members go right after the opening brace.
  std::string body = "{" + added;
  if (!object.empty()) body.push_back(',');
  body.append(original, original.find('{') + 1);
  response->body = std::move(body);
}

}  // namespace awsgw::emulator
