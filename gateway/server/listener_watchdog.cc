#include "gateway/server/listener_watchdog.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace awsgw::gateway::server {
namespace {

// Connects to the listening socket `fd` (its loopback address when it is
// bound to any address) without waiting, and lets go: the new connection
// is the activity that wakes gRPC's poller for the listener.
void Poke(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return;
  if (address.ss_family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    if (v4->sin_addr.s_addr == htonl(INADDR_ANY)) v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  } else if (address.ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr)) v6->sin6_addr = in6addr_loopback;
  } else {
    return;
  }
  const int probe = socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (probe < 0) return;
  (void)connect(probe, reinterpret_cast<sockaddr*>(&address), length);
  close(probe);
}

}  // namespace

int AcceptQueueLength(int fd) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return -1;
  // For a listening socket Linux reports the accept queue's length here.
  return static_cast<int>(info.tcpi_unacked);
}

ListenerWatchdog::ListenerWatchdog(AcceptGuard* guard, std::shared_ptr<ConnectionRegistry> registry,
                                   Options options, LimitEvents* events,
                                   std::function<void()> on_stalled)
    : guard_(guard),
      registry_(std::move(registry)),
      options_(options),
      events_(events),
      on_stalled_(std::move(on_stalled)),
      last_accept_calls_(guard->accept_calls()),
      thread_([this] { Run(); }) {}

ListenerWatchdog::~ListenerWatchdog() { Stop(); }

void ListenerWatchdog::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void ListenerWatchdog::Run() {
  while (!stop_.WaitForNotificationWithTimeout(options_.period)) Round();
}

void ListenerWatchdog::Round() {
  const int64_t open = registry_->Sweep();
  guard_->RestoreReserve();
  if (events_ != nullptr) {
    const uint64_t refused = registry_->refused();
    const uint64_t shed = guard_->shed();
    events_->Refused("connections",
                     absl::StrCat("closed new connections at once: ", open, " open, the limit is ",
                                  registry_->max_connections(), " (server.limits.connections)"),
                     refused - reported_refused_);
    events_->Refused("connections",
                     "closed new connections at once: the process is out of descriptors",
                     shed - reported_shed_);
    reported_refused_ = refused;
    reported_shed_ = shed;
  }
  int waiting = 0;
  for (int fd : guard_->listeners()) waiting = std::max(waiting, AcceptQueueLength(fd));
  const uint64_t calls = guard_->accept_calls();
  if (waiting <= 0 || calls != last_accept_calls_) {
    last_accept_calls_ = calls;
    waiting_for_ = absl::ZeroDuration();
    return;
  }
  waiting_for_ += options_.period;
  if (waiting_for_ >= options_.stalled_after) {
    if (!stalled_.exchange(true)) on_stalled_();
    return;
  }
  if (waiting_for_ >= options_.poke_after) {
    pokes_.fetch_add(1, std::memory_order_relaxed);
    for (int fd : guard_->listeners()) Poke(fd);
  }
}

}  // namespace awsgw::gateway::server
