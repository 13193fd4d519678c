#include "gateway/server/intake_guard.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/aws_region.h"
#include "translators/status_mapping.h"

namespace awsgw::gateway::server {
namespace {

// How long a refused caller is told to wait: long enough for in-flight work
// to drain, short enough that a retry soon finds room.
constexpr absl::Duration kRetryAfter = absl::Seconds(1);

// What the metadata costs as HTTP/2 counts it for SETTINGS_MAX_HEADER_LIST_SIZE:
// each entry's name and value, plus 32.
int64_t MetadataBytes(const grpc::CallbackServerContext& context) {
  int64_t bytes = 0;
  for (const auto& [key, value] : context.client_metadata()) {
    bytes += static_cast<int64_t>(key.size() + value.size()) + 32;
  }
  return bytes;
}

}  // namespace

IntakeGuard::Ticket& IntakeGuard::Ticket::operator=(Ticket&& other) noexcept {
  if (this == &other) return *this;
  Release();
  guard_ = other.guard_;
  kind_ = other.kind_;
  connection_ = std::move(other.connection_);
  pending_ = other.pending_;
  other.guard_ = nullptr;
  other.pending_ = 0;
  return *this;
}

grpc::Status IntakeGuard::Ticket::ReserveAnswer(int64_t bytes) {
  if (guard_ == nullptr || bytes <= 0) return grpc::Status::OK;
  const config::ServerLimits& limits = guard_->options_.limits;
  const int64_t all = guard_->pending_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (all > limits.pending_response_bytes) {
    guard_->pending_.fetch_sub(bytes, std::memory_order_relaxed);
    return guard_->Refuse(
        "pending_response_bytes",
        absl::StrCat("the answer (", bytes, " bytes) was dropped: clients hold ", all - bytes,
                     " bytes of answers they have not read, the gateway's limit is ",
                     limits.pending_response_bytes,
                     " (server.limits.pending_response_bytes); the call itself was made"));
  }
  if (connection_ != nullptr) {
    const int64_t mine = connection_->pending_response_bytes() + bytes;
    if (mine > limits.pending_response_bytes_per_connection) {
      guard_->pending_.fetch_sub(bytes, std::memory_order_relaxed);
      return guard_->Refuse(
          "pending_response_bytes_per_connection",
          absl::StrCat("the answer (", bytes, " bytes) was dropped: this connection holds ",
                       mine - bytes, " bytes of answers its client has not read, the limit is ",
                       limits.pending_response_bytes_per_connection,
                       " (server.limits.pending_response_bytes_per_connection); the call itself "
                       "was made"));
    }
    connection_->AddPendingResponseBytes(bytes);
  }
  pending_ += bytes;
  return grpc::Status::OK;
}

void IntakeGuard::Ticket::ClientCancelled() {
  if (guard_ == nullptr || connection_ == nullptr || guard_->connections_ == nullptr) return;
  if (guard_->connections_->NoteReset(*connection_) && guard_->events_ != nullptr) {
    guard_->events_->Refused(
        "resets_per_connection",
        absl::StrCat("closed the connection of ", connection_->peer(),
                     ": its client cancelled calls faster than ",
                     guard_->options_.limits.resets_per_connection, " per ",
                     absl::FormatDuration(guard_->options_.limits.reset_window)));
  }
}

void IntakeGuard::Ticket::Release() {
  if (guard_ == nullptr) return;
  if (pending_ != 0) {
    guard_->pending_.fetch_sub(pending_, std::memory_order_relaxed);
    if (connection_ != nullptr) connection_->AddPendingResponseBytes(-pending_);
  }
  (kind_ == Kind::kCall ? guard_->calls_ : guard_->watches_)
      .fetch_sub(1, std::memory_order_relaxed);
  guard_ = nullptr;
  connection_.reset();
  pending_ = 0;
}

IntakeGuard::IntakeGuard(Options options, std::shared_ptr<ConnectionRegistry> connections,
                         const MemoryMonitor* memory, LimitEvents* events)
    : options_(std::move(options)),
      regions_(options_.regions.begin(), options_.regions.end()),
      connections_(std::move(connections)),
      memory_(memory),
      events_(events) {}

grpc::Status IntakeGuard::Refuse(absl::string_view limit, std::string message) const {
  if (events_ != nullptr) events_->Refused(limit, message);
  return translators::GatewayStatus(grpc::StatusCode::RESOURCE_EXHAUSTED, message,
                                    translators::GatewayErrorInfo(absl::StrCat("limit_", limit)),
                                    kRetryAfter);
}

grpc::Status IntakeGuard::Admit(const grpc::CallbackServerContext& context, Kind kind,
                                Ticket* ticket) {
  const config::ServerLimits& limits = options_.limits;
  // Nothing in an oversized header block is looked at, a token included.
  if (const int64_t bytes = MetadataBytes(context); bytes > limits.metadata_bytes) {
    return Refuse("metadata_bytes",
                  absl::StrCat("the request metadata is ", bytes,
                               " bytes; this gateway takes at "
                               "most ",
                               limits.metadata_bytes, " (server.limits.metadata_bytes)"));
  }
  if (memory_ != nullptr && memory_->over_limit()) {
    return Refuse("memory_bytes",
                  absl::StrCat("the gateway is using ", memory_->resident_bytes() >> 20,
                               " MiB, above its ceiling of ", *memory_->limit() >> 20,
                               " MiB (server.limits.memory_bytes); try again shortly"));
  }
  std::shared_ptr<ConnectionRegistry::Connection> connection;
  if (connections_ != nullptr) {
    connection = connections_->Find(context.peer());
    if (connection != nullptr &&
        connection->pending_response_bytes() > limits.pending_response_bytes_per_connection) {
      return Refuse("pending_response_bytes_per_connection",
                    absl::StrCat("this connection holds ", connection->pending_response_bytes(),
                                 " bytes of answers its client has not read (at most ",
                                 limits.pending_response_bytes_per_connection,
                                 "): read them before calling again"));
    }
  }
  std::atomic<int64_t>& count = kind == Kind::kCall ? calls_ : watches_;
  const int64_t cap = kind == Kind::kCall ? limits.in_flight_calls : limits.watch_streams;
  if (count.fetch_add(1, std::memory_order_relaxed) >= cap) {
    count.fetch_sub(1, std::memory_order_relaxed);
    return kind == Kind::kCall
               ? Refuse("in_flight_calls",
                        absl::StrCat("the gateway has ", cap,
                                     " calls in progress, its limit (server.limits."
                                     "in_flight_calls); try again shortly"))
               : Refuse("watch_streams",
                        absl::StrCat("the gateway has ", cap,
                                     " watch streams open, its limit (server.limits."
                                     "watch_streams)"));
  }
  ticket->Release();
  ticket->guard_ = this;
  ticket->kind_ = kind;
  ticket->connection_ = std::move(connection);
  return grpc::Status::OK;
}

grpc::Status IntakeGuard::CheckRegion(absl::string_view region) const {
  if (region.empty()) return grpc::Status::OK;
  const bool known = regions_.empty() ? base::IsKnownAwsRegion(region) : regions_.contains(region);
  if (known) return grpc::Status::OK;
  // The caller's text is echoed only when it looks like a region name.
  const std::string shown =
      base::IsPlausibleRegion(region) ? absl::StrCat("\"", region, "\"") : "the value";
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      absl::StrCat("x-aws-region: ", shown, " is not a region this gateway serves (",
                   regions_.empty()
                       ? "the regions of the AWS partitions; more with aws.regions"
                       : absl::StrCat("aws.regions: ", absl::StrJoin(options_.regions, ", ")),
                   ")"));
}

}  // namespace awsgw::gateway::server
