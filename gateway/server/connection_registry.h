// ConnectionRegistry: the client connections the gateway has accepted, what
// each costs, and the one lever the gRPC 1.51 API lacks: closing a
// connection whose client misbehaves.
//
// Connections enter through the accept guard (accept_guard.h), which sees
// every socket gRPC accepts; calls find theirs by the peer string gRPC gives
// them ("ipv4:10.0.3.7:40314", "ipv6:[::1]:40314"). gRPC closes sockets
// without telling anyone, so a record holds the socket's descriptor and
// inode, and Sweep() drops records whose descriptor no longer holds that
// socket.
//
// Per connection it keeps the answers the client has not read yet (calls
// finished but not delivered: a client that never reads holds them in
// memory) and the calls its client cancelled before they finished, to
// close a connection that resets streams as fast as it opens them (HTTP/2
// rapid reset).
//
// Thread-safe. Add and Sweep take a mutex; a call's per-connection
// bookkeeping goes through its Connection handle, lock-free but for resets.
#ifndef AWSGW_GATEWAY_SERVER_CONNECTION_REGISTRY_H_
#define AWSGW_GATEWAY_SERVER_CONNECTION_REGISTRY_H_

#include <sys/socket.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace awsgw::gateway::server {

// "ipv4:1.2.3.4:5" / "ipv6:[::1]:5", as gRPC names a peer (IPv4-mapped
// IPv6 addresses as IPv4); "" for other address families.
std::string PeerString(const sockaddr* address, socklen_t length);

class ConnectionRegistry {
 public:
  struct Options {
    int64_t max_connections = 10000;
    // Resets (calls cancelled by the client before they finished) per
    // window before the connection is closed; 0: never.
    int64_t resets_per_window = 1000;
    absl::Duration reset_window = absl::Seconds(10);
    std::function<absl::Time()> clock = [] { return absl::Now(); };
  };

  // One accepted connection.
  class Connection {
   public:
    Connection(int fd, ino_t inode, std::string peer) : fd_(fd), inode_(inode), peer_(peer) {}
    const std::string& peer() const { return peer_; }
    int fd() const { return fd_; }
    ino_t inode() const { return inode_; }
    // Answers given to gRPC but not yet taken by the client.
    int64_t pending_response_bytes() const { return pending_.load(std::memory_order_relaxed); }
    void AddPendingResponseBytes(int64_t delta) {
      pending_.fetch_add(delta, std::memory_order_relaxed);
    }
    bool closed_by_gateway() const { return closed_.load(std::memory_order_relaxed); }

   private:
    friend class ConnectionRegistry;
    const int fd_;
    const ino_t inode_;
    const std::string peer_;
    std::atomic<int64_t> pending_{0};
    std::atomic<bool> closed_{false};
    absl::Mutex mu_;
    absl::Time window_start_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
    int64_t resets_ ABSL_GUARDED_BY(mu_) = 0;
  };

  explicit ConnectionRegistry(Options options) : options_(std::move(options)) {}

  // Records the socket `fd` just accepted from `address`. False when the
  // registry is at max_connections (after a sweep, at most every 100 ms):
  // the caller closes the socket.
  bool Add(int fd, const sockaddr* address, socklen_t length);

  // Drops records of sockets gRPC has closed. Returns how many are open.
  int64_t Sweep();

  // The connection a call arrived on, or null (not accepted through the
  // guard: an in-process channel, a test server).
  std::shared_ptr<Connection> Find(absl::string_view peer) const;

  // The client of `connection` cancelled a call before it finished. When
  // that happened more than resets_per_window times in a window, the
  // connection is closed (shutdown(2): gRPC then ends it and every stream
  // on it) and true is returned, once.
  bool NoteReset(Connection& connection);

  // Closes `connection` if its descriptor still holds its socket. Any
  // thread; idempotent.
  void Close(Connection& connection);

  int64_t open() const;
  int64_t max_connections() const { return options_.max_connections; }
  uint64_t accepted() const { return accepted_.load(std::memory_order_relaxed); }
  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
  uint64_t closed_for_resets() const { return closed_for_resets_.load(std::memory_order_relaxed); }

 private:
  int64_t SweepLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<Connection>> by_peer_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sweep_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> closed_for_resets_{0};
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_CONNECTION_REGISTRY_H_
