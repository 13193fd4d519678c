// Environment lookup, injectable so code that reads AWS_* variables can be
// tested without touching the process environment.
#ifndef AWSGW_BASE_ENVIRONMENT_H_
#define AWSGW_BASE_ENVIRONMENT_H_

#include <functional>
#include <optional>
#include <string>

namespace awsgw::base {

// Reads one environment variable.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment; a variable set to "" counts as unset, as in the
// AWS SDKs.
std::optional<std::string> ProcessEnvironment(const std::string& name);

}  // namespace awsgw::base

#endif  // AWSGW_BASE_ENVIRONMENT_H_
