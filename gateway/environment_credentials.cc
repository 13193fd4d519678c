#include "gateway/environment_credentials.h"

namespace awsgw::gateway {

EnvironmentCredentials::EnvironmentCredentials(
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  std::optional<std::string> id = getenv("AWS_ACCESS_KEY_ID");
  std::optional<std::string> secret = getenv("AWS_SECRET_ACCESS_KEY");
  if (id.has_value() && secret.has_value()) {
    credentials_.emplace(*id, *secret, getenv("AWS_SESSION_TOKEN").value_or(""));
  }
}

absl::StatusOr<auth::Credentials> EnvironmentCredentials::Current() {
  if (!credentials_.has_value()) {
    return absl::UnavailableError(
        "the gateway has no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
  }
  return *credentials_;
}

}  // namespace awsgw::gateway
