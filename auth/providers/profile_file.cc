#include "auth/providers/profile_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace awsgw::auth::providers {
namespace {

bool IsCommentStart(char c) { return c == '#' || c == ';'; }

// `value` without a trailing comment: '#' or ';' preceded by whitespace.
absl::string_view StripValueComment(absl::string_view value) {
  for (size_t i = 1; i < value.size(); ++i) {
    if (IsCommentStart(value[i]) && absl::ascii_isspace(static_cast<unsigned char>(value[i - 1]))) {
      return absl::StripTrailingAsciiWhitespace(value.substr(0, i));
    }
  }
  return value;
}

// The profile a section header names, or nullopt for a section that is not
// a profile in this kind of file.
std::optional<std::string> ProfileNameOf(absl::string_view section, ProfileFileKind kind) {
  section = absl::StripAsciiWhitespace(section);
  if (kind == ProfileFileKind::kCredentials) {
    if (absl::StartsWith(section, "profile ")) return std::nullopt;
    return std::string(section);
  }
  if (section == "default") return std::string(section);
  if (!absl::ConsumePrefix(&section, "profile")) return std::nullopt;
  if (section.empty() || !absl::ascii_isspace(static_cast<unsigned char>(section.front()))) {
    return std::nullopt;
  }
  absl::string_view name = absl::StripAsciiWhitespace(section);
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

}  // namespace

const Profile* ProfileSet::Find(absl::string_view name) const {
  auto it = profiles.find(std::string(name));
  return it == profiles.end() ? nullptr : &it->second;
}

absl::StatusOr<ProfileSet> ParseProfileFile(absl::string_view text, ProfileFileKind kind,
                                            absl::string_view file_name) {
  ProfileSet set;
  Profile* current = nullptr;       // the profile being filled; null in a skipped section
  bool in_section = false;          // any section header seen
  std::string last_key;             // the property an indented line continues
  bool has_sub_properties = false;  // last_key's value was empty: indented lines are "k = v"
  int line_number = 0;
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(file_name, ":", line_number, ": ", what));
  };

  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::string_view line = absl::StripSuffix(raw, "\r");
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || IsCommentStart(trimmed.front())) continue;

    const bool indented = absl::ascii_isspace(static_cast<unsigned char>(line.front()));
    if (indented && !last_key.empty()) {
      if (current == nullptr) continue;
      if (has_sub_properties) {
        // A sub-property of an empty-valued property ("s3 =\n  key = v").
        size_t equals = trimmed.find('=');
        if (equals == absl::string_view::npos) {
          return error("expected 'key = value' in an indented sub-property");
        }
        (*current)[absl::StrCat(last_key, ".",
                                absl::StripAsciiWhitespace(trimmed.substr(0, equals)))] =
            std::string(StripValueComment(absl::StripAsciiWhitespace(trimmed.substr(equals + 1))));
      } else {
        absl::StrAppend(&(*current)[last_key], "\n", trimmed);
      }
      continue;
    }

    if (trimmed.front() == '[') {
      size_t close = trimmed.find(']');
      if (close == absl::string_view::npos) return error("section header without ']'");
      absl::string_view rest = absl::StripAsciiWhitespace(trimmed.substr(close + 1));
      if (!rest.empty() && !IsCommentStart(rest.front())) {
        return error("unexpected text after a section header");
      }
      absl::string_view section = trimmed.substr(1, close - 1);
      if (absl::StripAsciiWhitespace(section).empty()) return error("empty section name");
      std::optional<std::string> name = ProfileNameOf(section, kind);
      current = name.has_value() ? &set.profiles[*name] : nullptr;
      in_section = true;
      last_key.clear();
      continue;
    }

    size_t equals = trimmed.find('=');
    if (equals == absl::string_view::npos) {
      return error("expected '[section]' or 'key = value'");
    }
    if (!in_section) return error("property outside of any [section]");
    absl::string_view key = absl::StripAsciiWhitespace(trimmed.substr(0, equals));
    if (key.empty()) return error("property without a key");
    last_key = std::string(key);
    std::string value(StripValueComment(absl::StripAsciiWhitespace(trimmed.substr(equals + 1))));
    has_sub_properties = value.empty();
    if (current != nullptr) (*current)[last_key] = std::move(value);
  }
  return set;
}

SharedFilePaths ResolveSharedFilePaths(const EnvLookup& env) {
  auto expand = [&env](std::string path) {
    if (absl::StartsWith(path, "~/") || path == "~") {
      path = absl::StrCat(env("HOME").value_or(""), path.substr(1));
    }
    return path;
  };
  auto non_empty = [&env](const char* name) -> std::optional<std::string> {
    std::optional<std::string> value = env(name);
    if (value.has_value() && value->empty()) return std::nullopt;
    return value;
  };
  SharedFilePaths paths;
  paths.config = expand(non_empty("AWS_CONFIG_FILE").value_or("~/.aws/config"));
  paths.credentials =
      expand(non_empty("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"));
  return paths;
}

namespace {

// The file's text; an empty string when it does not exist.
absl::StatusOr<std::string> ReadOptionalFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return std::string();
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<ProfileSet> LoadSharedFiles(const SharedFilePaths& paths) {
  ProfileSet merged;
  for (auto [path, kind] : {std::pair{&paths.config, ProfileFileKind::kConfig},
                            std::pair{&paths.credentials, ProfileFileKind::kCredentials}}) {
    absl::StatusOr<std::string> text = ReadOptionalFile(*path);
    if (!text.ok()) return text.status();
    absl::StatusOr<ProfileSet> parsed = ParseProfileFile(*text, kind, *path);
    if (!parsed.ok()) return parsed.status();
    for (auto& [name, profile] : parsed->profiles) {
      for (auto& [key, value] : profile) merged.profiles[name][key] = std::move(value);
    }
  }
  return merged;
}

std::string SelectProfileName(absl::string_view configured, const EnvLookup& env) {
  if (!configured.empty()) return std::string(configured);
  std::optional<std::string> from_env = env("AWS_PROFILE");
  if (from_env.has_value() && !from_env->empty()) return *from_env;
  return "default";
}

}  // namespace awsgw::auth::providers
