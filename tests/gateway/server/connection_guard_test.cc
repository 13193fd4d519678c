// The connection-level defences on real loopback sockets: the registry (peer
// names as gRPC writes them, the cap, sweeping what gRPC closed, closing a
// connection that resets too much), the interposed accept4 (cap and
// descriptor exhaustion never surface as errors that would stop gRPC's
// listener) and the watchdog of a listener that stopped accepting.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gateway/server/accept_guard.h"
#include "gateway/server/connection_registry.h"
#include "gateway/server/descriptor_limit.h"
#include "gateway/server/listener_watchdog.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::server {
namespace {

// A non-blocking listening socket on 127.0.0.1, as gRPC makes them.
struct Listener {
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(fd, 64), 0);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  ~Listener() { close(fd); }
  int fd = -1;
  int port = 0;
};

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  return fd;
}

// True when the peer closed `fd` (EOF or reset) within a second.
bool ClosedByPeer(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 1000) != 1) return false;
  char byte;
  return recv(fd, &byte, 1, 0) <= 0;
}

// Accepts through the interposed symbol, as gRPC's listener does.
int AcceptVia(int listener, sockaddr_in* peer = nullptr) {
  sockaddr_in own{};
  socklen_t length = sizeof own;
  return accept4(listener, reinterpret_cast<sockaddr*>(peer ? peer : &own), &length,
                 SOCK_NONBLOCK | SOCK_CLOEXEC);
}

TEST(PeerStringTest, WritesPeersAsGrpcDoes) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(40314);
  inet_pton(AF_INET, "10.0.3.7", &v4.sin_addr);
  EXPECT_EQ(PeerString(reinterpret_cast<sockaddr*>(&v4), sizeof v4), "ipv4:10.0.3.7:40314");
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(5);
  inet_pton(AF_INET6, "::1", &v6.sin6_addr);
  EXPECT_EQ(PeerString(reinterpret_cast<sockaddr*>(&v6), sizeof v6), "ipv6:[::1]:5");
  inet_pton(AF_INET6, "::ffff:127.0.0.1", &v6.sin6_addr);
  EXPECT_EQ(PeerString(reinterpret_cast<sockaddr*>(&v6), sizeof v6), "ipv4:127.0.0.1:5");
}

TEST(DescriptorLimitTest, ConnectionsLeaveRoomForEverythingElse) {
  EXPECT_EQ(ConnectionCapFor(10000, 1024), 768);
  EXPECT_EQ(ConnectionCapFor(10000, 1 << 20), 10000);
  EXPECT_EQ(ConnectionCapFor(500, 1 << 20), 500);
  EXPECT_EQ(ConnectionCapFor(10000, 100), 1);
}

class AcceptGuardTest : public testing::Test {
 protected:
  void Guard(int64_t max_connections, int64_t resets = 0) {
    registry_ = std::make_shared<ConnectionRegistry>(ConnectionRegistry::Options{
        .max_connections = max_connections, .resets_per_window = resets});
    ASSERT_TRUE(AcceptGuard::Instance().Guard(listener_.port, registry_).ok());
  }
  void TearDown() override {
    for (int fd : open_) close(fd);
  }
  int Keep(int fd) {
    open_.push_back(fd);
    return fd;
  }

  Listener listener_;
  std::shared_ptr<ConnectionRegistry> registry_;
  std::vector<int> open_;
};

TEST_F(AcceptGuardTest, ConnectionsOverTheCapAreClosedAtOnceAndNeverAnError) {
  Guard(/*max_connections=*/2);
  const int a = Keep(Connect(listener_.port));
  const int b = Keep(Connect(listener_.port));
  const int c = Keep(Connect(listener_.port));
  absl::SleepFor(absl::Milliseconds(50));  // all three queued
  Keep(AcceptVia(listener_.fd));
  Keep(AcceptVia(listener_.fd));
  errno = 0;
  EXPECT_EQ(AcceptVia(listener_.fd), -1);
  EXPECT_EQ(errno, EAGAIN) << "the third was taken and closed; the queue is empty";
  EXPECT_TRUE(ClosedByPeer(c));
  EXPECT_FALSE(ClosedByPeer(a));
  EXPECT_FALSE(ClosedByPeer(b));
  EXPECT_EQ(registry_->open(), 2);
  EXPECT_EQ(registry_->refused(), 1u);
}

TEST_F(AcceptGuardTest, ClosedConnectionsAreSweptAndMakeRoom) {
  Guard(/*max_connections=*/1);
  const int a = Connect(listener_.port);
  absl::SleepFor(absl::Milliseconds(20));
  const int served = AcceptVia(listener_.fd);
  ASSERT_GE(served, 0);
  close(served);  // gRPC closes a connection without telling anyone
  close(a);
  absl::SleepFor(absl::Milliseconds(150));  // the registry sweeps at most every 100 ms
  const int b = Keep(Connect(listener_.port));
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_GE(Keep(AcceptVia(listener_.fd)), 0);
  EXPECT_FALSE(ClosedByPeer(b));
  EXPECT_EQ(registry_->open(), 1);
}

