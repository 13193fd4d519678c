#include "gateway/observability/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace awsgw::gateway::observability {
namespace {

// Records are written when this many wait, or after kMaxDelay at most.
constexpr size_t kBatch = 256;
constexpr absl::Duration kMaxDelay = absl::Milliseconds(200);
// What a disk that cannot keep up may hold in memory, whatever the records.
constexpr size_t kMaxQueuedBytes = 64 << 20;

}  // namespace

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path,
                                                         size_t max_queued) {
  if (path.empty() || path == "-") {
    return std::unique_ptr<AuditLog>(new AuditLog(stderr, false, max_queued));
  }
  // 0600: the audit trail names callers and resources.
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot open the audit file \"", path, "\": ", std::strerror(errno)));
  }
  std::FILE* file = ::fdopen(fd, "a");
  if (file == nullptr) {
    ::close(fd);
    return absl::NotFoundError(absl::StrCat("cannot open the audit file \"", path, "\""));
  }
  // A batch goes out in a few large writes rather than one per 4 KiB.
  std::setvbuf(file, nullptr, _IOFBF, 1 << 18);
  return std::unique_ptr<AuditLog>(new AuditLog(file, true, max_queued));
}

AuditLog::AuditLog(std::FILE* file, bool owned, size_t max_queued)
    : file_(file), owned_(owned), max_queued_(max_queued), writer_([this] { Run(); }) {}

AuditLog::~AuditLog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
  if (owned_) std::fclose(file_);
}

void AuditLog::Write(std::string record) {
  absl::MutexLock lock(&mu_);
  if (queue_.size() >= max_queued_ || queued_bytes_ + record.size() > kMaxQueuedBytes) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  record.push_back('\n');
  queued_bytes_ += record.size();
  queue_.push_back(std::move(record));
  ++queued_total_;
}

void AuditLog::Flush() {
  struct Target {
    AuditLog* log;
    uint64_t count;
  };
  absl::MutexLock lock(&mu_);
  Target target{this, queued_total_};
  ++flushes_waiting_;
  mu_.Await(absl::Condition(
      +[](Target* t) { return t->log->written_.load(std::memory_order_relaxed) >= t->count; },
      &target));
  --flushes_waiting_;
}

void AuditLog::Run() {
  std::deque<std::string> batch;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      // Waking per record would cost a thread switch per call; a batch
      // waits for a full batch, a flush, the end, or kMaxDelay.
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](AuditLog* log) ABSL_EXCLUSIVE_LOCKS_REQUIRED(log->mu_) {
                                 return log->stopping_ ||
                                        (!log->queue_.empty() && (log->flushes_waiting_ > 0 ||
                                                                  log->queue_.size() >= kBatch));
                               },
                               this),
                           kMaxDelay);
      if (queue_.empty()) {
        if (stopping_) return;
        continue;
      }
      batch.swap(queue_);
      queued_bytes_ = 0;
    }
    size_t failed = 0;
    for (const std::string& line : batch) {
      failed += std::fwrite(line.data(), 1, line.size(), file_) != line.size();
    }
    failed += std::fflush(file_) != 0 ? 1 : 0;
    if (failed > 0) write_errors_.fetch_add(failed, std::memory_order_relaxed);
    {
      // Under the lock, so that Flush() sees the count change.
      absl::MutexLock lock(&mu_);
      written_.fetch_add(batch.size(), std::memory_order_relaxed);
    }
    batch.clear();
  }
}

}  // namespace awsgw::gateway::observability
