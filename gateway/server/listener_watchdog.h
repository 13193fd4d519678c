// ListenerWatchdog: notices a gRPC listener that no longer accepts, so the
// gateway is never a silent zombie (up, metrics answering, health SERVING,
// yet every new connection waiting forever).
//
// Every `period` it sweeps the connection registry, restores the accept
// guard's reserve descriptor, and reads each guarded listener's accept
// queue (TCP_INFO). Connections waiting while gRPC made no accept call for
// `poke_after` get the listener a wake-up: the watchdog connects to it
// itself, which gRPC's edge-triggered poller sees as new activity. Still
// waiting and still no accept after `stalled_after`: `on_stalled` runs once
// (the gateway turns unhealthy and exits for its supervisor to restart it).
#ifndef AWSGW_GATEWAY_SERVER_LISTENER_WATCHDOG_H_
#define AWSGW_GATEWAY_SERVER_LISTENER_WATCHDOG_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gateway/server/accept_guard.h"
#include "gateway/server/connection_registry.h"
#include "gateway/server/limit_events.h"

namespace awsgw::gateway::server {

// Connections completed by the kernel and waiting for accept() on the
// listening socket `fd`, or -1 when it cannot be read.
int AcceptQueueLength(int fd);

class ListenerWatchdog {
 public:
  struct Options {
    absl::Duration period = absl::Seconds(1);
    absl::Duration poke_after = absl::Seconds(2);
    absl::Duration stalled_after = absl::Seconds(20);
  };

  // `guard` and `events` (may be null) must outlive the watchdog. Each
  // round also reports to `events` the connections refused since the last
  // one (over the cap, or shed when descriptors ran out): the accept path
  // itself never logs. `on_stalled` runs on the watchdog's thread.
  ListenerWatchdog(AcceptGuard* guard, std::shared_ptr<ConnectionRegistry> registry,
                   Options options, LimitEvents* events, std::function<void()> on_stalled);
  ~ListenerWatchdog();
  void Stop();

  uint64_t pokes() const { return pokes_.load(std::memory_order_relaxed); }
  bool stalled() const { return stalled_.load(std::memory_order_relaxed); }

 private:
  void Run();
  void Round();

  AcceptGuard* const guard_;
  const std::shared_ptr<ConnectionRegistry> registry_;
  const Options options_;
  LimitEvents* const events_;
  const std::function<void()> on_stalled_;
  uint64_t last_accept_calls_ = 0;
  uint64_t reported_refused_ = 0;
  uint64_t reported_shed_ = 0;
  absl::Duration waiting_for_ = absl::ZeroDuration();
  std::atomic<uint64_t> pokes_{0};
  std::atomic<bool> stalled_{false};
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_LISTENER_WATCHDOG_H_
