// RunClosedLoop: slots that restart themselves from their own completions,
// and a counter the caller waits on.
#include "bench/closed_loop.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace awsgw::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Slot {
  std::vector<int64_t> latency_ns;
  int64_t ok = 0;
  absl::Status failure;  // set when the slot stopped on a failed call
};

// Shared by every slot; lives on RunClosedLoop's stack, which outlives every
// call because it waits for all slots to finish.
struct Loop {
  const StartCall* start;
  SteadyClock::time_point end;
  std::vector<Slot> slots;

  absl::Mutex mu;
  int running ABSL_GUARDED_BY(mu) = 0;
};

void StartNext(Loop* loop, Slot* slot) {
  const SteadyClock::time_point started = SteadyClock::now();
  (*loop->start)([loop, slot, started](const absl::Status& status) {
    const SteadyClock::time_point finished = SteadyClock::now();
    if (status.ok()) {
      ++slot->ok;
      slot->latency_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(finished - started).count());
      if (finished < loop->end) return StartNext(loop, slot);
    } else {
      slot->failure = status;
    }
    absl::MutexLock lock(&loop->mu);
    --loop->running;
  });
}

}  // namespace

int64_t LoadResult::failed() const {
  int64_t total = 0;
  for (const auto& [code, count] : failures) total += count;
  return total;
}

LoadResult RunClosedLoop(int concurrency, absl::Duration duration, const StartCall& start) {
  Loop loop;
  loop.start = &start;
  loop.slots.resize(static_cast<size_t>(std::max(concurrency, 0)));
  const SteadyClock::time_point begin = SteadyClock::now();
  loop.end = begin + absl::ToChronoNanoseconds(duration);
  {
    absl::MutexLock lock(&loop.mu);
    loop.running = static_cast<int>(loop.slots.size());
  }
  for (Slot& slot : loop.slots) StartNext(&loop, &slot);
  {
    absl::MutexLock lock(&loop.mu);
    loop.mu.Await(absl::Condition(
        +[](int* running) { return *running == 0; }, &loop.running));
  }

  LoadResult result;
  result.concurrency = concurrency;
  result.elapsed = absl::FromChrono(SteadyClock::now() - begin);
  for (Slot& slot : loop.slots) {
    result.ok += slot.ok;
    result.latency_ns.insert(result.latency_ns.end(), slot.latency_ns.begin(),
                             slot.latency_ns.end());
    if (!slot.failure.ok()) {
      ++result.failures[absl::StatusCodeToString(slot.failure.code())];
      if (result.first_failure.empty()) result.first_failure = slot.failure.ToString();
    }
  }
  std::sort(result.latency_ns.begin(), result.latency_ns.end());
  return result;
}

LatencySummary Summarize(const LoadResult& result) {
  LatencySummary summary;
  const std::vector<int64_t>& sorted = result.latency_ns;
  summary.calls = static_cast<int64_t>(sorted.size());
  if (sorted.empty()) return summary;
  summary.calls_per_second = summary.calls / absl::ToDoubleSeconds(result.elapsed);
  auto percentile = [&sorted](double p) {
    // Nearest rank: the smallest value with at least p of the calls at or below it.
    size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    rank = std::clamp<size_t>(rank, 1, sorted.size());
    return static_cast<double>(sorted[rank - 1]) / 1000.0;
  };
  summary.p50_us = percentile(0.50);
  summary.p99_us = percentile(0.99);
  return summary;
}

}  // namespace awsgw::bench
