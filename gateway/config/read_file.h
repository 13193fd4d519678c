// Reads a whole file named by the configuration (or the configuration file
// itself) into memory.
#ifndef AWSGW_GATEWAY_CONFIG_READ_FILE_H_
#define AWSGW_GATEWAY_CONFIG_READ_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace awsgw::gateway::config {

// The contents of `path`. NOT_FOUND (message: `cannot read "<path>": <why>`)
// when it cannot be opened or read, or is a folder: opening a folder
// succeeds on Linux and reads as empty, which would pass for an empty file.
// FIFOs and /dev/stdin work, so `--config <(generate)` does too.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// A path the config file names: relative ones mean "next to the file"
// (`base_dir`), so a config folder can be moved or mounted as a whole.
std::string ResolvePath(const std::string& path, const std::string& base_dir);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_READ_FILE_H_
