// How the watch engine calls AWS: one unary operation at a time, from a
// request message. The gateway's implementation (AwsPollClient) goes through
// AwsBackend::Call, so signing, endpoints, retries, throttling and
// credentials apply to polls exactly as to callers' own calls; tests give the
// engine a fake.
#ifndef AWSGW_GATEWAY_WATCH_POLL_CLIENT_H_
#define AWSGW_GATEWAY_WATCH_POLL_CLIENT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "gateway/aws_backend.h"
#include "gateway/service_catalog.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace awsgw::gateway::watch {

class PollClient {
 public:
  using Done = absl::AnyInvocable<void(grpc::Status, std::unique_ptr<google::protobuf::Message>)>;
  // Cancels a call in flight (done then runs with CANCELLED, or not at all
  // if it already ran).
  using Cancel = std::function<void()>;

  virtual ~PollClient() = default;
  // Who polls: pollers are shared only between watchers of one identity.
  virtual std::string Identity() = 0;
  // The region of calls that name none.
  virtual std::string DefaultRegion() = 0;
  // Runs `method` once. `done` runs exactly once, on any thread, possibly
  // before Call returns.
  virtual Cancel Call(const MethodEntry& method, std::unique_ptr<google::protobuf::Message> request,
                      const std::string& region, absl::Time deadline, Done done) = 0;
};

// Polls through the gateway's AwsBackend. `identity` names the gateway's AWS
// credentials (their source; keys are never used as names).
class AwsPollClient : public PollClient {
 public:
  AwsPollClient(AwsBackend* backend, std::function<std::string()> identity)
      : backend_(backend), identity_(std::move(identity)) {}

  std::string Identity() override { return identity_(); }
  std::string DefaultRegion() override { return backend_->region(); }
  Cancel Call(const MethodEntry& method, std::unique_ptr<google::protobuf::Message> request,
              const std::string& region, absl::Time deadline, Done done) override;

 private:
  AwsBackend* const backend_;
  std::function<std::string()> identity_;
};

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_POLL_CLIENT_H_
