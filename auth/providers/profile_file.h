// The AWS shared config and credentials files (~/.aws/config,
// ~/.aws/credentials): INI-style profiles, parsed as the AWS SDKs' shared
// file format specifies.
//
//   [default]                 credentials file: [name]
//   [profile dev]             config file: [profile name] (and [default])
//   region = eu-west-1        key = value; '#' or ';' starts a comment at the
//   s3 =                      start of a line or after whitespace in a value;
//     max_concurrent = 10     an indented line continues the property above
//                             (sub-properties of an empty value are kept as
//                             "s3.max_concurrent")
//
// Sections that are not profiles ([sso-session x], [services x]) and, in the
// credentials file, [profile x] are skipped, as the SDKs do. Anything that is
// not a comment, section or property is an error naming the file and line
// (never the line's text: it may hold a secret).
#ifndef AWSGW_AUTH_PROVIDERS_PROFILE_FILE_H_
#define AWSGW_AUTH_PROVIDERS_PROFILE_FILE_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/providers/credentials_provider.h"

namespace awsgw::auth::providers {

// A profile's properties by key (keys as written; the SDKs' are lowercase).
using Profile = std::map<std::string, std::string>;

struct ProfileSet {
  std::map<std::string, Profile> profiles;

  const Profile* Find(absl::string_view name) const;
};

enum class ProfileFileKind { kConfig, kCredentials };

// Parses one file's text; `file_name` is used in error messages only.
// Repeated sections merge, later properties winning.
absl::StatusOr<ProfileSet> ParseProfileFile(absl::string_view text, ProfileFileKind kind,
                                            absl::string_view file_name);

// Where the two files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else
// ~/.aws/config and ~/.aws/credentials ("~" is HOME).
struct SharedFilePaths {
  std::string config;
  std::string credentials;
};
SharedFilePaths ResolveSharedFilePaths(const EnvLookup& env);

// Both files merged: a property in the credentials file overrides the same
// property of the same profile in the config file. A missing file counts as
// empty; an unreadable or malformed one is an error naming it.
absl::StatusOr<ProfileSet> LoadSharedFiles(const SharedFilePaths& paths);

// The profile to use: `configured` (the gateway config) if set, else
// AWS_PROFILE, else "default".
std::string SelectProfileName(absl::string_view configured, const EnvLookup& env);

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_PROFILE_FILE_H_
