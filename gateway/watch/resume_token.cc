#include "gateway/watch/resume_token.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "awsgw/watch/v1/watch_options.pb.h"

namespace awsgw::gateway::watch {

bool SeenState::IsNew(const Event& event) const {
  if (event.order_nanos != event_order_nanos) return event.order_nanos > event_order_nanos;
  return std::find(event_ids.begin(), event_ids.end(), event.id) == event_ids.end();
}

void SeenState::Deliver(const Event& event) {
  if (event.order_nanos != event_order_nanos) {
    event_order_nanos = event.order_nanos;
    event_ids.clear();
  }
  event_ids.push_back(event.id);
}

void SeenState::SkipTo(const Event& newest) { Deliver(newest); }

std::string EncodeResumeToken(absl::string_view method, const SeenState& state) {
  v1::ResumeState proto;
  proto.set_method(std::string(method));
  proto.set_sequence(state.sequence);
  if (state.has_snapshot) {
    proto.set_status(state.status);
    proto.set_digest(state.digest);
  }
  proto.set_event_order_nanos(state.event_order_nanos);
  for (uint64_t id : state.event_ids) proto.add_event_ids(id);
  std::string token;
  absl::WebSafeBase64Escape(proto.SerializeAsString(), &token);
  return token;
}

absl::StatusOr<SeenState> DecodeResumeToken(absl::string_view method, absl::string_view token) {
  std::string bytes;
  v1::ResumeState proto;
  if (!absl::WebSafeBase64Unescape(token, &bytes) || !proto.ParseFromString(bytes)) {
    return absl::InvalidArgumentError("options.resume_token is not a resume token");
  }
  if (proto.method() != method) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.resume_token belongs to ", proto.method(), ", not ", method));
  }
  SeenState state;
  state.sequence = proto.sequence();
  state.has_snapshot = proto.digest() != 0;
  state.status = proto.status();
  state.digest = proto.digest();
  state.event_order_nanos = proto.event_order_nanos();
  state.event_ids.assign(proto.event_ids().begin(), proto.event_ids().end());
  return state;
}

}  // namespace awsgw::gateway::watch
