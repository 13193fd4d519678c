// IntakeGuard: the first step of every rpc, before the gateway does any work
// for it (authentication included): is there room for it, and is what it
// asks for within bounds?
//
// Admit() refuses, with RESOURCE_EXHAUSTED, a google.rpc.ErrorInfo naming
// the limit (reason "LIMIT_<KEY>", domain "awsgw") and a RetryInfo:
//   * metadata larger than server.limits.metadata_bytes (gRPC 1.51 lets it
//     through whatever it advertises);
//   * resident memory above server.limits.memory_bytes;
//   * more unary calls than server.limits.in_flight_calls, or watch streams
//     than server.limits.watch_streams, in progress;
//   * a connection holding more answers its client has not read than
//     server.limits.pending_response_bytes_per_connection.
// An admitted rpc holds a Ticket until it is done; the ticket also carries
// what the rpc owes its connection (answers pending, cancellations). An
// answer that would take its connection past that limit, or all
// connections past server.limits.pending_response_bytes, is dropped
// (RESOURCE_EXHAUSTED): calls that arrive together all pass admission, so
// answers are checked again as they are handed to gRPC.
//
// CheckRegion() refuses, with INVALID_ARGUMENT, an `x-aws-region` outside
// the regions this gateway serves (aws.regions, else every known AWS
// region): each made-up region would otherwise buy a poller, an endpoint and
// AWS calls of its own.
//
// Thread-safe; Admit is a few atomics and one hash lookup.
#ifndef AWSGW_GATEWAY_SERVER_INTAKE_GUARD_H_
#define AWSGW_GATEWAY_SERVER_INTAKE_GUARD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "gateway/config/server_limits.h"
#include "gateway/server/connection_registry.h"
#include "gateway/server/limit_events.h"
#include "gateway/server/memory_monitor.h"
#include "grpcpp/grpcpp.h"

namespace awsgw::gateway::server {

class IntakeGuard {
 public:
  enum class Kind { kCall, kWatch };

  struct Options {
    config::ServerLimits limits;
    // The regions callers may name; empty: every known AWS region.
    std::vector<std::string> regions;
  };

  // What an admitted rpc holds until it is done. Movable; releases on
  // destruction.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept { *this = std::move(other); }
    Ticket& operator=(Ticket&& other) noexcept;
    ~Ticket() { Release(); }

    // The rpc is about to hand `bytes` of answer to gRPC, which holds them
    // until the client takes them (the ticket's release counts them
    // taken). OK, or RESOURCE_EXHAUSTED when the answer would take its
    // connection or the gateway past its limit of answers not yet read:
    // the answer must then be dropped.
    grpc::Status ReserveAnswer(int64_t bytes);
    // The client cancelled the rpc before it finished. May close the
    // connection (too many resets): the client's other calls on it end.
    void ClientCancelled();
    void Release();

   private:
    friend class IntakeGuard;
    IntakeGuard* guard_ = nullptr;
    Kind kind_ = Kind::kCall;
    std::shared_ptr<ConnectionRegistry::Connection> connection_;
    int64_t pending_ = 0;
  };

  // `connections`, `memory` and `events` may be null (not enforced /
  // not reported).
  IntakeGuard(Options options, std::shared_ptr<ConnectionRegistry> connections,
              const MemoryMonitor* memory, LimitEvents* events);

  grpc::Status Admit(const grpc::CallbackServerContext& context, Kind kind, Ticket* ticket);
  grpc::Status CheckRegion(absl::string_view region) const;

  int64_t in_flight(Kind kind) const {
    return (kind == Kind::kCall ? calls_ : watches_).load(std::memory_order_relaxed);
  }
  const config::ServerLimits& limits() const { return options_.limits; }
  int64_t pending_response_bytes() const { return pending_.load(std::memory_order_relaxed); }

 private:
  grpc::Status Refuse(absl::string_view limit, std::string message) const;

  const Options options_;
  const absl::flat_hash_set<std::string> regions_;
  const std::shared_ptr<ConnectionRegistry> connections_;
  const MemoryMonitor* const memory_;
  LimitEvents* const events_;
  std::atomic<int64_t> calls_{0};
  std::atomic<int64_t> watches_{0};
  // Answers handed to gRPC and not yet taken, all connections together.
  std::atomic<int64_t> pending_{0};
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_INTAKE_GUARD_H_
