// ReadinessMonitor: keeps the gRPC health status in step with whether the
// gateway can sign calls. Every `period` it asks the credentials cache for
// credentials (which also refreshes them ahead of expiry when no call has)
// and sets SERVING or NOT_SERVING. Stop() (or the destructor) ends it, after
// which the status is left to the caller (shutdown sets NOT_SERVING).
#ifndef AWSGW_GATEWAY_SERVER_READINESS_MONITOR_H_
#define AWSGW_GATEWAY_SERVER_READINESS_MONITOR_H_

#include <functional>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "auth/providers/credentials_cache.h"

namespace awsgw::gateway::server {

class ReadinessMonitor {
 public:
  // `set_serving` is called from the monitor's thread on every change.
  ReadinessMonitor(std::shared_ptr<auth::providers::CredentialsCache> credentials,
                   std::function<void(bool serving)> set_serving,
                   absl::Duration period = absl::Seconds(5));
  ~ReadinessMonitor();
  void Stop();

 private:
  void Run();

  std::shared_ptr<auth::providers::CredentialsCache> credentials_;
  std::function<void(bool)> set_serving_;
  absl::Duration period_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_READINESS_MONITOR_H_
