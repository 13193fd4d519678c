// The caller table behind CallerLimiter: shards of (rule, caller) -> bucket
// state, each under its own mutex. A call locks every shard it touches in
// ascending order (so concurrent calls cannot deadlock), checks every rule,
// and only then takes tokens and slots, which is what makes a call
// all-or-nothing across rules.
#include "auth/policy/caller_limits.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "auth/policy/glob.h"
#include "auth/policy/patterns.h"

namespace awsgw::auth::policy {
namespace {

// Rule index of watch-stream entries in the caller table.
constexpr uint32_t kWatchRule = static_cast<uint32_t>(-1);
// After a sweep that freed nothing, new callers are refused without another
// full scan for this long: a flood of new callers must not turn every call
// into an O(table) walk under the shard lock.
constexpr absl::Duration kSweepBackoff = absl::Milliseconds(100);
constexpr size_t kMaxShards = 16;
constexpr size_t kMinEntriesPerShard = 1024;

struct Limits {
  std::string id;
  double rate = 0;   // tokens per second; 0 = no bucket
  double burst = 0;  // bucket size when rate > 0
  int max_in_flight = 0;
  bool watch = false;
};

struct CompiledRule {
  Limits limits;
  PrincipalMatcher principals;
  std::vector<std::string> actions;  // lower-cased
  bool shared_by_group = false;
};

struct KeyView {
  uint32_t rule;
  bool group;  // `name` is a group (shared bucket), else a principal
  absl::string_view name;
};

struct Key {
  uint32_t rule;
  bool group;
  std::string name;
};

struct KeyHash {
  using is_transparent = void;
  size_t operator()(const KeyView& k) const { return absl::HashOf(k.rule, k.group, k.name); }
  size_t operator()(const Key& k) const {
    return absl::HashOf(k.rule, k.group, absl::string_view(k.name));
  }
};

struct KeyEq {
  using is_transparent = void;
  static KeyView View(const Key& k) { return {k.rule, k.group, k.name}; }
  static KeyView View(const KeyView& k) { return k; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    const KeyView x = View(a);
    const KeyView y = View(b);
    return x.rule == y.rule && x.group == y.group && x.name == y.name;
  }
};

struct Entry {
  double tokens = 0;
  absl::Time refilled;
  int in_flight = 0;
};

struct Shard {
  absl::Mutex mu;
  absl::flat_hash_map<Key, Entry, KeyHash, KeyEq> entries ABSL_GUARDED_BY(mu);
  absl::Time no_sweep_until ABSL_GUARDED_BY(mu) = absl::InfinitePast();
};

void Refill(const Limits& limits, Entry& entry, absl::Time now) {
  if (limits.rate <= 0 || now <= entry.refilled) return;  // a clock going back adds nothing
  entry.tokens = std::min(limits.burst,
                          entry.tokens + limits.rate * absl::ToDoubleSeconds(now - entry.refilled));
  entry.refilled = now;
}

// Idle: forgetting the entry changes no future decision.
bool Idle(const Limits& limits, Entry& entry, absl::Time now) {
  if (entry.in_flight > 0) return false;
  Refill(limits, entry, now);
  return limits.rate <= 0 || entry.tokens >= limits.burst;
}

absl::Status InvalidRule(const LimitRule& rule, size_t index, absl::string_view what) {
  const std::string label = rule.id.empty()
                                ? absl::StrCat("limit rules[", index, "]")
                                : absl::StrCat("limit rule \"", absl::CHexEscape(rule.id), "\"");
  return absl::InvalidArgumentError(absl::StrCat(label, ": ", what));
}

absl::Status ValidateRule(const LimitRule& rule, size_t index) {
  if (rule.id.empty()) return InvalidRule(rule, index, "has no id");
  if (rule.principals.empty()) return InvalidRule(rule, index, "has no principals");
  for (const std::string& principal : rule.principals) {
    if (absl::Status s = ValidatePrincipalPattern(principal); !s.ok()) {
      return InvalidRule(rule, index, s.message());
    }
  }
  if (rule.actions.empty()) return InvalidRule(rule, index, "has no actions");
  for (const std::string& action : rule.actions) {
    if (absl::Status s = ValidateActionPattern(action); !s.ok()) {
      return InvalidRule(rule, index, s.message());
    }
  }
  if (!std::isfinite(rule.rate_per_second) || rule.rate_per_second < 0) {
    return InvalidRule(rule, index, "rate_per_second must be a finite number >= 0");
  }
  if (rule.burst < 0) return InvalidRule(rule, index, "burst must be >= 0");
  if (rule.burst > 0 && rule.rate_per_second == 0) {
    return InvalidRule(rule, index, "sets a burst without a rate_per_second");
  }
  if (rule.max_in_flight < 0) return InvalidRule(rule, index, "max_in_flight must be >= 0");
  if (rule.rate_per_second == 0 && rule.max_in_flight == 0) {
    return InvalidRule(rule, index, "sets no limit (neither rate_per_second nor max_in_flight)");
  }
  return absl::OkStatus();
}

std::string RateMessage(const Limits& limits) {
  return absl::StrCat("rate limit of rule \"", limits.id, "\" exceeded: ", limits.rate,
                      " calls per second (burst ", limits.burst, ")");
}

std::string InFlightMessage(const Limits& limits) {
  if (limits.watch) {
    return absl::StrCat("watch stream limit reached: ", limits.max_in_flight,
                        " open streams per principal");
  }
  return absl::StrCat("in-flight limit of rule \"", limits.id, "\" reached: ", limits.max_in_flight,
                      " concurrent calls");
}

}  // namespace

struct CallerLimiter::State {
  std::vector<CompiledRule> rules;
  Limits watch;
  size_t per_shard_capacity = 0;
  size_t shard_count = 1;
  std::unique_ptr<Shard[]> shards;