TEST_F(AcceptGuardTest, RunningOutOfDescriptorsShedsTheWaitingConnectionInsteadOfFailing) {
  Guard(/*max_connections=*/1000);
  const int waiting = Keep(Connect(listener_.port));
  absl::SleepFor(absl::Milliseconds(20));
  rlimit saved{};
  getrlimit(RLIMIT_NOFILE, &saved);
  // Fill the descriptor table up to a lowered limit.
  std::vector<int> filler;
  rlimit low = saved;
  low.rlim_cur = 0;
  for (int fd = open("/dev/null", O_RDONLY); fd >= 0; fd = open("/dev/null", O_RDONLY)) {
    filler.push_back(fd);
    if (low.rlim_cur == 0) {
      low.rlim_cur = static_cast<rlim_t>(fd) + 8;  // a little room above what is open
      ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    }
  }
  const uint64_t shed_before = AcceptGuard::Instance().shed();
  errno = 0;
  const int result = AcceptVia(listener_.fd);
  const int error = errno;
  for (int fd : filler) close(fd);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  // gRPC 1.51 would have seen EMFILE and stopped its listener for good.
  EXPECT_EQ(result, -1);
  EXPECT_EQ(error, EAGAIN);
  EXPECT_EQ(AcceptGuard::Instance().shed(), shed_before + 1);
  EXPECT_TRUE(ClosedByPeer(waiting));
  // The reserve descriptor is back, and the next connection is served.
  AcceptGuard::Instance().RestoreReserve();
  EXPECT_TRUE(AcceptGuard::Instance().has_reserve());
  Keep(Connect(listener_.port));
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_GE(Keep(AcceptVia(listener_.fd)), 0);
}

TEST_F(AcceptGuardTest, AnUnguardedListenerIsLeftAlone) {
  Guard(/*max_connections=*/1);
  Listener other;
  Keep(Connect(other.port));
  Keep(Connect(other.port));
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_GE(Keep(AcceptVia(other.fd)), 0);
  EXPECT_GE(Keep(AcceptVia(other.fd)), 0) << "no cap on a socket the guard does not own";
  EXPECT_EQ(registry_->open(), 0);
}

TEST_F(AcceptGuardTest, AConnectionThatResetsTooMuchIsClosedOnce) {
  Guard(/*max_connections=*/10, /*resets=*/3);
  const int client = Keep(Connect(listener_.port));
  absl::SleepFor(absl::Milliseconds(20));
  sockaddr_in peer{};
  Keep(AcceptVia(listener_.fd, &peer));
  std::shared_ptr<ConnectionRegistry::Connection> connection =
      registry_->Find(PeerString(reinterpret_cast<sockaddr*>(&peer), sizeof peer));
  ASSERT_NE(connection, nullptr);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(registry_->NoteReset(*connection));
  EXPECT_FALSE(ClosedByPeer(client));
  EXPECT_TRUE(registry_->NoteReset(*connection));
  EXPECT_FALSE(registry_->NoteReset(*connection)) << "closed once";
  EXPECT_TRUE(ClosedByPeer(client));
  EXPECT_EQ(registry_->closed_for_resets(), 1u);
}

TEST_F(AcceptGuardTest, ClosingAConnectionNeverTouchesTheSocketThatReusedItsNumber) {
  Guard(/*max_connections=*/10);
  Keep(Connect(listener_.port));
  absl::SleepFor(absl::Milliseconds(20));
  sockaddr_in peer{};
  const int served = AcceptVia(listener_.fd, &peer);
  std::shared_ptr<ConnectionRegistry::Connection> connection =
      registry_->Find(PeerString(reinterpret_cast<sockaddr*>(&peer), sizeof peer));
  ASSERT_NE(connection, nullptr);
  // Another connection waits to be accepted (its client end made first, so
  // that it does not take the number freed next).
  const int reused_client = Keep(Connect(listener_.port));
  absl::SleepFor(absl::Milliseconds(20));
  close(served);
  // The lowest free number is taken again, by the other connection.
  const int reused = Keep(AcceptVia(listener_.fd));
  ASSERT_EQ(reused, served);
  registry_->Close(*connection);
  EXPECT_FALSE(ClosedByPeer(reused_client));
}

TEST(ListenerWatchdogTest, AListenerThatNeverAcceptsIsPokedThenDeclaredStalled) {
  Listener listener;
  auto registry = std::make_shared<ConnectionRegistry>(ConnectionRegistry::Options{});
  ASSERT_TRUE(AcceptGuard::Instance().Guard(listener.port, registry).ok());
  const int waiting = Connect(listener.port);  // nobody accepts it
  absl::Notification stalled;
  ListenerWatchdog watchdog(&AcceptGuard::Instance(), registry,
                            {.period = absl::Milliseconds(10),
                             .poke_after = absl::Milliseconds(30),
                             .stalled_after = absl::Milliseconds(200)},
                            nullptr, [&stalled] { stalled.Notify(); });
  EXPECT_TRUE(stalled.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_GT(watchdog.pokes(), 0u);
  EXPECT_TRUE(watchdog.stalled());
  close(waiting);
}

TEST(ListenerWatchdogTest, AnAcceptingListenerIsNeverStalled) {
  Listener listener;
  auto registry = std::make_shared<ConnectionRegistry>(ConnectionRegistry::Options{});
  ASSERT_TRUE(AcceptGuard::Instance().Guard(listener.port, registry).ok());
  std::atomic<bool> stalled{false};
  ListenerWatchdog watchdog(&AcceptGuard::Instance(), registry,
                            {.period = absl::Milliseconds(10),
                             .poke_after = absl::Milliseconds(30),
                             .stalled_after = absl::Milliseconds(100)},
                            nullptr, [&stalled] { stalled = true; });
  std::vector<int> fds;
  for (int i = 0; i < 20; ++i) {
    fds.push_back(Connect(listener.port));
    absl::SleepFor(absl::Milliseconds(10));
    fds.push_back(AcceptVia(listener.fd));
  }
  absl::SleepFor(absl::Milliseconds(200));  // nothing waits now
  EXPECT_FALSE(stalled.load());
  EXPECT_EQ(watchdog.pokes(), 0u);
  for (int fd : fds) close(fd);
}

}  // namespace
}  // namespace awsgw::gateway::server
