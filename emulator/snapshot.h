// Snapshots: the emulator's stored resources as one JSON document, so state
// survives a restart (aws-emulator --snapshot FILE loads it at start and
// saves it on shutdown).
//
//   {"format": "aws-emulator-snapshot", "version": 1,
//    "resources": [{"service": "ecs", "kind": "Cluster", "id": ..., "arn": ...,
//                   "name": ..., "revision": 1, "scope": {...}, "tags": {...},
//                   "type": "aws.ecs.v1.Cluster", "body": <the message as proto JSON>,
//                   "feed": [{"type": ..., "body": ...}],  (entries kept beside the body)
//                   "lifecycle": {"track": "create", "started_ms": ..., "entered": 1,
//                                 "finished": true, "counter_from": {...}}}]}
//
// Bodies are proto JSON of the generated messages, so a snapshot is readable
// and survives field additions.
#ifndef AWSGW_EMULATOR_SNAPSHOT_H_
#define AWSGW_EMULATOR_SNAPSHOT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "emulator/resource_store.h"

namespace awsgw::emulator {

std::string EncodeSnapshot(const std::vector<const Resource*>& resources);

// The resources of a snapshot document, in their stored order.
// INVALID_ARGUMENT saying what is wrong (not JSON, another format, a message
// type this build does not have, a body that does not parse).
absl::StatusOr<std::vector<Resource>> DecodeSnapshot(absl::string_view document);

// Reads / writes a snapshot file. Load: NOT_FOUND when the file does not
// exist; INVALID_ARGUMENT naming the file when it is not a valid snapshot.
// Save writes a temporary file and renames it, so a crash never leaves half
// a snapshot.
absl::StatusOr<std::string> ReadSnapshotFile(const std::string& path);
absl::Status WriteSnapshotFile(const std::string& path, absl::string_view document);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_SNAPSHOT_H_
