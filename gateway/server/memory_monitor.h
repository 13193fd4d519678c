// MemoryMonitor: the process's resident memory, sampled on a thread of its
// own, against the ceiling above which the gateway takes no new work; and
// the memory returned to the system once a burst is over.
//
// Why sampling: reading /proc/self/statm costs a system call, too much for
// every call; a quarter second late is early enough to refuse new calls
// before the kernel's OOM killer ends every call at once.
//
// Why trimming: glibc keeps freed memory in its heaps (one per thread that
// allocated), so after a burst of large answers the process stays as large
// as the burst made it. When the gateway is quiet (`busy()` reports no
// more than a few calls) and has grown since the last trim, it asks glibc
// to give free pages back (malloc_trim), at most every few seconds.
#ifndef AWSGW_GATEWAY_SERVER_MEMORY_MONITOR_H_
#define AWSGW_GATEWAY_SERVER_MEMORY_MONITOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace awsgw::gateway::server {

// The memory limit of this process's cgroup (v2 memory.max, or v1
// memory.limit_in_bytes), or nullopt when it has none.
std::optional<int64_t> ContainerMemoryLimit();

class MemoryMonitor {
 public:
  struct Options {
    // Resident memory above which over_limit() is true; nullopt: never.
    std::optional<int64_t> limit;
    absl::Duration period = absl::Milliseconds(250);
    // Trim when at least this much was gained since the last trim, no more
    // than busy_threshold calls are in flight, and min_trim_interval passed.
    int64_t trim_growth = int64_t{16} << 20;
    int64_t busy_threshold = 2;
    absl::Duration min_trim_interval = absl::Seconds(2);
  };

  // Takes a first sample; samples go on once Start() is called.
  explicit MemoryMonitor(Options options);
  ~MemoryMonitor();
  // Starts sampling on a thread of its own. `busy` returns the calls in
  // flight (may be empty: never busy). Call once.
  void Start(std::function<int64_t()> busy);
  void Stop();

  int64_t resident_bytes() const { return resident_.load(std::memory_order_relaxed); }
  bool over_limit() const { return over_.load(std::memory_order_relaxed); }
  const std::optional<int64_t>& limit() const { return options_.limit; }
  uint64_t trims() const { return trims_.load(std::memory_order_relaxed); }

 private:
  void Run();
  void Sample();

  const Options options_;
  std::function<int64_t()> busy_;
  std::atomic<int64_t> resident_{0};
  std::atomic<bool> over_{false};
  std::atomic<uint64_t> trims_{0};
  int64_t after_trim_ = 0;
  absl::Time last_trim_ = absl::InfinitePast();
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_MEMORY_MONITOR_H_
