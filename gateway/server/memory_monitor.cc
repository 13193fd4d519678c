#include "gateway/server/memory_monitor.h"

#include <malloc.h>

#include <fstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "gateway/observability/process_metrics.h"

namespace awsgw::gateway::server {
namespace {

// A limit file's number, or nullopt for "max", a missing file or a value
// so large it means "no limit" (cgroup v1 reports about 2^63).
std::optional<int64_t> ReadLimit(const char* path) {
  std::ifstream file(path);
  std::string text;
  if (!file || !std::getline(file, text)) return std::nullopt;
  int64_t value = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &value)) return std::nullopt;
  if (value <= 0 || value >= (int64_t{1} << 60)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<int64_t> ContainerMemoryLimit() {
  if (std::optional<int64_t> v2 = ReadLimit("/sys/fs/cgroup/memory.max")) return v2;
  return ReadLimit("/sys/fs/cgroup/memory/memory.limit_in_bytes");
}

MemoryMonitor::MemoryMonitor(Options options) : options_(options) {
  Sample();
  after_trim_ = resident_.load();
}

void MemoryMonitor::Start(std::function<int64_t()> busy) {
  busy_ = std::move(busy);
  thread_ = std::thread([this] { Run(); });
}

MemoryMonitor::~MemoryMonitor() { Stop(); }

void MemoryMonitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void MemoryMonitor::Run() {
  while (!stop_.WaitForNotificationWithTimeout(options_.period)) {
    Sample();
    const int64_t resident = resident_.load(std::memory_order_relaxed);
    const absl::Time now = absl::Now();
    const bool quiet = !busy_ || busy_() <= options_.busy_threshold;
    if (quiet && resident - after_trim_ >= options_.trim_growth &&
        now - last_trim_ >= options_.min_trim_interval) {
      malloc_trim(0);
      trims_.fetch_add(1, std::memory_order_relaxed);
      last_trim_ = now;
      Sample();
      after_trim_ = resident_.load(std::memory_order_relaxed);
    } else if (resident < after_trim_) {
      after_trim_ = resident;  // memory went back by itself: grow from here
    }
  }
}

void MemoryMonitor::Sample() {
  const int64_t resident = observability::ResidentBytes();
  resident_.store(resident, std::memory_order_relaxed);
  over_.store(options_.limit.has_value() && resident > *options_.limit, std::memory_order_relaxed);
}

}  // namespace awsgw::gateway::server
