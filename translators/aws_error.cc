#include "translators/aws_error.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/json/parse.hpp"
#include "translators/json_codec.h"
#include "translators/message_binding.h"
#include "translators/protocol.h"
#include "translators/wire_values.h"

namespace awsgw::translators {
namespace {

// "aws.protocoltests.restjson#FooError:http://internal.amazon.com/..." -> "FooError".
std::string SanitizeCode(absl::string_view code) {
  code = code.substr(0, code.find(':'));
  if (size_t hash = code.rfind('#'); hash != absl::string_view::npos) {
    code = code.substr(hash + 1);
  }
  return std::string(absl::StripAsciiWhitespace(code));
}

std::string StringMember(const boost::json::object& body, absl::string_view key) {
  auto it = body.find(boost::json::string_view(key.data(), key.size()));
  if (it == body.end() || !it->value().is_string()) return "";
  return std::string(it->value().get_string().data(), it->value().get_string().size());
}

}  // namespace

AwsError ParseAwsError(const http::HttpResponse& response) {
  AwsError error;
  error.http_status = response.status;
  for (const char* name : {"x-amzn-RequestId", "x-amz-request-id"}) {
    if (const http::HttpHeader* h = http::FindHeader(response.headers, name)) {
      error.request_id = h->value;
      break;
    }
  }
  for (const char* name : {"x-amz-retry-after", "Retry-After"}) {
    if (const http::HttpHeader* h = http::FindHeader(response.headers, name)) {
      double seconds = 0;
      if (absl::SimpleAtod(absl::StripAsciiWhitespace(h->value), &seconds) && seconds >= 0) {
        // x-amz-retry-after is in milliseconds, Retry-After in seconds.
        error.retry_after = absl::EqualsIgnoreCase(name, "Retry-After")
                                ? absl::Seconds(seconds)
                                : absl::Milliseconds(seconds);
        break;
      }
    }
  }

  std::string code;
  if (const http::HttpHeader* h = http::FindHeader(response.headers, "x-amzn-ErrorType")) {
    code = h->value;
  }
  boost::system::error_code ec;
  boost::json::value body;
  if (!response.body.empty()) {
    body = boost::json::parse(boost::json::string_view(response.body.data(), response.body.size()),
                              ec);
  }
  if (!ec && body.is_object()) {
    const boost::json::object& obj = body.get_object();
    if (code.empty()) code = StringMember(obj, "__type");
    if (code.empty()) code = StringMember(obj, "code");
    if (code.empty()) code = StringMember(obj, "Code");
    error.message = StringMember(obj, "message");
    if (error.message.empty()) error.message = StringMember(obj, "Message");
    if (error.message.empty()) error.message = StringMember(obj, "errorMessage");
  } else if (!response.body.empty()) {
    // Not JSON: say what came back without echoing a large or binary body.
    absl::string_view start(response.body.data(), std::min<size_t>(response.body.size(), 120));
    bool printable = true;
    for (char c : start) printable = printable && (absl::ascii_isprint(c) || c == '\n');
    error.message = absl::StrCat("HTTP ", response.status, " with a non-JSON body",
                                 printable ? absl::StrCat(": ", start) : std::string());
  }
  error.code = SanitizeCode(code);
  if (error.message.empty() && error.code.empty()) {
    error.message = absl::StrCat("HTTP ", response.status, " with no error code");
  }
  return error;
}

const google::protobuf::Descriptor* ModeledErrorType(const Operation& op, absl::string_view code) {
  if (code.empty()) return nullptr;
  const google::protobuf::FileDescriptor* file = op.method->file();
  auto matches = [&](const google::protobuf::Descriptor* type) {
    return type != nullptr && type->options().HasExtension(awsgw::shape) &&
           type->options().GetExtension(awsgw::shape).error().code() == code;
  };
  for (const std::string& name : op.info->errors()) {
    const google::protobuf::Descriptor* type =
        file->pool()->FindMessageTypeByName(absl::StrCat(file->package(), ".", name));
    if (matches(type)) return type;
  }
  // AWS answers errors its models do not list for the operation (a service's
  // common errors); like the SDKs, look through all of the service's errors.
  for (int i = 0; i < file->message_type_count(); ++i) {
    if (matches(file->message_type(i))) return file->message_type(i);
  }
  return nullptr;
}

std::unique_ptr<google::protobuf::Message> DecodeModeledError(
    const Operation& op, const AwsError& error, const http::HttpResponse& response,
    google::protobuf::MessageFactory* factory) {
  const google::protobuf::Descriptor* type = ModeledErrorType(op, error.code);
  if (type == nullptr) return nullptr;
  const google::protobuf::Message* prototype = factory->GetPrototype(type);
  if (prototype == nullptr) return nullptr;
  std::unique_ptr<google::protobuf::Message> details(prototype->New());
  if (!FromJson(response.body, details.get()).ok()) return nullptr;
  for (const FieldBinding& fb : BindingFor(type).fields) {
    if (fb.location == LOCATION_STATUS_CODE) {
      details->GetReflection()->SetInt32(details.get(), fb.field, response.status);
    } else if (fb.location == LOCATION_HEADER) {
      if (const http::HttpHeader* h = http::FindHeader(response.headers, fb.wire_name)) {
        (void)ParseMember({h->value}, details.get(), fb, LOCATION_HEADER);
      }
    }
  }
  return details;
}

}  // namespace awsgw::translators
