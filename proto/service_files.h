// The generated AWS service proto files compiled into this build.
//
// Generic code finds services through the descriptor pool, which has no way to
// list its files; this list (written by CMake from the same glob that compiles
// the protos) is the entry point. Adding a service needs no code change.
#ifndef AWSGW_PROTO_SERVICE_FILES_H_
#define AWSGW_PROTO_SERVICE_FILES_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace awsgw::proto {

// Proto file names relative to proto/, e.g. "aws/ecs/v1/ecs.proto", sorted.
absl::Span<const absl::string_view> ServiceProtoFiles();

}  // namespace awsgw::proto

#endif  // AWSGW_PROTO_SERVICE_FILES_H_
