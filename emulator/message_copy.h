// Copies members between messages of different types by field name, the way
// one AWS resource appears in several shapes (Cluster in CreateClusterResponse
// and DescribeClustersResponse, App in ListAppsResult, ApplicationSummary vs
// GetApplicationResponse): same-named fields carry the same member.
#ifndef AWSGW_EMULATOR_MESSAGE_COPY_H_
#define AWSGW_EMULATOR_MESSAGE_COPY_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace awsgw::emulator {

// Sets every field of `to` that `from` has a set field of the same name and a
// compatible type for (same scalar type; enum <-> enum or string by AWS value;
// message -> message of the same type, or recursively by name). Repeated and
// map fields are replaced. Fields without a counterpart are left alone.
void CopyByName(const google::protobuf::Message& from, google::protobuf::Message* to);

// The top-level string (or enum, as its AWS value) field `name` of `message`,
// when it is set and not empty.
std::optional<std::string> GetStringField(const google::protobuf::Message& message,
                                          absl::string_view name);

// Sets the top-level field `name` from a string: strings as is, enums by AWS
// value, integers and booleans ("true") parsed. False when there is no such
// field or it does not fit.
bool SetStringField(google::protobuf::Message* message, absl::string_view name,
                    absl::string_view value);

// True when the field is set (singular with presence), non-empty (repeated)
// or non-default (proto3 scalars without presence).
bool IsFieldSet(const google::protobuf::Message& message,
                const google::protobuf::FieldDescriptor* field);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_MESSAGE_COPY_H_
