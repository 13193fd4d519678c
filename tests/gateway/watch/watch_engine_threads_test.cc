// The engine on its real scheduler thread, with threads around it as in the
// gateway: streams subscribe, cancel and acknowledge writes from other
// threads (gRPC's), and polls are answered from yet others (the AWS
// client's). The checks are what must hold whatever the interleaving: every
// stream ends exactly once, nothing reaches a stream after its end or while
// a write is in flight, and sequence numbers only grow. Built with TSan
// (tools/run-tests.sh), this is where the engine's thread boundaries are
// checked for races.
#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "aws/apprunner/v1/apprunner.pb.h"
#include "gateway/watch/watch_engine.h"
#include "gtest/gtest.h"
#include "tests/gateway/watch/watch_test_support.h"

namespace awsgw::gateway::watch {
namespace {

using aws::apprunner::v1::ListOperationsRequest;
using aws::apprunner::v1::ListOperationsResponse;

constexpr int kServices = 3;
constexpr int kOperations = 4;
// Polls of one service before its operations succeed.
constexpr int kPollsToSuccess = 4;
// Only a guard against a hang; nothing here measures time.
constexpr absl::Duration kLiveness = absl::Minutes(2);

// Runs posted work on threads of its own; on destruction, runs what is left
// and joins them.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
  }
  ~WorkerPool() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (std::thread& thread : threads_) thread.join();
  }
  void Post(absl::AnyInvocable<void()> fn) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(fn));
  }

 private:
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !queue_.empty(); }
  void Run() {
    while (true) {
      absl::AnyInvocable<void()> fn;
      {
        absl::MutexLock lock(&mu_, absl::Condition(this, &WorkerPool::Ready));
        if (queue_.empty()) return;
        fn = std::move(queue_.front());
        queue_.pop_front();
      }
      fn();
    }
  }

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

std::string ServiceArn(int service) {
  return absl::StrCat("arn:aws:apprunner:us-east-1:1:service/web", service, "/1");
}

// AWS as the engine sees it: every poll of a service is answered on a pool
// thread; its operations are PENDING, then IN_PROGRESS, then SUCCEEDED.
class AnsweringPollClient : public PollClient {
 public:
  explicit AnsweringPollClient(WorkerPool* answers) : answers_(answers) {}

  std::string Identity() override { return "threads"; }
  std::string DefaultRegion() override { return "us-east-1"; }
  Cancel Poll(const translators::MethodEntry&, std::unique_ptr<google::protobuf::Message> request,
              const std::string&, absl::Time, Done done) override {
    const std::string arn = static_cast<const ListOperationsRequest&>(*request).service_arn();
    int round;
    {
      absl::MutexLock lock(&mu_);
      round = ++polls_[arn];
    }
    auto call = std::make_shared<Call>(std::move(done));
    answers_->Post([call, round] { call->Finish(grpc::Status::OK, Answer(round)); });
    return
        [call] { call->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"), nullptr); };
  }

 private:
  // One poll; `done` runs once, whichever of answer and cancel comes first.
  class Call {
   public:
    explicit Call(Done done) : done_(std::move(done)) {}
    void Finish(grpc::Status status, std::unique_ptr<google::protobuf::Message> response) {
      Done done;
      {
        absl::MutexLock lock(&mu_);
        if (finished_) return;
        finished_ = true;
        done = std::move(done_);
      }
      done(std::move(status), std::move(response));
    }

   private:
    absl::Mutex mu_;
    bool finished_ ABSL_GUARDED_BY(mu_) = false;
    Done done_ ABSL_GUARDED_BY(mu_);
  };

  static std::unique_ptr<google::protobuf::Message> Answer(int round) {
    auto response = std::make_unique<ListOperationsResponse>();
    for (int op = 0; op < kOperations; ++op) {
      auto* summary = response->add_operation_summary_list();
      summary->set_id(absl::StrCat("op-", op));
      summary->set_status(round >= kPollsToSuccess ? aws::apprunner::v1::OPERATION_STATUS_SUCCEEDED
                          : round > 1 ? aws::apprunner::v1::OPERATION_STATUS_IN_PROGRESS
                                      : aws::apprunner::v1::OPERATION_STATUS_PENDING);
    }
    return response;
  }

  WorkerPool* const answers_;
  absl::Mutex mu_;
  std::map<std::string, int> polls_ ABSL_GUARDED_BY(mu_);
};

// One stream: records what it gets and acknowledges each write from a pool
// thread, as gRPC's OnWriteDone would; may cancel after its first write, as
// a client going away would, racing the acknowledgement.
class ThreadedSink : public WatchSink {
 public:
  ThreadedSink(WorkerPool* acks, bool cancel_after_first_write)
      : acks_(acks), cancel_after_first_write_(cancel_after_first_write) {}

