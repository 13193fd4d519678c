// What happens to a request message before it is encoded: checks that need
// no AWS round trip, and idempotency tokens.
#ifndef AWSGW_TRANSLATORS_REQUEST_PREPARATION_H_
#define AWSGW_TRANSLATORS_REQUEST_PREPARATION_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace awsgw::translators {

// INVALID_ARGUMENT naming the first required member that is missing, by its
// proto path ("network_configuration.awsvpc_configuration.subnets"), checked
// in the request and in every sub-message it sets. A required list or map
// must have at least one element (proto cannot tell an empty one from unset).
absl::Status ValidateRequired(const google::protobuf::Message& request);

// INVALID_ARGUMENT naming the first member, by its proto path, whose value
// breaks the model's bounds: a string longer or shorter than its length
// bounds (counted in Unicode code points, as AWS counts), a blob, list or map
// of more or fewer elements, a number out of its range. Only members the
// request sets are checked (an unset one is ValidateRequired's business).
// AWS would refuse these with its ValidationException; refusing them here
// also bounds what a caller can make the gateway sign and send.
absl::Status ValidateConstraints(const google::protobuf::Message& request);

// Sets every empty idempotency-token member of `request` (top level, as AWS
// models them) to `uuid()`, so a retried request is recognised by AWS as the
// same one. Returns how many were filled.
int FillIdempotencyTokens(google::protobuf::Message* request,
                          const std::function<std::string()>& uuid);

// True when `request_type` has an idempotency-token member (from the cached
// message binding, so cheap enough for every call).
bool HasIdempotencyToken(const google::protobuf::Descriptor* request_type);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_REQUEST_PREPARATION_H_