  const Limits& LimitsOf(uint32_t rule) const {
    return rule == kWatchRule ? watch : rules[rule].limits;
  }

  // One (rule, caller) the call must pass.
  struct Match {
    const Limits* limits;
    KeyView key;
    uint32_t shard;
  };

  uint32_t ShardOf(const KeyView& key) const {
    // The high bits: the map inside the shard uses the low ones.
    return static_cast<uint32_t>((KeyHash{}(key) >> 32) % shard_count);
  }

  // Erases every idle entry of `shard`.
  static void Sweep(const State& state, Shard& shard, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu) {
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
      if (Idle(state.LimitsOf(it->first.rule), it->second, now)) {
        shard.entries.erase(it++);
      } else {
        ++it;
      }
    }
  }

  Result AdmitAll(const std::shared_ptr<State>& self, absl::Span<Match> matches, absl::Time now)
      ABSL_NO_THREAD_SAFETY_ANALYSIS;  // locks a variable set of shards, in order
  void Release(const Admission::Slot& slot);
};

CallerLimiter::Result CallerLimiter::State::AdmitAll(const std::shared_ptr<State>& self,
                                                     absl::Span<Match> matches, absl::Time now) {
  absl::InlinedVector<uint32_t, 4> locked;
  for (const Match& m : matches) locked.push_back(m.shard);
  std::sort(locked.begin(), locked.end());
  locked.erase(std::unique(locked.begin(), locked.end()), locked.end());
  for (uint32_t s : locked) shards[s].mu.Lock();
  struct Unlock {
    State* state;
    absl::Span<const uint32_t> shards;
    ~Unlock() {
      for (auto it = shards.rbegin(); it != shards.rend(); ++it) state->shards[*it].mu.Unlock();
    }
  } unlock{this, locked};

  // Room for the callers not yet in the table.
  for (uint32_t s : locked) {
    Shard& shard = shards[s];
    const auto missing = [&] {
      size_t n = 0;
      for (const Match& m : matches) n += m.shard == s && !shard.entries.contains(m.key);
      return n;
    };
    if (shard.entries.size() + missing() <= per_shard_capacity) continue;
    if (now >= shard.no_sweep_until) Sweep(*this, shard, now);
    if (shard.entries.size() + missing() <= per_shard_capacity) continue;
    shard.no_sweep_until = now + kSweepBackoff;
    const Match& first =
        *std::find_if(matches.begin(), matches.end(), [&](const Match& m) { return m.shard == s; });
    return Rejection{first.limits->id, kBusyRetryAfter,
                     absl::StrCat("too many callers are being tracked; rule \"", first.limits->id,
                                  "\" cannot admit a new one until others go idle")};
  }

  // Check every rule before taking anything.
  const Match* rejected = nullptr;
  absl::Duration longest;
  bool by_rate = false;
  for (const Match& m : matches) {
    auto it = shards[m.shard].entries.find(m.key);
    if (it == shards[m.shard].entries.end()) continue;  // a new caller: full bucket, no calls
    Entry& entry = it->second;
    const Limits& limits = *m.limits;
    Refill(limits, entry, now);
    if (limits.rate > 0 && entry.tokens < 1) {
      const absl::Duration wait = absl::Seconds((1 - entry.tokens) / limits.rate);
      if (rejected == nullptr || wait > longest) {
        rejected = &m;
        longest = wait;
        by_rate = true;
      }
    }
    if (limits.max_in_flight > 0 && entry.in_flight >= limits.max_in_flight) {
      if (rejected == nullptr || kBusyRetryAfter > longest) {
        rejected = &m;
        longest = kBusyRetryAfter;
        by_rate = false;
      }
    }
  }
  if (rejected != nullptr) {
    const Limits& limits = *rejected->limits;
    return Rejection{limits.id, longest, by_rate ? RateMessage(limits) : InFlightMessage(limits)};
  }

  absl::InlinedVector<Admission::Slot, 2> slots;
  for (const Match& m : matches) {
    const Limits& limits = *m.limits;
    auto [it, inserted] = shards[m.shard].entries.try_emplace(
        Key{m.key.rule, m.key.group, std::string(m.key.name)}, Entry{limits.burst, now, 0});
    Entry& entry = it->second;
    if (limits.rate > 0) entry.tokens -= 1;
    if (limits.max_in_flight > 0) {
      ++entry.in_flight;
      slots.push_back({m.shard, m.key.rule, m.key.group, std::string(m.key.name)});
    }
  }
  return Admission(slots.empty() ? nullptr : self, std::move(slots));
}

