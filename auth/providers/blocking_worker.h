// BlockingWorker: one thread for work that has to wait (running a
// credential_process, reading a token file), so that nobody else's thread
// does. Tasks run in order. The destructor runs what is queued, then joins.
#ifndef AWSGW_AUTH_PROVIDERS_BLOCKING_WORKER_H_
#define AWSGW_AUTH_PROVIDERS_BLOCKING_WORKER_H_

#include <deque>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace awsgw::auth::providers {

class BlockingWorker {
 public:
  BlockingWorker();
  ~BlockingWorker();
  BlockingWorker(const BlockingWorker&) = delete;
  BlockingWorker& operator=(const BlockingWorker&) = delete;

  void Post(absl::AnyInvocable<void()> task);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_BLOCKING_WORKER_H_
