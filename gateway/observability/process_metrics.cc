#include "gateway/observability/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/observability/build_info.h"

namespace awsgw::gateway::observability {
namespace {

// The fields of /proc/self/stat after the command name (which may hold
// spaces, so it is skipped up to its closing parenthesis): index 0 is field
// 3 (state), so field N of proc(5) is at N - 3.
std::vector<std::string> SelfStat() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> fields;
  const size_t end_of_name = line.rfind(')');
  if (end_of_name == std::string::npos) return fields;
  std::istringstream rest(line.substr(end_of_name + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

double StatField(int number) {
  std::vector<std::string> fields = SelfStat();
  const size_t index = static_cast<size_t>(number - 3);
  return index < fields.size() ? std::stod(fields[index]) : 0;
}

double ClockTicksPerSecond() { return static_cast<double>(sysconf(_SC_CLK_TCK)); }

// When the machine booted (seconds since the epoch), from /proc/stat.
double BootTime() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double seconds = 0;
      in >> seconds;
      return seconds;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

double OpenDescriptors() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the descriptor of the listing itself
}

}  // namespace

int64_t ResidentBytes() {
  FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  long size = 0;
  long resident = 0;
  const int read = std::fscanf(statm, "%ld %ld", &size, &resident);
  std::fclose(statm);
  if (read != 2) return 0;
  return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

void RegisterProcessMetrics(Registry& registry) {
  registry.AddCallback("process_cpu_seconds_total",
                       "Total user and system CPU time spent in seconds.", "counter", [] {
                         // utime (14) and stime (15), in clock ticks, of one reading.
                         const std::vector<std::string> stat = SelfStat();
                         if (stat.size() <= 12) return 0.0;
                         return (std::stod(stat[11]) + std::stod(stat[12])) / ClockTicksPerSecond();
                       });
  registry.AddCallback("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge",
                       [] { return static_cast<double>(ResidentBytes()); });
  registry.AddCallback("process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge",
                       [] { return StatField(23); });
  registry.AddCallback("process_open_fds", "Number of open file descriptors.", "gauge",
                       [] { return OpenDescriptors(); });
  registry.AddCallback("process_max_fds", "Maximum number of open file descriptors.", "gauge", [] {
    rlimit limit{};
    return getrlimit(RLIMIT_NOFILE, &limit) == 0 ? static_cast<double>(limit.rlim_cur) : 0;
  });
  // starttime (22) is in clock ticks since boot; fixed for the process.
  const double start = BootTime() + StatField(22) / ClockTicksPerSecond();
  registry.AddCallback("process_start_time_seconds",
                       "Start time of the process since unix epoch in seconds.", "gauge",
                       [start] { return start; });
}

void RegisterBuildInfo(Registry& registry) {
  registry.AddInfo("awsgw_build_info",
                   "The gateway's version and the git revision it was built from; always 1.",
                   {{"version", std::string(Version())}, {"revision", std::string(Revision())}});
}

}  // namespace awsgw::gateway::observability
