// RequestLog: how many requests each operation has received, for tests and
// benchmarks that assert how often the gateway calls AWS (request counts do
// not depend on timing the way rates do). Keys are "<signing name>.<operation>"
// ("ecs.DescribeTasks"). Thread-safe.
#ifndef AWSGW_EMULATOR_REQUEST_LOG_H_
#define AWSGW_EMULATOR_REQUEST_LOG_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace awsgw::emulator {

class RequestLog {
 public:
  void Record(absl::string_view signing_name, absl::string_view operation);
  void Reset();

  // {"total":N,"operations":{"ecs.DescribeTasks":n,...}}, keys sorted.
  std::string ToJson() const;

 private:
  mutable absl::Mutex mu_;
  int64_t total_ ABSL_GUARDED_BY(mu_) = 0;
  absl::btree_map<std::string, int64_t, std::less<>> counts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_REQUEST_LOG_H_
