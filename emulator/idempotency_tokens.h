// IdempotencyTokens: what AWS does with an idempotency token (ECS RunTask's
// clientToken, members the models mark idempotencyToken): a request that
// repeats a token the service has seen succeed gets that first answer
// again, and acts no second time.
//
// Why the emulator needs it: a client that resends a request after a
// dropped connection relies on it (the gateway resends such requests, and
// only those of the writes); without it, every resend would act twice here
// where AWS acts once.
//
// Tokens are remembered per service, operation and caller account for
// `ttl` (AWS documents hours), at most `capacity` of them (the oldest go
// first). Thread-safe.
#ifndef AWSGW_EMULATOR_IDEMPOTENCY_TOKENS_H_
#define AWSGW_EMULATOR_IDEMPOTENCY_TOKENS_H_

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "http/http_message.h"

namespace awsgw::emulator {

class IdempotencyTokens {
 public:
  explicit IdempotencyTokens(absl::Duration ttl = absl::Hours(1), size_t capacity = 10000)
      : ttl_(ttl), capacity_(capacity) {}

  // The token `request` carries ("" when it has none or leaves it empty),
  // qualified by `scope` (service, operation, account).
  static std::string KeyOf(const google::protobuf::Message& request, absl::string_view scope);

  // The answer first given to the request of `key`, if it is remembered.
  std::optional<http::HttpResponse> Find(const std::string& key, absl::Time now);
  // Remembers `answer` (a success) for `key`.
  void Remember(const std::string& key, const http::HttpResponse& answer, absl::Time now);

 private:
  struct Entry {
    http::HttpResponse answer;
    absl::Time expires;
  };

  const absl::Duration ttl_;
  const size_t capacity_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);  // oldest first
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_IDEMPOTENCY_TOKENS_H_
