// Watch resume tokens from a hostile client (gateway/watch/resume_token.h):
// options.resume_token is any string a client sends when it reconnects.
// The first byte picks the rpc the token is presented to and how the rest
// is used: as the token itself, or as the bytes of a ResumeState that are
// base64url-encoded here (so mutations explore the proto, not the base64).
//
// Invariants: nothing crashes; a refusal is INVALID_ARGUMENT with a short
// printable message; a token that decodes stays within the bounds (sequence,
// event ids, status) and round-trips: encoding the decoded state and
// decoding that gives the same state back.
#include <cstdlib>
#include <string>

#include "absl/strings/escaping.h"
#include "gateway/watch/resume_token.h"
#include "google/protobuf/stubs/logging.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using awsgw::gateway::watch::SeenState;

constexpr const char* kMethods[] = {"/awsgw.watch.v1.WatchService/WatchEcsTask",
                                    "/awsgw.watch.v1.WatchService/WatchAppRunnerService"};

bool Same(const SeenState& a, const SeenState& b) {
  return a.sequence == b.sequence && a.has_snapshot == b.has_snapshot && a.status == b.status &&
         a.digest == b.digest && a.event_order_nanos == b.event_order_nanos &&
         a.event_ids == b.event_ids;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // libprotobuf logs every string field that is not UTF-8; that is noise here.
  static const bool quiet =
      (google::protobuf::SetLogHandler(
           [](google::protobuf::LogLevel, const char*, int, const std::string&) {}),
       true);
  (void)quiet;
  awsgw::fuzz::Input input(data, size);
  const uint8_t choice = input.Byte();
  const std::string method = kMethods[choice & 1];
  std::string token = input.Rest();
  if ((choice & 2) != 0) {
    std::string bytes = std::move(token);
    absl::WebSafeBase64Escape(bytes, &token);
  }
  absl::StatusOr<SeenState> seen = awsgw::gateway::watch::DecodeResumeToken(method, token);
  if (!seen.ok()) {
    const absl::Status& status = seen.status();
    if (status.code() != absl::StatusCode::kInvalidArgument || status.message().size() > 300) {
      std::abort();
    }
    for (char c : status.message()) {
      if (c < 0x20 || c > 0x7e) std::abort();
    }
    return 0;
  }
  if (seen->sequence > awsgw::gateway::watch::kMaxResumedSequence ||
      seen->event_ids.size() > 1024 || seen->status.size() > 256) {
    std::abort();
  }
  const std::string again = awsgw::gateway::watch::EncodeResumeToken(method, *seen);
  absl::StatusOr<SeenState> back = awsgw::gateway::watch::DecodeResumeToken(method, again);
  if (!back.ok() || !Same(*seen, *back)) std::abort();
  return 0;
}
