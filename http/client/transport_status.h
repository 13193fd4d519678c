// Transport failures as absl::Status, and the "may the request have reached
// the server?" bit the retry layer needs.
//
// Why a payload: a failed call of a non-idempotent AWS action (CreateService)
// must not be retried if the server may have received it, but may be retried
// when the failure happened before the first request byte was written (DNS,
// connect, TLS, proxy, queueing). Every non-OK status the HttpClient returns
// carries the payload kRequestSentPayload with value "true" or "false".
//
// Example:
//   if (status.code() == absl::StatusCode::kUnavailable &&
//       (idempotent || !RequestMayHaveBeenSent(status))) { retry(); }
#ifndef AWSGW_HTTP_CLIENT_TRANSPORT_STATUS_H_
#define AWSGW_HTTP_CLIENT_TRANSPORT_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace awsgw::http::client {

// Payload type URL on every failure status of the client.
inline constexpr absl::string_view kRequestSentPayload = "awsgw.sent";

// `status` with kRequestSentPayload set to "true" or "false". OK stays OK.
[[nodiscard]] absl::Status WithRequestSent(absl::Status status, bool may_have_been_sent);

// False only when `status` carries kRequestSentPayload == "false". A status
// without the payload (not from this client) counts as possibly sent.
[[nodiscard]] bool RequestMayHaveBeenSent(const absl::Status& status);

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_TRANSPORT_STATUS_H_
