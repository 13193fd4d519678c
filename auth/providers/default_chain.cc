#include "auth/providers/default_chain.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "auth/providers/container_provider.h"
#include "auth/providers/imds_provider.h"
#include "auth/providers/process_provider.h"
#include "auth/providers/profile_file.h"
#include "auth/providers/role_providers.h"
#include "auth/providers/static_provider.h"

namespace awsgw::auth::providers {
namespace {

std::string Get(const Profile& profile, const std::string& key) {
  auto it = profile.find(key);
  return it == profile.end() ? "" : it->second;
}

bool HasCredentialSettings(const Profile& profile) {
  for (const char* key : {"aws_access_key_id", "aws_secret_access_key", "credential_process",
                          "role_arn", "web_identity_token_file", "sso_start_url", "sso_session"}) {
    if (profile.count(key) > 0) return true;
  }
  return false;
}

template <typename T>
absl::StatusOr<std::optional<std::shared_ptr<CredentialsProvider>>> Shared(
    absl::StatusOr<std::optional<T>> provider) {
  if (!provider.ok()) return provider.status();
  if (!provider->has_value()) return std::nullopt;
  return std::shared_ptr<CredentialsProvider>(**std::move(provider));
}

// Builds providers for profiles, following source_profile links.
class ProfileResolver {
 public:
  ProfileResolver(const ProfileSet& profiles, const ChainSettings& settings)
      : profiles_(profiles), settings_(settings) {}

  absl::StatusOr<std::shared_ptr<CredentialsProvider>> Resolve(const std::string& name) {
    if (!visiting_.insert(name).second) {
      return Error(name, "source_profile links form a cycle");
    }
    const Profile* profile = profiles_.Find(name);
    if (profile == nullptr) return Error(name, "no such profile in the shared config files");
    absl::StatusOr<std::shared_ptr<CredentialsProvider>> provider = FromProfile(name, *profile);
    visiting_.erase(name);
    return provider;
  }

 private:
  static absl::Status Error(const std::string& name, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("profile '", name, "': ", what));
  }

  absl::StatusOr<std::shared_ptr<CredentialsProvider>> FromProfile(const std::string& name,
                                                                   const Profile& profile) {
    if (!Get(profile, "role_arn").empty()) return RoleFromProfile(name, profile);
    if (!Get(profile, "web_identity_token_file").empty()) {
      return Error(name, "web_identity_token_file needs role_arn");
    }
    if (profile.count("aws_access_key_id") > 0 || profile.count("aws_secret_access_key") > 0) {
      return StaticFromProfile(name, profile);
    }
    if (!Get(profile, "credential_process").empty()) {
      return std::make_shared<ProcessProvider>(Get(profile, "credential_process"), name);
    }
    if (profile.count("sso_start_url") > 0 || profile.count("sso_session") > 0) {
      return Error(name,
                   "IAM Identity Center (SSO) profiles are not supported; use "
                   "credential_process, a role or static keys");
    }
    return Error(name, "holds no credentials (aws_access_key_id, credential_process or role_arn)");
  }

  absl::StatusOr<std::shared_ptr<CredentialsProvider>> StaticFromProfile(const std::string& name,
                                                                         const Profile& profile) {
    std::string id = Get(profile, "aws_access_key_id");
    std::string secret = Get(profile, "aws_secret_access_key");
    if (id.empty()) return Error(name, "aws_secret_access_key is set but aws_access_key_id is not");
    if (secret.empty()) {
      return Error(name, "aws_access_key_id is set but aws_secret_access_key is not");
    }
    return std::make_shared<StaticProvider>(
        Credentials(id, secret, Get(profile, "aws_session_token")),
        absl::StrCat("profile '", name, "' (static keys)"));
  }

  absl::StatusOr<std::shared_ptr<CredentialsProvider>> RoleFromProfile(const std::string& name,
                                                                       const Profile& profile) {
    if (!Get(profile, "mfa_serial").empty()) {
      return Error(name, "mfa_serial needs an interactive MFA code, which a server cannot give");
    }
    AssumeRoleParams params;
    params.role_arn = Get(profile, "role_arn");
    params.session_name = Get(profile, "role_session_name");
    params.external_id = Get(profile, "external_id");
    if (std::string duration = Get(profile, "duration_seconds"); !duration.empty()) {
      int seconds = 0;
      if (!absl::SimpleAtoi(duration, &seconds) || seconds < 900 || seconds > 43200) {
        return Error(name, "duration_seconds must be a whole number from 900 to 43200");
      }
      params.duration_seconds = seconds;
    }
    std::string region = Get(profile, "region");
    auto sts = std::make_shared<const StsClient>(settings_.http, settings_.sts_endpoint,
                                                 region.empty() ? settings_.region : region);

    const std::string source_profile = Get(profile, "source_profile");
    const std::string credential_source = Get(profile, "credential_source");
    const std::string token_file = Get(profile, "web_identity_token_file");
    if (static_cast<int>(!source_profile.empty()) + static_cast<int>(!credential_source.empty()) +
            static_cast<int>(!token_file.empty()) !=
        1) {
      return Error(name,
                   "role_arn needs exactly one of source_profile, credential_source and "
                   "web_identity_token_file");
    }
    const std::string description = absl::StrCat("profile '", name, "' (assume role)");
    if (!token_file.empty()) {
      return std::make_shared<WebIdentityProvider>(
          token_file, params, sts, absl::StrCat("profile '", name, "' (web identity)"));
    }
    absl::StatusOr<std::shared_ptr<CredentialsProvider>> source =
        !source_profile.empty() ? SourceProfile(name, source_profile)
                                : CredentialSource(name, credential_source);
    if (!source.ok()) return source.status();
    return std::make_shared<AssumeRoleProvider>(*std::move(source), params, sts, description);
  }

