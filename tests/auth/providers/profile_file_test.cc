#include "auth/providers/profile_file.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::providers {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ProfileSet ParseOk(absl::string_view text, ProfileFileKind kind = ProfileFileKind::kConfig) {
  absl::StatusOr<ProfileSet> set = ParseProfileFile(text, kind, "config");
  EXPECT_TRUE(set.ok()) << set.status();
  return set.ok() ? *set : ProfileSet{};
}

TEST(ProfileFileTest, ConfigFileSectionsAndProperties) {
  ProfileSet set = ParseOk(
      "# comment\n"
      "[default]\n"
      "region = eu-west-1 ; trailing comment\n"
      "\n"
      "[profile dev]\r\n"
      "  role_arn=arn:aws:iam::123456789012:role/dev\r\n"
      "source_profile = default\n"
      "[sso-session corp]\n"
      "sso_region = us-east-1\n"
      "[dev]\n"
      "ignored = because config files need 'profile '\n");
  ASSERT_NE(set.Find("default"), nullptr);
  EXPECT_EQ(set.Find("default")->at("region"), "eu-west-1");
  ASSERT_NE(set.Find("dev"), nullptr);
  EXPECT_EQ(set.Find("dev")->at("role_arn"), "arn:aws:iam::123456789012:role/dev");
  EXPECT_EQ(set.Find("dev")->at("source_profile"), "default");
  EXPECT_EQ(set.Find("dev")->count("ignored"), 0u);
  EXPECT_EQ(set.Find("corp"), nullptr);
}

TEST(ProfileFileTest, CredentialsFileSkipsProfilePrefix) {
  ProfileSet set =
      ParseOk("[dev]\naws_access_key_id = AKID\n[profile other]\naws_access_key_id = X\n",
              ProfileFileKind::kCredentials);
  EXPECT_EQ(set.Find("dev")->at("aws_access_key_id"), "AKID");
  EXPECT_EQ(set.Find("other"), nullptr);
}

TEST(ProfileFileTest, SubPropertiesAndContinuations) {
  ProfileSet set = ParseOk(
      "[default]\n"
      "s3 =\n"
      "  max_concurrent_requests = 10\n"
      "  addressing_style = path\n"
      "credential_process = /bin/tool\n"
      "  --flag value\n");
  const Profile& p = *set.Find("default");
  EXPECT_EQ(p.at("s3.max_concurrent_requests"), "10");
  EXPECT_EQ(p.at("s3.addressing_style"), "path");
  EXPECT_EQ(p.at("credential_process"), "/bin/tool\n--flag value");
}

TEST(ProfileFileTest, ValueKeepsHashWithoutPrecedingSpace) {
  ProfileSet set = ParseOk("[default]\nkey = a#b;c # comment\n");
  EXPECT_EQ(set.Find("default")->at("key"), "a#b;c");
}

TEST(ProfileFileTest, RepeatedSectionsMergeLaterWins) {
  ProfileSet set = ParseOk("[default]\na = 1\nb = 2\n[default]\nb = 3\n");
  EXPECT_EQ(set.Find("default")->at("a"), "1");
  EXPECT_EQ(set.Find("default")->at("b"), "3");
}

TEST(ProfileFileTest, ErrorsNameFileAndLineButNeverTheText) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"[default]\nwJalrXUtnFEMISECRETKEY\n", "config:2: expected '[section]' or 'key = value'"},
      {"key = value\n", "config:1: property outside of any [section]"},
      {"[default\n", "config:1: section header without ']'"},
      {"[default]\n= value\n", "config:2: property without a key"},
      {"[]\n", "config:1: empty section name"},
      {"[default] junk\n", "config:1: unexpected text after a section header"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ProfileSet> set = ParseProfileFile(c.text, ProfileFileKind::kConfig, "config");
    ASSERT_FALSE(set.ok()) << c.text;
    EXPECT_EQ(set.status().message(), c.message) << c.text;
    EXPECT_THAT(std::string(set.status().message()), Not(HasSubstr("SECRET")));
  }
}

TEST(ProfileFileTest, PathsFollowEnvironmentAndHome) {
  EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return "/home/u";
    if (name == "AWS_CONFIG_FILE") return "/etc/aws/config";
    return std::nullopt;
  };
  SharedFilePaths paths = ResolveSharedFilePaths(env);
  EXPECT_EQ(paths.config, "/etc/aws/config");
  EXPECT_EQ(paths.credentials, "/home/u/.aws/credentials");
}

TEST(ProfileFileTest, LoadMergesCredentialsOverConfigAndToleratesMissingFiles) {
  std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/cfg") << "[profile dev]\nregion = eu-west-1\naws_access_key_id = OLD\n";
  std::ofstream(dir + "/creds") << "[dev]\naws_access_key_id = NEW\n";
  absl::StatusOr<ProfileSet> set = LoadSharedFiles({dir + "/cfg", dir + "/creds"});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->Find("dev")->at("region"), "eu-west-1");
  EXPECT_EQ(set->Find("dev")->at("aws_access_key_id"), "NEW");

  absl::StatusOr<ProfileSet> none = LoadSharedFiles({dir + "/absent1", dir + "/absent2"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->profiles.empty());

  std::ofstream(dir + "/bad") << "[default]\nnot a property\n";
  absl::StatusOr<ProfileSet> bad = LoadSharedFiles({dir + "/bad", dir + "/absent"});
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("/bad:2:"));
}

TEST(ProfileFileTest, SelectedProfile) {
  EnvLookup with_env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_PROFILE") return "from-env";
    return std::nullopt;
  };
  EnvLookup empty = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  EXPECT_EQ(SelectProfileName("configured", with_env), "configured");
  EXPECT_EQ(SelectProfileName("", with_env), "from-env");
  EXPECT_EQ(SelectProfileName("", empty), "default");
}

}  // namespace
}  // namespace awsgw::auth::providers
