#include "gateway/aws_client/endpoints.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "base/aws_region.h"
#include "base/environment.h"

namespace awsgw::gateway::aws_client {
namespace {

struct Partition {
  const char* region_prefix;
  const char* dns_suffix;
  const char* dual_stack_suffix;
};

// Longest prefixes first; the commercial partition last.
constexpr Partition kPartitions[] = {
    {"us-isob-", "sc2s.sgov.gov", "sc2s.sgov.gov"},
    {"us-isof-", "csp.hci.ic.gov", "csp.hci.ic.gov"},
    {"eu-isoe-", "cloud.adc-e.uk", "cloud.adc-e.uk"},
    {"us-iso-", "c2s.ic.gov", "c2s.ic.gov"},
    {"us-gov-", "amazonaws.com", "api.aws"},
    {"cn-", "amazonaws.com.cn", "api.amazonwebservices.com.cn"},
    {"", "amazonaws.com", "api.aws"},
};

}  // namespace

std::string EndpointEnvVar(absl::string_view service_id) {
  return absl::StrCat("AWS_ENDPOINT_URL_",
                      absl::AsciiStrToUpper(absl::StrReplaceAll(service_id, {{" ", "_"}})));
}

absl::StatusOr<std::string> ResolveEndpoint(const ServiceInfo& service, absl::string_view region,
                                            const EndpointSettings& settings) {
  // Checked even when an override decides the host: the region is signed into
  // every request.
  if (!base::IsPlausibleRegion(region)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", region, "\" is not an AWS region"));
  }
  for (const std::string& key : {service.service_id(), service.model_name()}) {
    if (auto it = settings.overrides.find(key); it != settings.overrides.end()) {
      return it->second;
    }
  }
  auto env = settings.getenv ? settings.getenv : base::ProcessEnvironment;
  if (auto url = env(EndpointEnvVar(service.service_id()))) return *url;
  if (auto url = env("AWS_ENDPOINT_URL")) return *url;

  const Partition* partition = &kPartitions[0];
  for (const Partition& p : kPartitions) {
    if (absl::StartsWith(region, p.region_prefix)) {
      partition = &p;
      break;
    }
  }
  return absl::StrCat(
      "https://", service.endpoint_prefix(), settings.use_fips ? "-fips" : "", ".", region, ".",
      settings.use_dual_stack ? partition->dual_stack_suffix : partition->dns_suffix);
}

}  // namespace awsgw::gateway::aws_client
