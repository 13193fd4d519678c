#include "gateway/config/unapplied_settings.h"

namespace awsgw::config {

std::vector<std::string> UnappliedSettings(const GatewayConfig& config) {
  std::vector<std::string> notes;
  const CredentialsConfig& credentials = config.credentials;
  if (credentials.has_static_keys() || credentials.profile) {
    notes.push_back(
        "credentials: not used yet; the gateway signs with AWS_ACCESS_KEY_ID, "
        "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN");
  }
  if (config.aws.retry.mode == RetryMode::kAdaptive) {
    notes.push_back("aws.retry.mode: adaptive is not implemented yet; retrying in standard mode");
  }
  if (config.logging.level) {
    notes.push_back("logging.level: not applied yet; every event is logged");
  }
  if (config.metrics.listen) {
    notes.push_back("metrics.listen: metrics are not served yet");
  }
  return notes;
}

}  // namespace awsgw::config
