// The gateway's AWS credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
// and AWS_SESSION_TOKEN, read once at start-up. (The full AWS SDK provider
// chain -- profiles, web identity, container and instance credentials --
// replaces this as the gateway's default.)
#ifndef AWSGW_GATEWAY_ENVIRONMENT_CREDENTIALS_H_
#define AWSGW_GATEWAY_ENVIRONMENT_CREDENTIALS_H_

#include <functional>
#include <optional>
#include <string>

#include "gateway/aws_backend.h"

namespace awsgw::gateway {

class EnvironmentCredentials : public CredentialsSource {
 public:
  explicit EnvironmentCredentials(
      const std::function<std::optional<std::string>(const std::string&)>& getenv);
  absl::StatusOr<auth::Credentials> Current() override;

 private:
  std::optional<auth::Credentials> credentials_;
};

}  // namespace awsgw::gateway

#endif  // AWSGW_GATEWAY_ENVIRONMENT_CREDENTIALS_H_
