#include "gateway/server/presented_credentials.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "grpc/grpc_security_constants.h"

namespace awsgw::gateway::server {
namespace {

absl::string_view View(const grpc::string_ref& ref) { return {ref.data(), ref.size()}; }

}  // namespace

auth::identity::PresentedCredentials PresentedBy(const grpc::ServerContextBase& context,
                                                 bool read_certificate) {
  auth::identity::PresentedCredentials presented;
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    absl::string_view value = View(it->second);
    constexpr absl::string_view kScheme = "bearer ";
    if (value.size() >= kScheme.size() &&
        absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
      value.remove_prefix(kScheme.size());
      presented.bearer_token = std::string(absl::StripAsciiWhitespace(value));
    } else {
      // Basic, AWS4-HMAC-SHA256, ...: not a credential this gateway takes.
      presented.bearer_token = std::string();
    }
  }
  if (auto it = metadata.find("x-api-key"); it != metadata.end()) {
    presented.api_key = std::string(View(it->second));
  }
  if (!read_certificate) return presented;
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return presented;
  presented.has_client_certificate =
      !auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME).empty();
  if (!presented.has_client_certificate) return presented;
  for (const grpc::string_ref& uri : auth->FindPropertyValues(GRPC_PEER_URI_PROPERTY_NAME)) {
    presented.uri_sans.emplace_back(View(uri));
  }
  for (const grpc::string_ref& dns : auth->FindPropertyValues(GRPC_PEER_DNS_PROPERTY_NAME)) {
    presented.dns_sans.emplace_back(View(dns));
  }
  std::vector<grpc::string_ref> cn = auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  if (!cn.empty()) presented.common_name = std::string(View(cn.front()));
  return presented;
}

}  // namespace awsgw::gateway::server