void CallerLimiter::State::Release(const Admission::Slot& slot) {
  Shard& shard = shards[slot.shard];
  absl::MutexLock lock(&shard.mu);
  auto it = shard.entries.find(KeyView{slot.rule, slot.group, slot.name});
  if (it == shard.entries.end()) return;  // cannot happen: entries in use are never evicted
  if (--it->second.in_flight <= 0 && LimitsOf(slot.rule).rate <= 0) {
    shard.entries.erase(it);  // idle with no bucket to remember
  }
}

absl::StatusOr<std::unique_ptr<CallerLimiter>> CallerLimiter::Create(LimitSettings settings) {
  absl::flat_hash_set<absl::string_view> ids;
  for (size_t i = 0; i < settings.rules.size(); ++i) {
    const LimitRule& rule = settings.rules[i];
    if (absl::Status s = ValidateRule(rule, i); !s.ok()) return s;
    if (!ids.insert(rule.id).second) {
      return InvalidRule(rule, i, "repeats the id of an earlier rule; rule ids must be unique");
    }
  }
  if (settings.max_tracked_callers == 0) {
    return absl::InvalidArgumentError("max_tracked_callers must be at least 1");
  }
  if (settings.max_watch_streams_per_principal < 0) {
    return absl::InvalidArgumentError("max_watch_streams_per_principal must be >= 0");
  }

  auto state = std::make_shared<State>();
  for (const LimitRule& rule : settings.rules) {
    CompiledRule compiled{{rule.id, rule.rate_per_second, 0, rule.max_in_flight, false},
                          PrincipalMatcher(rule.principals),
                          {},
                          rule.shared_by_group};
    if (rule.rate_per_second > 0) {
      compiled.limits.burst =
          rule.burst > 0 ? rule.burst : std::max(1.0, std::ceil(rule.rate_per_second));
    }
    for (const std::string& action : rule.actions) {
      compiled.actions.push_back(absl::AsciiStrToLower(action));
    }
    state->rules.push_back(std::move(compiled));
  }
  state->watch = {std::string(kWatchStreamRuleId), 0, 0, settings.max_watch_streams_per_principal,
                  true};
  state->shard_count =
      std::clamp<size_t>(settings.max_tracked_callers / kMinEntriesPerShard, 1, kMaxShards);
  state->per_shard_capacity = settings.max_tracked_callers / state->shard_count;
  state->shards = std::make_unique<Shard[]>(state->shard_count);
  return std::unique_ptr<CallerLimiter>(new CallerLimiter(std::move(state)));
}

