#include "bench/list_clusters_call.h"

namespace awsgw::bench {

void ListClustersCall::Start(aws::ecs::v1::EcsService::Stub* stub, absl::Duration timeout,
                             CallDone done,
                             const std::vector<std::pair<std::string, std::string>>& metadata) {
  auto* call = new ListClustersCall(std::move(done));
  call->context_.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  for (const auto& [key, value] : metadata) call->context_.AddMetadata(key, value);
  stub->async()->ListClusters(&call->context_, &call->request_, &call->response_, call);
  call->StartCall();
}

void ListClustersCall::OnDone(const grpc::Status& status) {
  absl::Status outcome;
  if (!status.ok()) {
    outcome =
        absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  } else if (response_.cluster_arns_size() != 1) {
    outcome = absl::InternalError("the gateway answered with an unexpected ListClusters body");
  }
  CallDone done = std::move(done_);
  delete this;
  done(outcome);
}

}  // namespace awsgw::bench
