// CallerLimiter: per-caller rate, concurrency and watch-stream limits,
// applied after authentication and before the policy decision is acted on.
//
// Rules (LimitRule) match a caller by principal pattern and an action by
// action glob, with the same syntax as policy statements
// (auth/policy/patterns.h). Every rule that matches a call applies, and all
// of them must admit it; when one rejects, nothing is taken from the others
// (no token consumed, no slot held).
//
//   * Rate: a token bucket per (rule, caller) of `burst` tokens refilled
//     continuously at `rate_per_second`; a call takes one token.
//   * In flight: at most `max_in_flight` calls of a (rule, caller) at once;
//     a granted Admission holds its slots until it is destroyed.
//   * Callers: each principal has its own bucket, unless the rule is
//     `shared_by_group` and matched through a "group:<g>" pattern, in which
//     case all members of the group share one (the first pattern in the
//     rule's list that matches decides).
//   * Watch streams: at most `max_watch_streams_per_principal` open at once.
//
// Memory bound: at most `max_tracked_callers` (rule, caller) entries exist.
// A new caller arriving when the table is full evicts idle entries (bucket
// full, nothing in flight: forgetting them changes nothing); when none is
// idle the new caller is rejected, failing closed rather than growing. The
// table is split into up to 16 shards (one per 1024 entries of the bound) to
// keep threads off one lock; the bound is split evenly across them, so it is
// exact below 2048 entries and one shard may fill a little early above.
//
// Time is a parameter (`now`), never read from a clock, so tests are exact.
//
// Threading: Admit and AdmitWatchStream may be called from many threads.
// Admissions may be destroyed on any thread, and after the limiter (they
// share its state), so a reloaded config can replace the limiter while calls
// admitted by the old one finish.
#ifndef AWSGW_AUTH_POLICY_CALLER_LIMITS_H_
#define AWSGW_AUTH_POLICY_CALLER_LIMITS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace awsgw::auth::policy {

struct LimitRule {
  std::string id;                       // required, unique; named in rejections
  std::vector<std::string> principals;  // as Statement::principals
  std::vector<std::string> actions;     // action globs, case-insensitive
  double rate_per_second = 0;           // 0 = no rate limit
  int burst = 0;                        // bucket size; 0 -> max(1, ceil(rate))
  int max_in_flight = 0;                // 0 = no concurrency limit
  bool shared_by_group = false;         // see the file comment
};

struct LimitSettings {
  std::vector<LimitRule> rules;
  int max_watch_streams_per_principal = 0;  // 0 = unlimited
  size_t max_tracked_callers = 100000;
};

class CallerLimiter {
 private:
  struct State;  // rules and the sharded caller table (caller_limits.cc)

 public:
  // The rule id reported when the watch-stream cap rejects.
  static constexpr absl::string_view kWatchStreamRuleId = "max_watch_streams_per_principal";
  // retry_after for in-flight and table-full rejections: nothing says when
  // a slot frees up, so a short hint.
  static constexpr absl::Duration kBusyRetryAfter = absl::Milliseconds(100);

  // INVALID_ARGUMENT, naming the rule (id, or index) and the problem, when a
  // rule has no id or a repeated one, no principals or actions, a malformed
  // pattern, a negative or non-finite number, a burst without a rate, or no
  // limit at all; or when max_tracked_callers is 0 or the watch cap negative.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<CallerLimiter>> Create(
      LimitSettings settings);

  CallerLimiter(const CallerLimiter&) = delete;
  CallerLimiter& operator=(const CallerLimiter&) = delete;
  ~CallerLimiter();

  // A granted call. Releases the in-flight slots (and watch-stream slot) it
  // holds when destroyed. Move-only.
  class Admission {
   public:
    Admission(Admission&& other) noexcept;
    Admission& operator=(Admission&& other) noexcept;
    Admission(const Admission&) = delete;
    Admission& operator=(const Admission&) = delete;
    ~Admission();

    // How many in-flight or stream slots this admission holds.
    [[nodiscard]] size_t held_slots() const { return slots_.size(); }

   private:
    friend class CallerLimiter;
    struct Slot {
      uint32_t shard;
      uint32_t rule;
      bool group;
      std::string name;
    };
    Admission(std::shared_ptr<State> state, absl::InlinedVector<Slot, 2> slots);
    void Release();

    std::shared_ptr<State> state_;  // keeps the table alive for the release
    absl::InlinedVector<Slot, 2> slots_;
  };

  struct Rejection {
    std::string rule_id;
    absl::Duration retry_after;
    // E.g. `rate limit of rule "x" exceeded: 20 calls per second`. Built
    // from config values only, never from caller-supplied text.
    std::string message;
  };

  using Result = std::variant<Admission, Rejection>;

  // Applies every rule matching (principal, action). A call no rule matches
  // is admitted with an Admission holding nothing. retry_after is the time
  // until the bucket has a token (rate) or kBusyRetryAfter (in flight, or
  // the caller table is full); when several rules reject, the longest wait
  // is reported.
  [[nodiscard]] Result Admit(absl::string_view principal, absl::Span<const std::string> groups,
                             absl::string_view action, absl::Time now);

  // Counts open watch streams per principal; the Admission is the stream's
  // slot. Unlimited when max_watch_streams_per_principal is 0.
  [[nodiscard]] Result AdmitWatchStream(absl::string_view principal, absl::Time now);

  // Entries in the caller table (for metrics and tests).
  [[nodiscard]] size_t tracked_callers() const;

 private:
  explicit CallerLimiter(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
};

}  // namespace awsgw::auth::policy

#endif  // AWSGW_AUTH_POLICY_CALLER_LIMITS_H_
