// Where a resource's members are in an operation's messages, found by field
// name from the kind ("Cluster" -> cluster, cluster_arn, cluster_name,
// clusters, ...). All functions are pure descriptor/reflection lookups.
#ifndef AWSGW_EMULATOR_RESOURCE_FIELDS_H_
#define AWSGW_EMULATOR_RESOURCE_FIELDS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "emulator/service_facts.h"
#include "google/protobuf/message.h"

namespace awsgw::emulator {

// Field names that name a resource of `kind`: "<k>", "<k>_arn", "<k>_id",
// "<k>_name", "<k>_identifier" (k = SnakeCase(kind)).
std::vector<std::string> IdentifierNames(absl::string_view kind);

// IdentifierNames plus the service's name aliases ("family" for ECS).
std::vector<std::string> OwnIdentifierNames(absl::string_view kind, const ServiceFacts& facts);

// Field names of `kind` that name several resources: "<k>s", "<k>_arns", ...
std::vector<std::string> OwnListNames(absl::string_view kind);

// The set, non-empty string values of the given top-level fields, by name.
std::map<std::string, std::string> StringValues(const google::protobuf::Message& message,
                                                const std::vector<std::string>& names);

// The values of the first set repeated string field among `names`.
std::vector<std::string> ListValues(const google::protobuf::Message& message,
                                    const std::vector<std::string>& names);

// The part of `message` that holds the resource: its singular message field
// named "<k>" or typed `kind`, else the message itself.
google::protobuf::Message* ResourcePart(google::protobuf::Message* message, absl::string_view kind);

// The repeated field of a list or describe response that holds the items
// (messages or strings; never "failures"), or nullptr.
const google::protobuf::FieldDescriptor* ItemsField(const google::protobuf::Descriptor* response,
                                                    absl::string_view kind);

// The page-size field of a list request ("max_results", "max_items", ...).
const google::protobuf::FieldDescriptor* PageSizeField(const google::protobuf::Descriptor* request);

// Tags of a "tags" field, whether a map<string,string> or a list of
// {key, value} messages.
std::map<std::string, std::string> ReadTags(const google::protobuf::Message& message);

// Replaces the "tags" field of `message` (if it has one) with `tags`.
void WriteTags(const std::map<std::string, std::string>& tags, google::protobuf::Message* message);

// The ARN a tagging request names: "resource_arn", else the first singular
// string field whose name ends in "arn".
std::string TaggedArn(const google::protobuf::Message& request);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_RESOURCE_FIELDS_H_
