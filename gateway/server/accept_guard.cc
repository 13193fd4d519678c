#include "gateway/server/accept_guard.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace awsgw::gateway::server {
namespace {

// How many connections one Accept may refuse (over the cap) before it
// returns: a flood must not hold a gRPC thread forever. What is left in the
// queue is taken on the next wake-up, or the watchdog's poke.
constexpr int kMaxRefusalsPerCall = 1024;

int OpenReserve() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

// The TCP port a listening socket is bound to, or -1 when `fd` is not one.
int ListeningPort(int fd) {
  int listening = 0;
  socklen_t size = sizeof listening;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening) return -1;
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return -1;
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return -1;
}

}  // namespace

AcceptGuard& AcceptGuard::Instance() {
  static AcceptGuard* const guard = new AcceptGuard();
  return *guard;
}

AcceptGuard::AcceptGuard()
    : real_accept4_(reinterpret_cast<AcceptFn>(dlsym(RTLD_NEXT, "accept4"))) {
  if (real_accept4_ == nullptr) std::abort();  // no C library below us: cannot happen
  for (std::atomic<int>& fd : listeners_) fd.store(-1);
}

absl::Status AcceptGuard::Guard(int port, std::shared_ptr<ConnectionRegistry> registry, bool shed) {
  std::vector<int> found;
  if (DIR* fds = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(fds)) {
      int fd = -1;
      if (absl::SimpleAtoi(entry->d_name, &fd) && fd != dirfd(fds) && ListeningPort(fd) == port) {
        found.push_back(fd);
      }
    }
    closedir(fds);
  }
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("no listening socket on port ", port));
  }
  if (found.size() > kMaxListeners) {
    return absl::ResourceExhaustedError(absl::StrCat(found.size(), " listening sockets on port ",
                                                     port, "; at most ", kMaxListeners));
  }
  registry_.store(registry.get());
  registry_owner_ = std::move(registry);  // set once in a process's life
  shed_enabled_.store(shed);
  if (reserve_fd_.load() < 0) reserve_fd_.store(OpenReserve());
  for (int i = 0; i < kMaxListeners; ++i) {
    listeners_[i].store(i < static_cast<int>(found.size()) ? found[i] : -1);
  }
  return absl::OkStatus();
}

std::vector<int> AcceptGuard::listeners() const {
  std::vector<int> out;
  for (const std::atomic<int>& fd : listeners_) {
    if (int value = fd.load(); value >= 0) out.push_back(value);
  }
  return out;
}

bool AcceptGuard::IsGuarded(int fd) const {
  for (const std::atomic<int>& listener : listeners_) {
    if (listener.load(std::memory_order_relaxed) == fd) return true;
  }
  return false;
}

void AcceptGuard::RestoreReserve() {
  if (reserve_fd_.load() >= 0) return;
  int fd = OpenReserve();
  int expected = -1;
  if (fd >= 0 && !reserve_fd_.compare_exchange_strong(expected, fd)) close(fd);
}

bool AcceptGuard::ShedOne(int listener) {
  const int reserve = reserve_fd_.exchange(-1);
  if (reserve < 0) return false;
  close(reserve);
  const int doomed = real_accept4_(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (doomed >= 0) {
    close(doomed);
    shed_.fetch_add(1, std::memory_order_relaxed);
  }
  RestoreReserve();
  return doomed >= 0;
}

int AcceptGuard::Accept(int fd, sockaddr* address, socklen_t* length, int flags) {
  if (fd < 0 || !IsGuarded(fd)) return real_accept4_(fd, address, length, flags);
  accept_calls_.fetch_add(1, std::memory_order_relaxed);
  const bool shed = shed_enabled_.load(std::memory_order_relaxed);
  // The registry needs the peer's address even when gRPC asks for none.
  sockaddr_storage own{};
  socklen_t own_length = sizeof own;
  sockaddr* peer = address != nullptr ? address : reinterpret_cast<sockaddr*>(&own);
  socklen_t* peer_length = length != nullptr ? length : &own_length;
  const socklen_t capacity = *peer_length;
  for (int refused = 0; refused < kMaxRefusalsPerCall;) {
    *peer_length = capacity;
    const int client = real_accept4_(fd, peer, peer_length, flags);
    if (client >= 0) {
      ConnectionRegistry* registry = registry_.load(std::memory_order_acquire);
      if (registry == nullptr || registry->Add(client, peer, *peer_length) || !shed) {
        return client;
      }
      close(client);  // over the cap: the client sees the connection closed
      ++refused;
      continue;
    }
    const int error = errno;
    if (!shed) return -1;
    switch (error) {
      case EINTR:
      case ECONNABORTED:  // that one left the queue; others may be waiting
        continue;
      case EAGAIN:
        return -1;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        if (ShedOne(fd)) continue;
        break;
      default:
        break;
    }
    // gRPC would stop accepting for good on this error: to it, the queue
    // is empty. The watchdog wakes the listener if connections still wait.
    hidden_errors_.fetch_add(1, std::memory_order_relaxed);
    errno = EAGAIN;
    return -1;
  }
  errno = EAGAIN;
  return -1;
}

}  // namespace awsgw::gateway::server

// The symbol libgrpc's listener calls (see the header): the executable's
// definition comes first in the dynamic linker's search order.
extern "C" int accept4(int fd, sockaddr* address, socklen_t* length, int flags) {
  return awsgw::gateway::server::AcceptGuard::Instance().Accept(fd, address, length, flags);
}
