// ConnectionPool: the connections to one (scheme, host, port), shared by all
// calls to it: keep-alive reuse, a cap on open connections, a bounded queue of
// calls waiting for one, and idle expiry.
//
// Why a mutex and not a strand: Acquire() is called on the calls' strands and
// Release() on whichever strand finished an exchange; each operation is a few
// list edits, so a short critical section is simpler than hopping executors.
// No callback ever runs under the lock, and nothing here blocks.
//
// Protocol (the owner, an OutboundRequest, follows it): every Lease obtained from Acquire,
// from a queued callback or from ReplaceStale is given back exactly once, with
// Release(). A lease with reused == false holds a new, unconnected Connection
// that the caller connects.
#ifndef AWSGW_HTTP_CLIENT_CONNECTION_POOL_H_
#define AWSGW_HTTP_CLIENT_CONNECTION_POOL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "http/client/client_options.h"
#include "http/client/client_stats.h"
#include "http/client/connection.h"

namespace awsgw::http::client {

struct Lease {
  std::shared_ptr<Connection> connection;
  // True: an idle, connected keep-alive connection. False: a new one.
  bool reused = false;
};

struct PoolLimits {
  int max_connections = 32;
  int max_queued = 512;
  absl::Duration idle_timeout = absl::Seconds(45);
};

class ConnectionPool {
 public:
  using Factory = std::function<std::shared_ptr<Connection>()>;
  // Runs once with the lease or the pool's shutdown status; from any thread,
  // never under the pool's lock. It must not block (post to your strand).
  using LeaseCallback = absl::AnyInvocable<void(absl::StatusOr<Lease>)>;

  // `name` ("host:port") appears in messages. `factory` makes unconnected
  // connections; `clock` dates idle connections.
  ConnectionPool(std::string name, PoolLimits limits, Factory factory, Clock clock,
                 std::shared_ptr<ClientCounters> counters);
  ~ConnectionPool();

  // A lease right away (an idle connection that still looks alive, else a new
  // connection if under the cap), or nullopt when the call was queued: then
  // `on_lease` runs later, exactly once, unless CancelWait(waiter) returns
  // true. Returns RESOURCE_EXHAUSTED when the queue is full and UNAVAILABLE
  // after Shutdown(); `on_lease` is then dropped without running.
  absl::StatusOr<std::optional<Lease>> Acquire(uint64_t waiter, LeaseCallback on_lease);

  // Removes a queued waiter. True when it was still queued (its callback will
  // not run); false when its lease is already on the way.
  bool CancelWait(uint64_t waiter);

  // Gives a lease back. `reusable`: the connection is open, idle and fit for
  // another request; it goes to the first waiter or to the idle list. Else it
  // is closed and its slot goes to the first waiter as a new connection.
  void Release(std::shared_ptr<Connection> connection, bool reusable);

  // For a reused connection that failed before any response byte arrived:
  // closes it and returns a new, unconnected connection in the same slot, so
  // the retry neither queues nor exceeds the cap.
  Lease ReplaceStale(std::shared_ptr<Connection> dead);

  // Closes idle connections past the idle timeout or closed by the peer.
  void CloseIdle();

  // Closes idle connections and fails every waiter with `status`; later
  // Acquire() calls fail with it. Leased connections close when released.
  void Shutdown(absl::Status status);

  struct Gauges {
    int64_t active = 0;
    int64_t idle = 0;
    int64_t queued = 0;
  };
  Gauges GetGauges() const;

 private:
  struct IdleConnection {
    std::shared_ptr<Connection> connection;
    absl::Time since;
  };
  struct Waiter {
    uint64_t id;
    LeaseCallback on_lease;
  };
  // A lease to hand to a waiter once the lock is released.
  using Delivery = std::pair<LeaseCallback, absl::StatusOr<Lease>>;

  std::shared_ptr<Connection> NewConnectionLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CloseLocked(std::shared_ptr<Connection> connection) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool IdleUsableLocked(const IdleConnection& idle, absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static void Deliver(std::vector<Delivery> deliveries);

  const std::string name_;
  const PoolLimits limits_;
  const Factory factory_;
  const Clock clock_;
  const std::shared_ptr<ClientCounters> counters_;

  mutable absl::Mutex mu_;
  // Open connections: leased ones plus idle_. Never above max_connections
  // (ReplaceStale swaps one for one).
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  // Most recently used at the back: reused first, least likely stale.
  std::vector<IdleConnection> idle_ ABSL_GUARDED_BY(mu_);
  std::deque<Waiter> waiters_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> shutdown_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_CONNECTION_POOL_H_
