// google.protobuf.Timestamp and google.protobuf.Value through reflection.
//
// Reflection rather than the generated classes: the conformance runner builds
// messages in pools of its own, where these types are dynamic messages.
#ifndef AWSGW_TRANSLATORS_WKT_H_
#define AWSGW_TRANSLATORS_WKT_H_

#include "absl/status/status.h"
#include "boost/json/value.hpp"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace awsgw::translators {

bool IsTimestamp(const google::protobuf::Descriptor* type);
bool IsValue(const google::protobuf::Descriptor* type);

// `message` must be a google.protobuf.Timestamp.
google::protobuf::Timestamp ReadTimestamp(const google::protobuf::Message& message);
void WriteTimestamp(const google::protobuf::Timestamp& ts, google::protobuf::Message* message);

// Sets the google.protobuf.Value `value` to the JSON `json`.
absl::Status JsonToValue(const boost::json::value& json, google::protobuf::Message* value);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_WKT_H_
