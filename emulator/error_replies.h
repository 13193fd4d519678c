// Turns what went wrong into the error the real service would answer with,
// chosen from the operation's modeled errors (never hard-coded per
// operation): NOT_FOUND -> "<Kind>NotFoundException" or the service's
// not-found error; INVALID_ARGUMENT -> the service's validation error;
// ALREADY_EXISTS -> the service's duplicate-name error.
#ifndef AWSGW_EMULATOR_ERROR_REPLIES_H_
#define AWSGW_EMULATOR_ERROR_REPLIES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "emulator/service_facts.h"
#include "google/protobuf/message.h"
#include "http/http_message.h"
#include "translators/aws_error.h"
#include "translators/protocol.h"

namespace awsgw::emulator {

// An error with an explicit code, message and HTTP status (0: the modeled
// shape's status, else 400).
translators::AwsError MakeError(std::string code, std::string message, int http_status);

// A NOT_FOUND status that remembers which kind of resource is missing.
absl::Status ResourceNotFound(absl::string_view kind, absl::string_view message);

// The kind ResourceNotFound() recorded, or "".
std::string MissingKind(const absl::Status& status);

// The AWS error (code, message, HTTP status) for a failed `status` of `op`.
// `kind` is the operation's resource kind ("" when it has none).
translators::AwsError ErrorFor(const translators::Operation& op, const ServiceFacts& facts,
                               absl::string_view kind, const absl::Status& status);

// The HTTP response for `error` in the operation's protocol, with the
// modeled error message (and its members) when the service models the code;
// `factory` makes the modeled error's message (the service's factory).
http::HttpResponse EncodeServiceError(const translators::Operation& op,
                                      const translators::AwsError& error,
                                      google::protobuf::MessageFactory& factory);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_ERROR_REPLIES_H_
