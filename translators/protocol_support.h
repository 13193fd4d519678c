// Pieces both JSON protocols share: the endpoint host prefix and JSON bodies.
#ifndef AWSGW_TRANSLATORS_PROTOCOL_SUPPORT_H_
#define AWSGW_TRANSLATORS_PROTOCOL_SUPPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "translators/aws_error.h"
#include "translators/protocol.h"

namespace awsgw::translators {

// The operation's host prefix with {Label}s filled from the request's
// host-label members. INVALID_ARGUMENT when a label is empty or is not a
// valid DNS label.
absl::StatusOr<std::string> ExpandHostPrefix(const Operation& op,
                                             const google::protobuf::Message& request);

// The JSON error body AWS sends: {"__type": code, "message": ...} plus the
// modeled error's body members.
std::string ErrorBody(const AwsError& error, const google::protobuf::Message* details);

// The HTTP status for an error: AWS's, else the modeled shape's, else 400.
int ErrorHttpStatus(const AwsError& error, const google::protobuf::Message* details);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_PROTOCOL_SUPPORT_H_
