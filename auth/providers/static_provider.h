// StaticProvider: credentials known when the gateway starts (the config
// file's keys, AWS_ACCESS_KEY_ID & co., a profile's aws_access_key_id).
#ifndef AWSGW_AUTH_PROVIDERS_STATIC_PROVIDER_H_
#define AWSGW_AUTH_PROVIDERS_STATIC_PROVIDER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "auth/providers/credentials_provider.h"

namespace awsgw::auth::providers {

class StaticProvider : public CredentialsProvider {
 public:
  StaticProvider(Credentials credentials, std::string description)
      : credentials_(std::move(credentials)), description_(std::move(description)) {}

  void Fetch(CredentialsCallback done) override { done(credentials_); }
  std::string Describe() const override { return description_; }

 private:
  Credentials credentials_;
  std::string description_;
};

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. nullopt
// when neither key variable is set; INVALID_ARGUMENT naming the missing
// variable when only one is.
absl::StatusOr<std::optional<std::unique_ptr<CredentialsProvider>>> EnvironmentProvider(
    const EnvLookup& env);

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_STATIC_PROVIDER_H_
