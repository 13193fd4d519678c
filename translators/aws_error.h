// AWS errors on the wire: reading them from responses (client side) and the
// modeled error messages behind them.
//
// The error code comes from the X-Amzn-ErrorType header, else the body's
// `__type`, else its `code`, with any namespace ("aws.protocoltests#") and
// any ":..." suffix removed, as every AWS SDK does. The message comes from
// the body's `message` or `Message`.
#ifndef AWSGW_TRANSLATORS_AWS_ERROR_H_
#define AWSGW_TRANSLATORS_AWS_ERROR_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "http/http_message.h"

namespace awsgw::translators {

struct Operation;

struct AwsError {
  std::string code;
  std::string message;
  int http_status = 0;
  // x-amzn-RequestId (or x-amz-request-id), empty when AWS sent none.
  std::string request_id;
  // From Retry-After or x-amz-retry-after, when AWS asks for a delay.
  std::optional<absl::Duration> retry_after;
};

// Reads code, message, request id and retry hint from a non-2xx response.
// Never fails: a body that is not JSON (a proxy's HTML page, a truncated
// answer) leaves the code empty and the message describing what came back.
AwsError ParseAwsError(const http::HttpResponse& response);

// The error message type of `op` whose code is `code`, or nullptr when the
// operation does not model it.
const google::protobuf::Descriptor* ModeledErrorType(const Operation& op, absl::string_view code);

// The modeled error message for `error`, filled from the response's JSON body
// and headers, or nullptr when the error is not modeled or its body does not
// parse. Messages are created by `factory`.
std::unique_ptr<google::protobuf::Message> DecodeModeledError(
    const Operation& op, const AwsError& error, const http::HttpResponse& response,
    google::protobuf::MessageFactory* factory);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_AWS_ERROR_H_
