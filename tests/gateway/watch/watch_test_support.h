// Test doubles for the watch engine: a manual clock and sequence, a fake AWS
// poll client that records calls and answers when told, and a sink that
// records what a stream would have received.
#ifndef AWSGW_TESTS_GATEWAY_WATCH_WATCH_TEST_SUPPORT_H_
#define AWSGW_TESTS_GATEWAY_WATCH_WATCH_TEST_SUPPORT_H_

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "awsgw/watch/v1/watch.pb.h"
#include "gateway/watch/poll_client.h"
#include "gateway/watch/scheduler.h"
#include "gateway/watch/watch_definition.h"
#include "gateway/watch/watch_engine.h"
#include "translators/method_table.h"

namespace awsgw::gateway::watch::testing {

// This build's watch rpcs, compiled once for all tests (never freed). A
// definition that does not compile ends the test binary with the reason.
inline const WatchCatalog& Watches() {
  // Both held from a static, so that LeakSanitizer sees them reachable.
  struct Compiled {
    std::unique_ptr<translators::MethodTable> methods;
    std::unique_ptr<WatchCatalog> watches;
  };
  static const Compiled* compiled = [] {
    auto die = [](const char* what, const absl::Status& status) {
      std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
      std::abort();
    };
    absl::StatusOr<std::unique_ptr<translators::MethodTable>> catalog =
        translators::MethodTable::FromGeneratedPool();
    if (!catalog.ok()) die("service catalog", catalog.status());
    absl::StatusOr<std::unique_ptr<WatchCatalog>> built = WatchCatalog::Build(
        v1::WatchUpdate::descriptor()->file()->FindServiceByName("WatchService"), **catalog);
    if (!built.ok()) die("watch definitions", built.status());
    // The compiled watches point into the method table: keep both.
    return new Compiled{*std::move(catalog), *std::move(built)};
  }();
  return *compiled->watches;
}

// The compiled watch rpc named `rpc` ("WatchEcsTask"), or null.
inline const CompiledWatch* FindWatch(absl::string_view rpc) {
  return Watches().FindByPath(absl::StrCat("/awsgw.watch.v1.WatchService/", rpc));
}

// Runs posted work and timers only when told; time moves only by Advance.
class ManualScheduler : public Scheduler {
 public:
  absl::Time Now() override { return now_; }
  void Post(absl::AnyInvocable<void()> fn) override {
    absl::MutexLock lock(&mu_);
    posted_.push_back(std::move(fn));
  }
  TimerId RunAfter(absl::Duration delay, absl::AnyInvocable<void()> fn) override {
    const TimerId id = next_id_++;
    timers_.emplace(std::make_pair(now_ + delay, id), std::move(fn));
    return id;
  }
  void Cancel(TimerId id) override {
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == id) {
        timers_.erase(it);
        return;
      }
    }
  }
  double Random() override { return random; }

  // Runs posted work until there is none.
  void RunPending() {
    while (true) {
      absl::AnyInvocable<void()> fn;
      {
        absl::MutexLock lock(&mu_);
        if (posted_.empty()) return;
        fn = std::move(posted_.front());
        posted_.pop_front();
      }
      fn();
    }
  }
  // Moves the clock by `by`, firing timers in order as it passes them.
  void Advance(absl::Duration by) {
    const absl::Time target = now_ + by;
    RunPending();
    while (!timers_.empty() && timers_.begin()->first.first <= target) {
      auto node = timers_.extract(timers_.begin());
      now_ = node.key().first;
      node.mapped()();
      RunPending();
    }
    now_ = target;
    RunPending();
  }

  double random = 0.5;

 private:
  absl::Time now_ = absl::FromUnixSeconds(1700000000);
  TimerId next_id_ = 1;
  std::map<std::pair<absl::Time, TimerId>, absl::AnyInvocable<void()>> timers_;
  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void()>> posted_ ABSL_GUARDED_BY(mu_);
};

class FakePollClient : public PollClient {
 public:
  struct Pending {
    const translators::MethodEntry* method = nullptr;
    std::unique_ptr<google::protobuf::Message> request;
    std::string region;
    Done done;
    bool answered = false;
    bool cancelled = false;
  };

  std::string Identity() override { return identity; }
  std::string DefaultRegion() override { return "us-east-1"; }
  Cancel Poll(const translators::MethodEntry& method,
              std::unique_ptr<google::protobuf::Message> request, const std::string& region,
              absl::Time, Done done) override {
    auto call = std::make_shared<Pending>();
    call->method = &method;
    call->request = std::move(request);
    call->region = region;
    call->done = std::move(done);
    calls.push_back(call);
    return [call] {
      call->cancelled = true;
      if (!call->answered) {
        call->answered = true;
        call->done(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"), nullptr);
      }
    };
  }

  // Answers call `i`.
  void Reply(size_t i, const google::protobuf::Message& response) {
    std::unique_ptr<google::protobuf::Message> copy(response.New());
    copy->CopyFrom(response);
    calls[i]->answered = true;
    calls[i]->done(grpc::Status::OK, std::move(copy));
  }
  void Fail(size_t i, grpc::Status status) {
    calls[i]->answered = true;
    calls[i]->done(std::move(status), nullptr);
  }
  // Calls not yet answered.
  std::vector<size_t> Open() const {
    std::vector<size_t> open;
    for (size_t i = 0; i < calls.size(); ++i) {
      if (!calls[i]->answered) open.push_back(i);
    }
    return open;
  }

  std::string identity = "test-identity";
  std::vector<std::shared_ptr<Pending>> calls;
};

// What a stream received. Acknowledges writes at once unless `auto_ack` is
// false (a slow client), then Ack() does.
class RecordingSink : public WatchSink {
 public:
  void Write(const v1::WatchUpdate& update) override {
    updates.push_back(update);
    if (auto_ack) subscription->WriteDone(true);
  }
  void Finish(const grpc::Status& status) override { finished = status; }
  void Ack() { subscription->WriteDone(true); }

  std::vector<v1::WatchUpdate> updates;
  std::optional<grpc::Status> finished;
  bool auto_ack = true;
  std::shared_ptr<Subscription> subscription;
};

}  // namespace awsgw::gateway::watch::testing

#endif  // AWSGW_TESTS_GATEWAY_WATCH_WATCH_TEST_SUPPORT_H_
