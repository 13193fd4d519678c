// AcceptGuard: keeps the gRPC listener accepting, whatever clients do, and
// counts the connections it accepts.
//
// Why it exists: gRPC 1.51's listener (tcp_server_posix.cc) ends its accept
// loop for good when accept4() fails with anything but EAGAIN, EINTR or
// ECONNABORTED. Running out of descriptors (EMFILE) is such a failure: once
// a client has opened as many connections as the process may hold, the
// port stops accepting forever, while the process and its metrics look
// healthy (fixed upstream in later gRPC versions, not in Debian 12's).
// The gRPC API offers no hook into that loop, so the gateway interposes the
// accept4() symbol itself: the executable defines accept4, which the
// dynamic linker binds libgrpc's call to, and the guard calls the C
// library's accept4 underneath. For the listening sockets it guards it
//   * never reports a failure that would end gRPC's loop: out of
//     descriptors (EMFILE, ENFILE) or kernel memory, it accepts the waiting
//     connection with a descriptor it keeps in reserve and closes it at once
//     (the client sees its connection closed, and retries), until the queue
//     is empty; any other unexpected error reads as "nothing to accept";
//   * closes at once each connection over the connection cap
//     (ConnectionRegistry::Add), so the cap holds below the descriptor
//     limit;
//   * records every accepted socket in the ConnectionRegistry.
// Other callers of accept4 (none in this process today) pass straight
// through. ListenerWatchdog (listener_watchdog.h) covers what is left: a
// listener that still stops accepting makes the gateway unhealthy and exit.
//
// Threading: Accept runs on gRPC's threads; everything here is lock-free on
// that path. One guard per process (the symbol is process-wide).
#ifndef AWSGW_GATEWAY_SERVER_ACCEPT_GUARD_H_
#define AWSGW_GATEWAY_SERVER_ACCEPT_GUARD_H_

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "gateway/server/connection_registry.h"

namespace awsgw::gateway::server {

class AcceptGuard {
 public:
  // The process's guard. Never destroyed: gRPC threads may call into it
  // until the process ends.
  static AcceptGuard& Instance();

  // Guards every listening TCP socket of this process bound to `port` (the
  // gRPC server's, once BuildAndStart returned), recording connections in
  // `registry` (shared: kept as long as the guard may use it). NOT_FOUND
  // when no such socket exists. With `shed` false, accepted connections are
  // only counted, failures are passed on as they are and nothing is closed
  // (a diagnostics switch: gRPC's own behaviour, for tests of the
  // watchdog).
  absl::Status Guard(int port, std::shared_ptr<ConnectionRegistry> registry, bool shed = true);

  // The interposed accept4(2).
  int Accept(int fd, sockaddr* address, socklen_t* length, int flags);

  // The guarded listening descriptors.
  std::vector<int> listeners() const;
  // Calls of Accept on a guarded listener, whatever their outcome.
  uint64_t accept_calls() const { return accept_calls_.load(std::memory_order_relaxed); }
  // Connections accepted and closed because descriptors ran out.
  uint64_t shed() const { return shed_.load(std::memory_order_relaxed); }
  // Failures of accept4 other than "nothing to accept", hidden from gRPC.
  uint64_t hidden_errors() const { return hidden_errors_.load(std::memory_order_relaxed); }
  // Whether a descriptor is held in reserve for shedding.
  bool has_reserve() const { return reserve_fd_.load() >= 0; }
  // Opens the reserve descriptor again if shedding used it up and it could
  // not be reopened then. For the watchdog's rounds.
  void RestoreReserve();

 private:
  AcceptGuard();
  bool IsGuarded(int fd) const;
  // Accepts one waiting connection with the reserve descriptor freed, and
  // closes it. False when there was none or no reserve.
  bool ShedOne(int listener);

  using AcceptFn = int (*)(int, sockaddr*, socklen_t*, int);
  const AcceptFn real_accept4_;
  static constexpr int kMaxListeners = 8;
  std::array<std::atomic<int>, kMaxListeners> listeners_;
  std::atomic<ConnectionRegistry*> registry_{nullptr};
  std::shared_ptr<ConnectionRegistry> registry_owner_;
  std::atomic<bool> shed_enabled_{true};
  std::atomic<int> reserve_fd_{-1};
  std::atomic<uint64_t> accept_calls_{0};
  std::atomic<uint64_t> shed_{0};
  std::atomic<uint64_t> hidden_errors_{0};
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_ACCEPT_GUARD_H_