CallerLimiter::CallerLimiter(std::shared_ptr<State> state) : state_(std::move(state)) {}
CallerLimiter::~CallerLimiter() = default;

CallerLimiter::Result CallerLimiter::Admit(absl::string_view principal,
                                           absl::Span<const std::string> groups,
                                           absl::string_view action, absl::Time now) {
  absl::InlinedVector<State::Match, 4> matches;
  for (size_t i = 0; i < state_->rules.size(); ++i) {
    const CompiledRule& rule = state_->rules[i];
    const bool action_matches =
        std::any_of(rule.actions.begin(), rule.actions.end(), [&](const std::string& pattern) {
          return pattern == "*" || GlobMatch(pattern, action, /*ignore_case=*/true);
        });
    if (!action_matches) continue;
    const PrincipalMatcher::Match who = rule.principals.Find(principal, groups);
    if (!who.matched) continue;
    const bool by_group = rule.shared_by_group && !who.group.empty();
    const KeyView key{static_cast<uint32_t>(i), by_group, by_group ? who.group : principal};
    matches.push_back({&rule.limits, key, state_->ShardOf(key)});
  }
  if (matches.empty()) return Admission(nullptr, {});
  return state_->AdmitAll(state_, absl::MakeSpan(matches), now);
}

CallerLimiter::Result CallerLimiter::AdmitWatchStream(absl::string_view principal, absl::Time now) {
  if (state_->watch.max_in_flight == 0) return Admission(nullptr, {});
  const KeyView key{kWatchRule, false, principal};
  State::Match match{&state_->watch, key, state_->ShardOf(key)};
  return state_->AdmitAll(state_, absl::MakeSpan(&match, 1), now);
}

size_t CallerLimiter::tracked_callers() const {
  size_t total = 0;
  for (size_t s = 0; s < state_->shard_count; ++s) {
    absl::MutexLock lock(&state_->shards[s].mu);
    total += state_->shards[s].entries.size();
  }
  return total;
}

CallerLimiter::Admission::Admission(std::shared_ptr<State> state,
                                    absl::InlinedVector<Slot, 2> slots)
    : state_(std::move(state)), slots_(std::move(slots)) {}

CallerLimiter::Admission::Admission(Admission&& other) noexcept
    : state_(std::move(other.state_)), slots_(std::move(other.slots_)) {
  other.state_.reset();
  other.slots_.clear();
}

CallerLimiter::Admission& CallerLimiter::Admission::operator=(Admission&& other) noexcept {
  if (this != &other) {
    Release();
    state_ = std::move(other.state_);
    slots_ = std::move(other.slots_);
    other.state_.reset();
    other.slots_.clear();
  }
  return *this;
}

CallerLimiter::Admission::~Admission() { Release(); }

void CallerLimiter::Admission::Release() {
  if (state_ != nullptr) {
    for (const Slot& slot : slots_) state_->Release(slot);
  }
  state_.reset();
  slots_.clear();
}

}  // namespace awsgw::auth::policy
