#include "auth/providers/static_provider.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace awsgw::auth::providers {

absl::StatusOr<std::optional<std::unique_ptr<CredentialsProvider>>> EnvironmentProvider(
    const EnvLookup& env) {
  auto non_empty = [&env](const char* name) {
    std::optional<std::string> value = env(name);
    return value.has_value() && !value->empty() ? value : std::nullopt;
  };
  std::optional<std::string> id = non_empty("AWS_ACCESS_KEY_ID");
  std::optional<std::string> secret = non_empty("AWS_SECRET_ACCESS_KEY");
  if (!id.has_value() && !secret.has_value()) return std::nullopt;
  if (!id.has_value() || !secret.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "environment credentials are incomplete: ",
        id.has_value() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID", " is not set while ",
        id.has_value() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY", " is"));
  }
  Credentials credentials(*id, *secret, non_empty("AWS_SESSION_TOKEN").value_or(""));
  return std::make_unique<StaticProvider>(std::move(credentials), "environment");
}

}  // namespace awsgw::auth::providers
