#include "gateway/aws_client/credentials_setup.h"

namespace awsgw::gateway::aws_client {
namespace {

// STS is not one of the gateway's services, so it has no generated options;
// these are the facts its endpoint rules need.
ServiceInfo StsServiceInfo() {
  ServiceInfo sts;
  sts.set_service_id("STS");
  sts.set_model_name("sts");
  sts.set_endpoint_prefix("sts");
  sts.set_signing_name("sts");
  return sts;
}

// Stands in when no source is configured at all: the gateway still starts
// (reporting NOT_SERVING), and every call says why it cannot be signed.
class NoSourceProvider : public auth::providers::CredentialsProvider {
 public:
  explicit NoSourceProvider(absl::Status why) : why_(std::move(why)) {}
  void Fetch(auth::providers::CredentialsCallback done) override { done(why_); }
  std::string Describe() const override { return "no source"; }

 private:
  absl::Status why_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<auth::providers::CredentialsCache>> MakeGatewayCredentials(
    const CredentialsSetup& setup, std::shared_ptr<http::client::HttpClient> http) {
  auth::providers::ChainSettings chain;
  chain.static_keys = setup.static_keys;
  chain.profile = setup.profile;
  chain.region = setup.region;
  chain.env = setup.env;
  chain.http = std::move(http);
  EndpointSettings endpoints = setup.endpoints;
  if (!endpoints.getenv) endpoints.getenv = setup.env;
  chain.sts_endpoint = [endpoints](absl::string_view region) {
    static const ServiceInfo* const sts = new ServiceInfo(StsServiceInfo());
    return ResolveEndpoint(*sts, region, endpoints);
  };
  absl::StatusOr<std::shared_ptr<auth::providers::CredentialsProvider>> provider =
      auth::providers::ResolveDefaultChain(chain);
  if (absl::IsNotFound(provider.status())) {
    provider = std::make_shared<NoSourceProvider>(provider.status());
  }
  if (!provider.ok()) return provider.status();
  return std::make_shared<auth::providers::CredentialsCache>(*std::move(provider));
}

absl::StatusOr<std::string> ResolveGatewayRegion(const std::string& configured,
                                                 const std::string& profile,
                                                 const base::EnvLookup& env) {
  if (!configured.empty()) return configured;
  return auth::providers::ResolveDefaultRegion(profile, env);
}

}  // namespace awsgw::gateway::aws_client
