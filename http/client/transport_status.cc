// The kRequestSentPayload flag on failure statuses.
#include "http/client/transport_status.h"

#include <optional>

#include "absl/strings/cord.h"

namespace awsgw::http::client {

absl::Status WithRequestSent(absl::Status status, bool may_have_been_sent) {
  if (status.ok()) return status;
  status.SetPayload(kRequestSentPayload, absl::Cord(may_have_been_sent ? "true" : "false"));
  return status;
}

bool RequestMayHaveBeenSent(const absl::Status& status) {
  auto sent = status.GetPayload(kRequestSentPayload);
  return !sent.has_value() || *sent != "false";
}

}  // namespace awsgw::http::client
