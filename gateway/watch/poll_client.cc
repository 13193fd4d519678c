#include "gateway/watch/poll_client.h"

#include "gateway/aws_call.h"

namespace awsgw::gateway::watch {

PollClient::Cancel AwsPollClient::Call(const MethodEntry& method,
                                       std::unique_ptr<google::protobuf::Message> request,
                                       const std::string& region, absl::Time deadline, Done done) {
  CallParams params;
  params.deadline = deadline;
  params.region = region;
  std::shared_ptr<AwsCall> call =
      backend_->Call(method, std::move(request), std::move(params),
                     [done = std::move(done)](CallResult result) mutable {
                       done(std::move(result.status), std::move(result.response));
                     });
  std::weak_ptr<AwsCall> weak = call;
  return [weak] {
    if (std::shared_ptr<AwsCall> c = weak.lock()) c->Cancel();
  };
}

}  // namespace awsgw::gateway::watch
