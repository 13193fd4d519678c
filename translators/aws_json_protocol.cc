// awsJson1_0 and awsJson1_1: every request is POST / with the operation in
// X-Amz-Target and all members in a JSON body; responses are JSON bodies.
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "translators/json_codec.h"
#include "translators/protocol.h"
#include "translators/protocol_support.h"

namespace awsgw::translators {
namespace {

std::string ContentType(const Operation& op) {
  return absl::StrCat("application/x-amz-json-", op.service->json_version());
}

class AwsJson final : public Protocol {
 public:
  absl::StatusOr<EncodedRequest> EncodeRequest(
      const Operation& op, const google::protobuf::Message& request) const override {
    EncodedRequest out;
    absl::StatusOr<std::string> host_prefix = ExpandHostPrefix(op, request);
    if (!host_prefix.ok()) return host_prefix.status();
    out.host_prefix = *std::move(host_prefix);
    absl::StatusOr<std::string> body = ToJson(request);
    if (!body.ok()) return body.status();
    out.http.method = "POST";
    out.http.path = "/";
    out.http.headers = {
        {"Content-Type", ContentType(op)},
        {"X-Amz-Target", absl::StrCat(op.service->target_prefix(), ".", op.info->name())}};
    out.http.body = *std::move(body);
    return out;
  }

  absl::Status DecodeResponse(const Operation& op, const http::HttpResponse& http,
                              google::protobuf::Message* response) const override {
    return FromJson(http.body, response);
  }

  absl::StatusOr<const google::protobuf::MethodDescriptor*> Route(
      const google::protobuf::ServiceDescriptor* service,
      const http::HttpRequest& request) const override {
    const http::HttpHeader* target = http::FindHeader(request.headers, "X-Amz-Target");
    if (target == nullptr) return absl::NotFoundError("missing X-Amz-Target header");
    const ServiceInfo& info = service->options().GetExtension(awsgw::service);
    absl::string_view name = target->value;
    if (!absl::ConsumePrefix(&name, info.target_prefix()) || !absl::ConsumePrefix(&name, ".")) {
      return absl::NotFoundError(absl::StrCat("unknown target ", target->value));
    }
    for (int i = 0; i < service->method_count(); ++i) {
      if (service->method(i)->options().GetExtension(awsgw::operation).name() == name) {
        return service->method(i);
      }
    }
    return absl::NotFoundError(absl::StrCat("unknown operation ", target->value));
  }

  absl::Status DecodeRequest(const Operation& op, const http::HttpRequest& http,
                             google::protobuf::Message* request) const override {
    return FromJson(http.body, request);
  }

  absl::StatusOr<http::HttpResponse> EncodeResponse(
      const Operation& op, const google::protobuf::Message& response) const override {
    absl::StatusOr<std::string> body = ToJson(response);
    if (!body.ok()) return body.status();
    http::HttpResponse out;
    out.status = 200;
    out.headers = {{"Content-Type", ContentType(op)}};
    out.body = *std::move(body);
    return out;
  }

  http::HttpResponse EncodeError(const Operation& op, const AwsError& error,
                                 const google::protobuf::Message* details) const override {
    http::HttpResponse out;
    out.status = ErrorHttpStatus(error, details);
    out.headers = {{"Content-Type", ContentType(op)}, {"x-amzn-ErrorType", error.code}};
    out.body = ErrorBody(error, details);
    return out;
  }
};

}  // namespace

const Protocol& AwsJsonProtocol() {
  static const auto* protocol = new AwsJson();
  return *protocol;
}

}  // namespace awsgw::translators
