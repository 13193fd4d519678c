// How the watch engine calls AWS: one unary operation at a time, from a
// request message. This is all the engine knows of AWS: the gateway hands it
// an implementation over its AWS client (server::AwsPollClient), so signing,
// endpoints, retries, throttling and credentials apply to polls exactly as to
// callers' own calls; tests give the engine a fake.
#ifndef AWSGW_GATEWAY_WATCH_POLL_CLIENT_H_
#define AWSGW_GATEWAY_WATCH_POLL_CLIENT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "translators/method_table.h"

namespace awsgw::gateway::watch {

class PollClient {
 public:
  using Done = absl::AnyInvocable<void(grpc::Status, std::unique_ptr<google::protobuf::Message>)>;
  // Cancels a poll in flight (done then runs with CANCELLED, or not at all
  // if it already ran).
  using Cancel = std::function<void()>;

  virtual ~PollClient() = default;
  // Who polls: pollers are shared only between watchers of one identity.
  virtual std::string Identity() = 0;
  // The region of polls that name none.
  virtual std::string DefaultRegion() = 0;
  // Runs `method` once. `done` runs exactly once, on any thread, possibly
  // before Poll returns.
  virtual Cancel Poll(const translators::MethodEntry& method,
                      std::unique_ptr<google::protobuf::Message> request, const std::string& region,
                      absl::Time deadline, Done done) = 0;
};

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_POLL_CLIENT_H_
