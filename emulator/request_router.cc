#include "emulator/request_router.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "http/uri_encoding.h"
#include "translators/protocol.h"

namespace awsgw::emulator {
namespace {

// "AKID/20240101/us-east-1/ecs/aws4_request" -> "ecs".
std::string ServiceOfCredential(absl::string_view credential) {
  std::vector<absl::string_view> parts = absl::StrSplit(credential, '/');
  return parts.size() == 5 ? std::string(parts[3]) : std::string();
}

const google::protobuf::MethodDescriptor* RouteWithin(const EmulatedService& service,
                                                      const http::HttpRequest& request) {
  auto method = translators::ProtocolFor(*service.info).Route(service.descriptor, request);
  return method.ok() ? *method : nullptr;
}

}  // namespace

std::string ScopeServiceName(const http::HttpRequest& request) {
  if (const http::HttpHeader* auth = http::FindHeader(request.headers, "Authorization")) {
    absl::string_view value = auth->value;
    const size_t at = value.find("Credential=");
    if (at == absl::string_view::npos) return "";
    value.remove_prefix(at + sizeof("Credential=") - 1);
    return ServiceOfCredential(value.substr(0, value.find_first_of(", ")));
  }
  if (const http::QueryParam* q = http::FindQueryParam(request.query, "X-Amz-Credential")) {
    return ServiceOfCredential(http::UriDecode(q->value));
  }
  return "";
}

RouteResult RouteRequest(const ServiceRegistry& registry, const http::HttpRequest& request) {
  RouteResult result;
  result.scope_service = ScopeServiceName(request);
  if (const EmulatedService* named = registry.FindBySigningName(result.scope_service)) {
    result.service = named;
    result.method = RouteWithin(*named, request);
    return result;
  }
  // Signed for a service this build does not serve: nothing here answers it.
  if (!result.scope_service.empty()) return result;
  // No usable scope: the X-Amz-Target prefix or the first matching URI
  // template decides, awsJson first (its match is exact).
  const bool has_target = http::FindHeader(request.headers, "X-Amz-Target") != nullptr;
  for (bool json_pass : {true, false}) {
    for (const EmulatedService& service : registry.services()) {
      const bool is_json = service.info->protocol() != PROTOCOL_REST_JSON_1;
      if (is_json != json_pass || (is_json && !has_target)) continue;
      if (const auto* method = RouteWithin(service, request)) {
        result.service = &service;
        result.method = method;
        return result;
      }
    }
  }
  return result;
}

}  // namespace awsgw::emulator