  absl::StatusOr<std::shared_ptr<CredentialsProvider>> SourceProfile(const std::string& name,
                                                                     const std::string& source) {
    // A profile that names itself as its source uses its own static keys.
    if (source == name) {
      const Profile* profile = profiles_.Find(name);
      if (Get(*profile, "aws_access_key_id").empty()) {
        return Error(name, "source_profile names the profile itself, which has no static keys");
      }
      return StaticFromProfile(name, *profile);
    }
    return Resolve(source);
  }

  absl::StatusOr<std::shared_ptr<CredentialsProvider>> CredentialSource(const std::string& name,
                                                                        const std::string& source) {
    absl::StatusOr<std::optional<std::shared_ptr<CredentialsProvider>>> provider;
    absl::string_view unset;  // why the source is not there
    if (source == "Environment") {
      provider = Shared(EnvironmentProvider(settings_.env));
      unset = "no keys are set";
    } else if (source == "EcsContainer") {
      provider = Shared(ContainerProvider::FromEnvironment(settings_.env, settings_.http));
      unset = "no container endpoint is set";
    } else if (source == "Ec2InstanceMetadata") {
      provider = Shared(ImdsProvider::FromEnvironment(settings_.env, settings_.http));
      unset = "AWS_EC2_METADATA_DISABLED is set";
    } else {
      return Error(name,
                   "credential_source must be Environment, EcsContainer or Ec2InstanceMetadata");
    }
    if (!provider.ok()) return provider.status();
    if (!provider->has_value()) {
      return Error(name, absl::StrCat("credential_source ", source, ": ", unset));
    }
    return **std::move(provider);
  }

  const ProfileSet& profiles_;
  const ChainSettings& settings_;
  std::set<std::string> visiting_;
};

absl::StatusOr<std::optional<std::shared_ptr<CredentialsProvider>>> FromSharedFiles(
    const ChainSettings& settings) {
  const std::string name = SelectProfileName(settings.profile, settings.env);
  const bool named = !settings.profile.empty() || !settings.env("AWS_PROFILE").value_or("").empty();
  absl::StatusOr<ProfileSet> profiles = LoadSharedFiles(ResolveSharedFilePaths(settings.env));
  if (!profiles.ok()) return profiles.status();
  const Profile* profile = profiles->Find(name);
  if (profile == nullptr) {
    if (named) {
      return absl::InvalidArgumentError(
          absl::StrCat("profile '", name, "' is not in the shared config files"));
    }
    return std::nullopt;
  }
  if (!HasCredentialSettings(*profile)) {
    if (named) {
      return absl::InvalidArgumentError(absl::StrCat("profile '", name, "' holds no credentials"));
    }
    return std::nullopt;  // a default profile with only a region, say
  }
  absl::StatusOr<std::shared_ptr<CredentialsProvider>> provider =
      ProfileResolver(*profiles, settings).Resolve(name);
  if (!provider.ok()) return provider.status();
  return *std::move(provider);
}

}  // namespace

absl::StatusOr<std::shared_ptr<CredentialsProvider>> ResolveDefaultChain(
    const ChainSettings& settings) {
  if (settings.static_keys.has_value()) {
    const StaticKeys& keys = *settings.static_keys;
    return std::make_shared<StaticProvider>(
        Credentials(keys.access_key_id, keys.secret_access_key, keys.session_token), keys.source);
  }
  auto sts =
      std::make_shared<const StsClient>(settings.http, settings.sts_endpoint, settings.region);
  using Step = std::function<absl::StatusOr<std::optional<std::shared_ptr<CredentialsProvider>>>()>;
  const Step steps[] = {
      [&] { return Shared(EnvironmentProvider(settings.env)); },
      [&] { return FromSharedFiles(settings); },
      [&] { return Shared(WebIdentityProvider::FromEnvironment(settings.env, sts)); },
      [&] { return Shared(ContainerProvider::FromEnvironment(settings.env, settings.http)); },
      [&] { return Shared(ImdsProvider::FromEnvironment(settings.env, settings.http)); },
  };
  for (const Step& step : steps) {
    absl::StatusOr<std::optional<std::shared_ptr<CredentialsProvider>>> provider = step();
    if (!provider.ok()) return provider.status();
    if (provider->has_value()) return **std::move(provider);
  }
  return absl::NotFoundError(
      "no AWS credentials configured: set them in the gateway config, the environment "
      "(AWS_ACCESS_KEY_ID), a profile, a web identity token, or run on ECS/EKS/EC2");
}

absl::StatusOr<std::string> ResolveDefaultRegion(const std::string& profile, const EnvLookup& env) {
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    std::string value = env(name).value_or("");
    if (!value.empty()) return value;
  }
  absl::StatusOr<ProfileSet> profiles = LoadSharedFiles(ResolveSharedFilePaths(env));
  if (!profiles.ok()) return profiles.status();
  const Profile* selected = profiles->Find(SelectProfileName(profile, env));
  return selected == nullptr ? "" : Get(*selected, "region");
}

}  // namespace awsgw::auth::providers
