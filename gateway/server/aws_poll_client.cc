#include "gateway/server/aws_poll_client.h"

#include "gateway/aws_client/aws_call.h"

namespace awsgw::gateway::server {

watch::PollClient::Cancel AwsPollClient::Poll(const translators::MethodEntry& method,
                                              std::unique_ptr<google::protobuf::Message> request,
                                              const std::string& region, absl::Time deadline,
                                              Done done) {
  aws_client::AwsCallParams params;
  params.deadline = deadline;
  params.region = region;
  std::shared_ptr<aws_client::AwsCall> call =
      client_->Start(method, std::move(request), std::move(params),
                     [done = std::move(done)](aws_client::AwsCallResult result) mutable {
                       done(std::move(result.status), std::move(result.response));
                     });
  std::weak_ptr<aws_client::AwsCall> weak = call;
  return [weak] {
    if (std::shared_ptr<aws_client::AwsCall> c = weak.lock()) c->Cancel();
  };
}

}  // namespace awsgw::gateway::server
