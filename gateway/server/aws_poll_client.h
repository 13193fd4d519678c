// The watch engine's poll interface over the gateway's AWS client: a poll is
// an AWS call like a caller's own (signed, retried, throttled the same way).
#ifndef AWSGW_GATEWAY_SERVER_AWS_POLL_CLIENT_H_
#define AWSGW_GATEWAY_SERVER_AWS_POLL_CLIENT_H_

#include <functional>
#include <memory>
#include <string>

#include "gateway/aws_client/aws_client.h"
#include "gateway/watch/poll_client.h"

namespace awsgw::gateway::server {

// `identity` names the gateway's AWS credentials (their source; keys are
// never used as names). `client` must outlive this.
class AwsPollClient : public watch::PollClient {
 public:
  AwsPollClient(aws_client::AwsClient* client, std::function<std::string()> identity)
      : client_(client), identity_(std::move(identity)) {}

  std::string Identity() override { return identity_(); }
  std::string DefaultRegion() override { return client_->region(); }
  Cancel Poll(const translators::MethodEntry& method,
              std::unique_ptr<google::protobuf::Message> request, const std::string& region,
              absl::Time deadline, Done done) override;

 private:
  aws_client::AwsClient* const client_;
  std::function<std::string()> identity_;
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_AWS_POLL_CLIENT_H_
