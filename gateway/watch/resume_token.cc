#include "gateway/watch/resume_token.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "awsgw/watch/v1/watch_options.pb.h"

namespace awsgw::gateway::watch {

namespace v1 = ::awsgw::watch::v1;

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

void SeenState::SkipAll(const std::vector<Event>& events) {
  if (events.empty()) return;
  // All those at the newest instant, not only the last: it may share it.
  const int64_t newest = events.back().order_nanos;
  for (auto it = std::lower_bound(events.begin(), events.end(), events.back()); it != events.end();
       ++it) {
    if (it->order_nanos == newest) Deliver(*it);
  }
}

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

namespace {

// A token is client input: bounded before it is decoded, and nothing from it
// is echoed that is not a plausible rpc path.
constexpr size_t kMaxTokenBytes = 16 * 1024;
constexpr size_t kMaxEventIds = 1024;
constexpr size_t kMaxStatusBytes = 256;

bool PrintableRpcPath(absl::string_view path) {
  if (path.empty() || path.size() > 200 || path[0] != '/') return false;
  return std::all_of(path.begin(), path.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

absl::Status NotAToken() {
  return absl::InvalidArgumentError("options.resume_token is not a resume token");
}

}  // namespace

absl::StatusOr<SeenState> DecodeResumeToken(absl::string_view method, absl::string_view token) {
  std::string bytes;
  v1::ResumeState proto;
  if (token.size() > kMaxTokenBytes || !absl::WebSafeBase64Unescape(token, &bytes) ||
      !proto.ParseFromString(bytes)) {
    return NotAToken();
  }
  if (proto.method() != method) {
    if (!PrintableRpcPath(proto.method())) return NotAToken();
    return absl::InvalidArgumentError(
        absl::StrCat("options.resume_token belongs to ", proto.method(), ", not ", method));
  }
  if (proto.sequence() > kMaxResumedSequence ||
      static_cast<size_t>(proto.event_ids_size()) > kMaxEventIds ||
      proto.status().size() > kMaxStatusBytes) {
    return NotAToken();
  }
  SeenState state;
  state.sequence = proto.sequence();
  state.has_snapshot = proto.digest() != 0;
  // The status belongs to the snapshot: without one, a status is forged
  // (and would not survive the next token).
  if (state.has_snapshot) state.status = proto.status();
  state.digest = proto.digest();
  state.event_order_nanos = proto.event_order_nanos();
  state.event_ids.assign(proto.event_ids().begin(), proto.event_ids().end());
  return state;
}

}  // namespace awsgw::gateway::watch
