// RunClosedLoop: a closed-loop load generator over any asynchronous call,
// and the latency summary of what it ran.
//
// `concurrency` slots each start a call, and start the next one as soon as
// the previous finished, until `duration` has passed: the number of calls in
// flight is always `concurrency` (calls/s then measures how fast the system
// answers, not how fast we send). With a zero duration each slot makes
// exactly one call: a wave of `concurrency` calls started at once. A slot
// whose call fails stops there: failures are usually fast, and a slot
// spinning on them would swamp the measurement (the report shows them).
//
// Threading: `start` is called from the calling thread and from whatever
// thread ran the previous call's completion; it must not block. Each slot
// records into its own vector, so completions never contend on a lock.
//
// Example:
//   LoadResult result = RunClosedLoop(64, absl::Seconds(5), [&](CallDone done) {
//     client->Send(..., [done](auto response) { done(response.status()); });
//   });
//   LatencySummary summary = Summarize(result);
#ifndef AWSGW_BENCH_CLOSED_LOOP_H_
#define AWSGW_BENCH_CLOSED_LOOP_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace awsgw::bench {

// Called exactly once per call with how it ended.
using CallDone = std::function<void(const absl::Status&)>;
// Starts one call; `done` may run on any thread, and should not run inside
// `start` for a successful call (the next call would nest on the stack).
using StartCall = std::function<void(CallDone done)>;

struct LoadResult {
  int concurrency = 0;
  absl::Duration elapsed;           // first start to last completion
  std::vector<int64_t> latency_ns;  // successful calls only, sorted
  int64_t ok = 0;
  std::map<std::string, int64_t> failures;  // by status code name
  std::string first_failure;                // the message of one failure, for the report

  int64_t failed() const;
};

// Runs the loop and blocks until every slot's last call finished.
LoadResult RunClosedLoop(int concurrency, absl::Duration duration, const StartCall& start);

struct LatencySummary {
  int64_t calls = 0;  // successful
  double calls_per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
};

// Percentiles by nearest rank over the successful calls; zeros when none.
LatencySummary Summarize(const LoadResult& result);

}  // namespace awsgw::bench

#endif  // AWSGW_BENCH_CLOSED_LOOP_H_
