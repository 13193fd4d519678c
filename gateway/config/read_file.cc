#include "gateway/config/read_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace awsgw::gateway::config {
namespace {

absl::Status CannotRead(const std::string& path, int error) {
  return absl::NotFoundError(absl::StrCat("cannot read \"", path, "\": ", std::strerror(error)));
}

}  // namespace

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) return CannotRead(path, EISDIR);
  errno = 0;
  std::ifstream file(path, std::ios::binary);
  if (!file) return CannotRead(path, errno != 0 ? errno : ENOENT);
  std::string contents((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) return CannotRead(path, errno != 0 ? errno : EIO);
  return contents;
}

std::string ResolvePath(const std::string& path, const std::string& base_dir) {
  if (absl::StartsWith(path, "/") || base_dir.empty()) return path;
  return absl::StrCat(base_dir, absl::EndsWith(base_dir, "/") ? "" : "/", path);
}

}  // namespace awsgw::gateway::config
