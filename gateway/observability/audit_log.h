// AuditLog: the stream of access decisions, one JSON line each, on a file
// (or standard error) of its own, apart from the operational log.
//
// Why a writer thread: decisions are made on gRPC threads, which must not
// wait on a disk. Write() only queues; a thread appends and flushes, in
// batches (at most 200 ms late), so that a record costs no thread switch. The
// queue is bounded in records and in bytes (64 MiB): when the disk cannot
// keep up, records are dropped and counted (dropped()), never piled up in
// memory or waited for.
//
// What goes in a record is the caller's business (access_gate.h builds
// them); this class never sees a token or a request body.
#ifndef AWSGW_GATEWAY_OBSERVABILITY_AUDIT_LOG_H_
#define AWSGW_GATEWAY_OBSERVABILITY_AUDIT_LOG_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace awsgw::gateway::observability {

class AuditLog {
 public:
  // Appends to `path` (created with mode 0600 when missing), or writes to
  // standard error when `path` is "-" or empty. NOT_FOUND naming the path
  // when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& path,
                                                        size_t max_queued = 65536);
  ~AuditLog();  // writes what is queued, then closes

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Queues one record (a JSON object, without the newline). Never blocks.
  void Write(std::string record);

  // Waits until every record queued so far is written (tests, shutdown).
  void Flush();

  uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  // Records (and flushes) the file refused: a full disk, say.
  uint64_t write_errors() const { return write_errors_.load(std::memory_order_relaxed); }

 private:
  AuditLog(std::FILE* file, bool owned, size_t max_queued);
  void Run();

  std::FILE* const file_;
  const bool owned_;
  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::string> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int flushes_waiting_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t queued_total_ ABSL_GUARDED_BY(mu_) = 0;
  size_t queued_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> write_errors_{0};
  std::thread writer_;
};

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_AUDIT_LOG_H_
