#include "translators/protocol.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/json_writer.h"
#include "translators/json_codec.h"
#include "translators/message_binding.h"
#include "translators/protocol_support.h"
#include "translators/wire_values.h"

namespace awsgw::translators {

const Protocol& AwsJsonProtocol();
const Protocol& RestJsonProtocol();

Operation Operation::For(const google::protobuf::MethodDescriptor* method) {
  return {method, &method->service()->options().GetExtension(awsgw::service),
          &method->options().GetExtension(awsgw::operation)};
}

const Protocol& ProtocolFor(const ServiceInfo& service) {
  return service.protocol() == PROTOCOL_REST_JSON_1 ? RestJsonProtocol() : AwsJsonProtocol();
}

absl::StatusOr<std::string> ExpandHostPrefix(const Operation& op,
                                             const google::protobuf::Message& request) {
  const std::string& prefix = op.info->host_prefix();
  if (prefix.find('{') == std::string::npos) return prefix;
  std::string out;
  size_t pos = 0;
  while (pos < prefix.size()) {
    const size_t open = prefix.find('{', pos);
    if (open == std::string::npos) {
      out.append(prefix, pos);
      break;
    }
    const size_t close = prefix.find('}', open);
    if (close == std::string::npos) return absl::InternalError("bad host prefix " + prefix);
    out.append(prefix, pos, open - pos);
    const std::string label = prefix.substr(open + 1, close - open - 1);
    std::string value;
    for (const FieldBinding& fb : BindingFor(request.GetDescriptor()).fields) {
      if (fb.member->host_label() && fb.member_name == label &&
          request.GetReflection()->HasField(request, fb.field)) {
        value = request.GetReflection()->GetString(request, fb.field);
      }
    }
    bool valid = !value.empty() && value.size() <= 63;
    for (char c : value) valid = valid && (absl::ascii_isalnum(c) || c == '-');
    if (!valid) {
      return absl::InvalidArgumentError(absl::StrCat(
          "host label ", label, " must be 1-63 letters, digits or hyphens, got \"", value, "\""));
    }
    out.append(value);
    pos = close + 1;
  }
  return out;
}

std::string ErrorBody(const AwsError& error, const google::protobuf::Message* details) {
  std::string members;
  if (details != nullptr) {
    absl::StatusOr<std::string> json = ToJson(*details);
    if (json.ok()) members = *std::move(json);
  }
  std::string out;
  base::JsonWriter w(&out);
  w.BeginObject();
  w.Key("__type");
  w.String(error.code);
  // The modeled members, except a message member that would repeat ours.
  bool has_message = false;
  if (members.size() > 2) {
    has_message = members.find("\"message\":") != std::string::npos ||
                  members.find("\"Message\":") != std::string::npos;
    out.push_back(',');
    out.append(members, 1, members.size() - 2);
  }
  if (!has_message) {
    w.Key("message");
    w.String(error.message);
  }
  w.EndObject();
  return out;
}

int ErrorHttpStatus(const AwsError& error, const google::protobuf::Message* details) {
  if (error.http_status != 0) return error.http_status;
  if (details != nullptr) {
    const int status = BindingFor(details->GetDescriptor()).shape->error().http_status();
    if (status != 0) return status;
  }
  return 400;
}

}  // namespace awsgw::translators