  void Write(const v1::WatchUpdate& update) override {
    bool cancel = false;
    {
      absl::MutexLock lock(&mu_);
      if (finishes_ > 0) problems_.push_back("a write after the end");
      if (write_in_flight_) problems_.push_back("a write while one is in flight");
      if (update.sequence() < last_sequence_) problems_.push_back("a sequence going back");
      last_sequence_ = update.sequence();
      write_in_flight_ = true;
      cancel = cancel_after_first_write_ && ++writes_ == 1;
    }
    acks_->Post([this] {
      std::shared_ptr<Subscription> subscription = WaitForSubscription();
      {
        absl::MutexLock lock(&mu_);
        write_in_flight_ = false;
      }
      subscription->WriteDone(true);
    });
    if (cancel) acks_->Post([this] { WaitForSubscription()->Cancel(); });
  }
  void Finish(const grpc::Status& status) override {
    absl::MutexLock lock(&mu_);
    if (write_in_flight_) problems_.push_back("the end while a write is in flight");
    ++finishes_;
    status_ = status;
  }

  // The subscribing thread hands the subscription over once Subscribe
  // returned (the engine may already be writing).
  void SetSubscription(std::shared_ptr<Subscription> subscription) {
    absl::MutexLock lock(&mu_);
    subscription_ = std::move(subscription);
  }
  // Waits (up to kLiveness) for the end; false if it never came.
  bool AwaitFinish() {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(this, &ThreadedSink::Finished), kLiveness);
  }
  int finishes() {
    absl::MutexLock lock(&mu_);
    return finishes_;
  }
  grpc::StatusCode code() {
    absl::MutexLock lock(&mu_);
    return status_.error_code();
  }
  std::vector<std::string> problems() {
    absl::MutexLock lock(&mu_);
    return problems_;
  }

 private:
  bool Finished() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return finishes_ > 0; }
  bool HasSubscription() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return subscription_ != nullptr;
  }
  std::shared_ptr<Subscription> WaitForSubscription() {
    absl::MutexLock lock(&mu_, absl::Condition(this, &ThreadedSink::HasSubscription));
    return subscription_;
  }

  WorkerPool* const acks_;
  const bool cancel_after_first_write_;
  absl::Mutex mu_;
  std::shared_ptr<Subscription> subscription_ ABSL_GUARDED_BY(mu_);
  int writes_ ABSL_GUARDED_BY(mu_) = 0;
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  int finishes_ ABSL_GUARDED_BY(mu_) = 0;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> problems_ ABSL_GUARDED_BY(mu_);
};

v1::WatchAppRunnerOperationRequest Request(int service, int operation) {
  v1::WatchAppRunnerOperationRequest request;
  request.set_service_arn(ServiceArn(service));
  request.set_operation_id(absl::StrCat("op-", operation));
  // As fast as the engine allows: many polls and heartbeats in a short run.
  request.mutable_options()->mutable_min_interval()->set_nanos(1000000);
  request.mutable_options()->mutable_max_interval()->set_nanos(2000000);
  request.mutable_options()->mutable_heartbeat_interval()->set_nanos(1000000);
  return request;
}

class WatchEngineThreadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.min_interval_floor = absl::Milliseconds(1);
    options.max_interval_cap = absl::Milliseconds(2);
    options.default_heartbeat = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(5);
    engine_ = std::make_unique<WatchEngine>(std::make_unique<AsioScheduler>(), &client_, options,
                                            nullptr);
  }

  // `threads` threads subscribe `per_thread` streams each, spread over the
  // services and operations; every third stream cancels after its first
  // write. `during` runs on this thread while they subscribe.
  void SubscribeFromThreads(
      int threads, int per_thread, absl::AnyInvocable<void()> during = [] {}) {
    sinks_.resize(threads * per_thread);
    std::vector<std::thread> subscribers;
    for (int t = 0; t < threads; ++t) {
      subscribers.emplace_back([this, t, per_thread] {
        for (int i = 0; i < per_thread; ++i) {
          const int n = t * per_thread + i;
          auto sink = std::make_unique<ThreadedSink>(&acks_, n % 3 == 0);
          absl::StatusOr<std::shared_ptr<Subscription>> subscription =
              engine_->Subscribe(*testing::FindWatch("WatchAppRunnerOperation"),
                                 Request(n % kServices, n % kOperations), "", sink.get());
          ASSERT_TRUE(subscription.ok()) << subscription.status();
          sink->SetSubscription(*std::move(subscription));
          sinks_[n] = std::move(sink);
        }
      });
    }
    during();
    for (std::thread& thread : subscribers) thread.join();
  }

  // Every stream ended exactly once, with a code in `allowed`, and saw
  // nothing out of order.
  void ExpectEveryStreamEnded(const std::vector<grpc::StatusCode>& allowed) {
    for (size_t i = 0; i < sinks_.size(); ++i) {
      ThreadedSink& sink = *sinks_[i];
      ASSERT_TRUE(sink.AwaitFinish()) << "stream " << i << " never ended";
      EXPECT_EQ(sink.finishes(), 1) << "stream " << i;
      EXPECT_NE(std::find(allowed.begin(), allowed.end(), sink.code()), allowed.end())
          << "stream " << i << " ended with code " << sink.code();
      EXPECT_EQ(sink.problems(), std::vector<std::string>()) << "stream " << i;
    }
  }

  // Destroyed in reverse: the engine first (its thread stops), then the
  // pools' threads, which still call into sinks and subscriptions, then the
  // sinks.
  std::vector<std::unique_ptr<ThreadedSink>> sinks_;
  WorkerPool answers_{2};
  WorkerPool acks_{3};
  AnsweringPollClient client_{&answers_};
  std::unique_ptr<WatchEngine> engine_;
};

TEST_F(WatchEngineThreadsTest, StreamsFromManyThreadsEachEndOnce) {
  SubscribeFromThreads(4, 12);
  // The operations succeed (OK) unless the stream cancelled first.
  ExpectEveryStreamEnded({grpc::StatusCode::OK, grpc::StatusCode::CANCELLED});
}

TEST_F(WatchEngineThreadsTest, DrainWhileStreamsSubscribeEndsEveryStream) {
  SubscribeFromThreads(3, 10, [this] { engine_->Drain(); });
  ExpectEveryStreamEnded(
      {grpc::StatusCode::OK, grpc::StatusCode::CANCELLED, grpc::StatusCode::UNAVAILABLE});
}

TEST_F(WatchEngineThreadsTest, EngineGoesWhilePollsAreAnswered) {
  SubscribeFromThreads(2, 6);
  // No waiting: answers, acknowledgements and cancels may still be on their
  // way while the engine and its scheduler thread go; the streams are
  // dropped without an end (WatchEngine's contract), and nothing may touch
  // the engine after.
  engine_.reset();
  for (const auto& sink : sinks_) EXPECT_LE(sink->finishes(), 1);
}

}  // namespace
}  // namespace awsgw::gateway::watch
