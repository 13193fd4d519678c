// Generated messages <-> AWS JSON, both directions, for every JSON protocol.
//
// Conventions (the AWS JSON protocols, not proto3 JSON):
//   * keys are the fields' json_name (the AWS wire name); unset fields are
//     omitted, explicitly set zero values are written;
//   * timestamps are epoch seconds (fractional where needed) unless the member
//     says otherwise; blobs are base64; documents are inline JSON;
//   * int64 is a JSON number; NaN and infinities are the strings AWS uses;
//   * enums are their (awsgw.aws_value) strings; a set `_raw` sibling is sent
//     in place of its enum field, and strings this build does not know are
//     kept in the sibling when reading (see README "Enum values");
//   * wrapper messages are transparent; unions are objects with one member.
// Reading ignores members the message does not have (forward compatibility)
// and JSON nulls.
//
// Works on any message whose descriptor carries the awsgw options, generated
// or dynamic (google.protobuf.Timestamp and Value are handled by reflection).
#ifndef AWSGW_TRANSLATORS_JSON_CODEC_H_
#define AWSGW_TRANSLATORS_JSON_CODEC_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/json_writer.h"
#include "boost/json/value.hpp"
#include "google/protobuf/message.h"

namespace awsgw::translators {

// Only body members are written and read: members bound to the URI, query,
// headers, payload or status code of an operation's input or output are the
// HTTP layer's (nested structures have body members only).

// Writes `message` as a JSON object. INVALID_ARGUMENT (naming the field by its
// proto path) for values AWS cannot accept, e.g. an enum left UNSPECIFIED in
// a list.
absl::Status WriteJsonObject(const google::protobuf::Message& message, base::JsonWriter& writer);

// Convenience: the JSON text of `message`.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

// Merges a parsed JSON object into `message`. INVALID_ARGUMENT naming the
// member path when a value has the wrong JSON type or cannot be converted.
absl::Status ReadJsonObject(const boost::json::value& json, google::protobuf::Message* message);

// Parses `text` and merges it. An empty text is an empty object.
absl::Status FromJson(absl::string_view text, google::protobuf::Message* message);

// Writes one field of `message` (all of its elements, for repeated and map
// fields) as a single JSON value. Used for structure and document payloads.
absl::Status WriteFieldValue(const google::protobuf::Message& message,
                             const google::protobuf::FieldDescriptor* field,
                             base::JsonWriter& writer);

// Reads one JSON value into `field` of `message` (the inverse).
absl::Status ReadFieldValue(const boost::json::value& json,
                            const google::protobuf::FieldDescriptor* field,
                            google::protobuf::Message* message);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_JSON_CODEC_H_
