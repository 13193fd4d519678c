// Parses YAML text that must hold (at most) one document, into a YAML::Node,
// without ever hanging.
//
// Why not YAML::LoadAll: in yaml-cpp 0.7 (Debian 12) a stray token at the
// start of a document, such as a ',' beginning a line, makes the parser
// report an empty document without consuming anything, and LoadAll then
// loops forever, allocating until the process is killed (yaml-cpp issue
// #1040, fixed upstream in 2024 by PR #1319). YAML::Load would instead
// return an empty node: a broken file read as "all defaults". So the text
// is first walked event by event, stopping as soon as a document starts
// where the previous one did (no progress); only then is it loaded.
#ifndef AWSGW_GATEWAY_CONFIG_YAML_DOCUMENT_H_
#define AWSGW_GATEWAY_CONFIG_YAML_DOCUMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "yaml-cpp/yaml.h"

namespace awsgw::gateway::config {

// The single document of `text` (a null node when there is none or it is
// empty). Later documents must be empty, like the one a final "---" opens.
// INVALID_ARGUMENT "<source>:<line>: invalid YAML: ..." for malformed YAML,
// and "<source>:<line>: expected one YAML document, got several".
absl::StatusOr<YAML::Node> LoadOneDocument(const std::string& text, const std::string& source);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_YAML_DOCUMENT_H_
