// Which source the default chain picks, in which order, and how it refuses
// broken settings. Nothing here touches the network: resolving the chain
// fetches nothing.
#include "auth/providers/default_chain.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::providers {
namespace {

using ::testing::HasSubstr;

class DefaultChainTest : public ::testing::Test {
 protected:
  DefaultChainTest() {
    dir_ = ::testing::TempDir() + "/chain_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);  // a previous run's files
    std::filesystem::create_directories(dir_);
    vars_["AWS_CONFIG_FILE"] = dir_ + "/config";
    vars_["AWS_SHARED_CREDENTIALS_FILE"] = dir_ + "/credentials";
    vars_["AWS_EC2_METADATA_DISABLED"] = "true";
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  absl::StatusOr<std::shared_ptr<CredentialsProvider>> Resolve(ChainSettings settings = {}) {
    settings.env = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    settings.sts_endpoint = [](absl::string_view) -> absl::StatusOr<std::string> {
      return std::string("https://sts.example");
    };
    return ResolveDefaultChain(settings);
  }
  std::string Source(ChainSettings settings = {}) {
    absl::StatusOr<std::shared_ptr<CredentialsProvider>> p = Resolve(std::move(settings));
    return p.ok() ? (*p)->Describe() : std::string(p.status().message());
  }

  std::string dir_;
  std::map<std::string, std::string> vars_;
};

TEST_F(DefaultChainTest, SourcesInTheSdkOrder) {
  // Everything configured at once; remove the winner each time.
  Write("credentials", "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n");
  Write("token", "jwt");
  vars_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  vars_["AWS_SECRET_ACCESS_KEY"] = "s";
  vars_["AWS_WEB_IDENTITY_TOKEN_FILE"] = dir_ + "/token";
  vars_["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/r";
  vars_["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  vars_.erase("AWS_EC2_METADATA_DISABLED");

  ChainSettings with_static;
  with_static.static_keys = StaticKeys{"AKIDCONFIG", "s", ""};
  EXPECT_EQ(Source(with_static), "gateway config");
  EXPECT_EQ(Source(), "environment");
  vars_.erase("AWS_ACCESS_KEY_ID");
  vars_.erase("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(Source(), "profile 'default' (static keys)");
  Write("credentials", "");
  EXPECT_EQ(Source(), "web identity (environment)");
  vars_.erase("AWS_WEB_IDENTITY_TOKEN_FILE");
  EXPECT_EQ(Source(), "container credentials endpoint");
  vars_.erase("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  EXPECT_EQ(Source(), "instance metadata (IMDSv2)");
  vars_["AWS_EC2_METADATA_DISABLED"] = "true";
  absl::StatusOr<std::shared_ptr<CredentialsProvider>> none = Resolve();
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DefaultChainTest, StaticKeysFromEnvironmentCarryTheSessionToken) {
  vars_["AWS_ACCESS_KEY_ID"] = "ASIAENV";
  vars_["AWS_SECRET_ACCESS_KEY"] = "s";
  vars_["AWS_SESSION_TOKEN"] = "tok";
  absl::StatusOr<std::shared_ptr<CredentialsProvider>> p = Resolve();
  ASSERT_TRUE(p.ok());
  absl::StatusOr<Credentials> got = absl::UnknownError("");
  (*p)->Fetch([&](absl::StatusOr<Credentials> c) { got = std::move(c); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->session_token(), "tok");
}

TEST_F(DefaultChainTest, BrokenSettingsAreErrorsNotFallThrough) {
  vars_["AWS_ACCESS_KEY_ID"] = "AKID";
  EXPECT_EQ(Source(),
            "environment credentials are incomplete: AWS_SECRET_ACCESS_KEY is not set "
            "while AWS_ACCESS_KEY_ID is");
  vars_.erase("AWS_ACCESS_KEY_ID");

  vars_["AWS_PROFILE"] = "missing";
  EXPECT_EQ(Source(), "profile 'missing' is not in the shared config files");
  vars_.erase("AWS_PROFILE");

  vars_["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/t";
  EXPECT_EQ(Source(), "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
  vars_.erase("AWS_WEB_IDENTITY_TOKEN_FILE");

  vars_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://10.0.0.1/creds";
  EXPECT_THAT(Source(), HasSubstr("plain http is only allowed to a loopback or AWS metadata host"));
  vars_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "https://creds.example/v1";
  EXPECT_EQ(Source(), "container credentials endpoint");
  vars_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://169.254.170.23/v1/credentials";
  EXPECT_EQ(Source(), "container credentials endpoint");

  Write("config", "[default]\nnot a property\n");
  EXPECT_EQ(Source(), dir_ + "/config:2: expected '[section]' or 'key = value'");
}

TEST_F(DefaultChainTest, ProfileKinds) {
  Write("config",
        "[profile keys]\naws_access_key_id = AKID\naws_secret_access_key = s\n"
        "[profile half]\naws_access_key_id = AKID\n"
        "[profile process]\ncredential_process = /bin/true\n"
        "[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n"
        "[profile env-role]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n"
        "[profile imds-role]\nrole_arn = arn:aws:iam::1:role/r\n"
        "credential_source = Ec2InstanceMetadata\n"
        "[profile bad-source]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Moon\n"
        "[profile web]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /t\n"
        "[profile both]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n"
        "credential_source = Environment\n"
        "[profile loop-a]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = loop-b\n"
        "[profile loop-b]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = loop-a\n"
        "[profile self]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = self\n"
        "aws_access_key_id = AKID\naws_secret_access_key = s\n"
        "[profile mfa]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n"
        "mfa_serial = arn:aws:iam::1:mfa/u\n"
        "[profile long]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n"
        "duration_seconds = 99\n"
        "[profile sso]\nsso_session = corp\n"
        "[profile region-only]\nregion = eu-west-1\n");
  vars_["AWS_ACCESS_KEY_ID"] = "AKID";
  vars_["AWS_SECRET_ACCESS_KEY"] = "s";
  auto source = [&](const std::string& profile) {
    ChainSettings settings;
    settings.profile = profile;
    return Source(settings);
  };
  // A profile named in the gateway config wins over the environment? No:
  // the environment comes first in the chain, as in the SDKs.
  EXPECT_EQ(source("keys"), "environment");
  vars_.erase("AWS_ACCESS_KEY_ID");
  vars_.erase("AWS_SECRET_ACCESS_KEY");

  EXPECT_EQ(source("keys"), "profile 'keys' (static keys)");
  EXPECT_EQ(source("half"),
            "profile 'half': aws_access_key_id is set but aws_secret_access_key "
            "is not");
  EXPECT_EQ(source("process"), "profile 'process' (credential_process)");
  EXPECT_EQ(source("role"), "profile 'role' (assume role)");
  EXPECT_EQ(source("env-role"),
            "profile 'env-role': credential_source Environment: no keys are set");
  EXPECT_EQ(source("imds-role"),
            "profile 'imds-role': credential_source Ec2InstanceMetadata: "
            "AWS_EC2_METADATA_DISABLED is set");
  EXPECT_EQ(source("bad-source"),
            "profile 'bad-source': credential_source must be Environment, "
            "EcsContainer or Ec2InstanceMetadata");
  EXPECT_EQ(source("web"), "profile 'web' (web identity)");
  EXPECT_EQ(source("both"),
            "profile 'both': role_arn needs exactly one of source_profile, "
            "credential_source and web_identity_token_file");
  EXPECT_EQ(source("loop-a"), "profile 'loop-a': source_profile links form a cycle");
  EXPECT_EQ(source("self"), "profile 'self' (assume role)");
  EXPECT_THAT(source("mfa"), HasSubstr("mfa_serial needs an interactive MFA code"));
  EXPECT_EQ(source("long"),
            "profile 'long': duration_seconds must be a whole number from 900 "
            "to 43200");
  EXPECT_THAT(source("sso"), HasSubstr("(SSO) profiles are not supported"));
  EXPECT_EQ(source("region-only"), "profile 'region-only' holds no credentials");
}

TEST_F(DefaultChainTest, DefaultProfileWithoutCredentialsFallsThrough) {
  Write("config", "[default]\nregion = eu-west-1\n");
  EXPECT_EQ(Resolve().status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DefaultChainTest, RegionOrder) {
  Write("config", "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n");
  EnvLookup env = [this](const std::string& name) -> std::optional<std::string> {
    auto it = vars_.find(name);
    if (it == vars_.end()) return std::nullopt;
    return it->second;
  };
  EXPECT_EQ(*ResolveDefaultRegion("", env), "eu-west-1");
  EXPECT_EQ(*ResolveDefaultRegion("dev", env), "ap-south-1");
  vars_["AWS_DEFAULT_REGION"] = "us-west-2";
  EXPECT_EQ(*ResolveDefaultRegion("dev", env), "us-west-2");
  vars_["AWS_REGION"] = "us-east-2";
  EXPECT_EQ(*ResolveDefaultRegion("dev", env), "us-east-2");
}

}  // namespace
}  // namespace awsgw::auth::providers
