// Resume tokens: what a client has seen of one watch, in a form any replica
// can read back, so that a reconnecting client gets no duplicates.
//
// A token is the base64url of an awsgw.watch.v1.ResumeState: the sequence
// number, the status and snapshot digest last sent, and the event feed's
// high-water mark. It carries no secret and nothing is trusted from it but
// deduplication: a forged token can only make its own stream skip updates.
#ifndef AWSGW_GATEWAY_WATCH_RESUME_TOKEN_H_
#define AWSGW_GATEWAY_WATCH_RESUME_TOKEN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/watch/event.h"

namespace awsgw::gateway::watch {

// What one stream has delivered so far.
struct SeenState {
  uint64_t sequence = 0;
  // False until the stream (or the stream it resumes) sent a snapshot.
  bool has_snapshot = false;
  std::string status;
  uint64_t digest = 0;
  // The newest event delivered: its order and the ids delivered at exactly
  // that order (events at an older order are all delivered).
  int64_t event_order_nanos = INT64_MIN;
  std::vector<uint64_t> event_ids;

  // Whether `event` is newer than what was delivered.
  bool IsNew(const Event& event) const;
  // Records `event` as delivered (events arrive in order).
  void Deliver(const Event& event);
  // Marks every event of `events` (oldest first) delivered.
  void SkipAll(const std::vector<Event>& events);
};

// The highest sequence number a stream may continue from (a token's or
// options.last_sequence): far below the top, so numbering cannot wrap.
inline constexpr uint64_t kMaxResumedSequence = uint64_t{1} << 62;

// The token for `state` on the watch rpc `method` (its gRPC path).
std::string EncodeResumeToken(absl::string_view method, const SeenState& state);

// INVALID_ARGUMENT when `token` is not a token of `method`.
[[nodiscard]] absl::StatusOr<SeenState> DecodeResumeToken(absl::string_view method,
                                                          absl::string_view token);

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_RESUME_TOKEN_H_
