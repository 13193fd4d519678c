#include "gateway/server/connection_registry.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace awsgw::gateway::server {
namespace {

// The inode of the socket `fd` holds, or 0 when it holds none.
ino_t SocketInode(int fd) {
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) return 0;
  return info.st_ino;
}

// Sweeps when at the cap are at most this frequent: a flood of connections
// at the cap must not turn each accept into a walk over all of them.
constexpr absl::Duration kMinSweepInterval = absl::Milliseconds(100);

}  // namespace

std::string PeerString(const sockaddr* address, socklen_t length) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    return absl::StrCat("ipv4:", text, ":", ntohs(v4->sin_port));
  }
  if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      // gRPC names a mapped address by its IPv4 form.
      inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], text, sizeof text);
      return absl::StrCat("ipv4:", text, ":", ntohs(v6->sin6_port));
    }
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    return absl::StrCat("ipv6:[", text, "]:", ntohs(v6->sin6_port));
  }
  return "";
}

bool ConnectionRegistry::Add(int fd, const sockaddr* address, socklen_t length) {
  std::string peer = PeerString(address, length);
  const ino_t inode = SocketInode(fd);
  absl::MutexLock lock(&mu_);
  if (static_cast<int64_t>(by_peer_.size()) >= options_.max_connections) {
    const absl::Time now = options_.clock();
    if (now - last_sweep_ >= kMinSweepInterval) SweepLocked();
    if (static_cast<int64_t>(by_peer_.size()) >= options_.max_connections) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  }
  accepted_.fetch_add(1, std::memory_order_relaxed);
  if (peer.empty()) return true;  // counted by no one: not a TCP peer
  by_peer_[peer] = std::make_shared<Connection>(fd, inode, peer);
  return true;
}

int64_t ConnectionRegistry::Sweep() {
  absl::MutexLock lock(&mu_);
  return SweepLocked();
}

int64_t ConnectionRegistry::SweepLocked() {
  last_sweep_ = options_.clock();
  absl::erase_if(by_peer_, [](const auto& entry) {
    const Connection& connection = *entry.second;
    return SocketInode(connection.fd()) != connection.inode();
  });
  return static_cast<int64_t>(by_peer_.size());
}

std::shared_ptr<ConnectionRegistry::Connection> ConnectionRegistry::Find(
    absl::string_view peer) const {
  absl::MutexLock lock(&mu_);
  auto it = by_peer_.find(peer);
  return it == by_peer_.end() ? nullptr : it->second;
}

bool ConnectionRegistry::NoteReset(Connection& connection) {
  if (options_.resets_per_window <= 0) return false;
  {
    absl::MutexLock lock(&connection.mu_);
    const absl::Time now = options_.clock();
    if (now - connection.window_start_ >= options_.reset_window) {
      connection.window_start_ = now;
      connection.resets_ = 0;
    }
    if (++connection.resets_ <= options_.resets_per_window) return false;
  }
  if (connection.closed_.exchange(true)) return false;
  closed_for_resets_.fetch_add(1, std::memory_order_relaxed);
  Close(connection);
  return true;
}

void ConnectionRegistry::Close(Connection& connection) {
  connection.closed_.store(true, std::memory_order_relaxed);
  // Only if the descriptor still holds this connection's socket: gRPC may
  // have closed it, and the number may now belong to another socket.
  if (SocketInode(connection.fd()) == connection.inode()) {
    shutdown(connection.fd(), SHUT_RDWR);
  }
}

int64_t ConnectionRegistry::open() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(by_peer_.size());
}

}  // namespace awsgw::gateway::server
