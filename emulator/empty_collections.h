// AWS services write an empty list or map member as [] or {} (ECS ListClusters
// with no clusters answers {"clusterArns":[]}), and clients index such keys
// directly. Proto3 cannot tell an empty repeated field from an unset one, so
// the translators omit them; this puts the top-level ones back.
#ifndef AWSGW_EMULATOR_EMPTY_COLLECTIONS_H_
#define AWSGW_EMULATOR_EMPTY_COLLECTIONS_H_

#include "google/protobuf/descriptor.h"
#include "http/http_message.h"

namespace awsgw::emulator {

// Adds `"<member>":[]` (or `{}` for maps) to the JSON object body of
// `response` for every top-level list or map body member of `output` that the
// body lacks. Leaves bodies that are not a JSON object (payloads) alone.
void AddEmptyCollections(const google::protobuf::Descriptor* output, http::HttpResponse* response);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_EMPTY_COLLECTIONS_H_
