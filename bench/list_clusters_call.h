// One ECS ListClusters call through the gateway over gRPC's callback API,
// the call every gateway benchmark measures. Owns itself: freed in OnDone,
// after which it hands the outcome to `done`. The answer must hold exactly
// one cluster ARN (what bench/fast_backend.h serves).
#ifndef AWSGW_BENCH_LIST_CLUSTERS_CALL_H_
#define AWSGW_BENCH_LIST_CLUSTERS_CALL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "aws/ecs/v1/ecs.grpc.pb.h"
#include "bench/closed_loop.h"
#include "grpcpp/client_context.h"

namespace awsgw::bench {

class ListClustersCall : public grpc::ClientUnaryReactor {
 public:
  // `metadata`: sent with the call (a caller's API key).
  static void Start(aws::ecs::v1::EcsService::Stub* stub, absl::Duration timeout, CallDone done,
                    const std::vector<std::pair<std::string, std::string>>& metadata = {});

  void OnDone(const grpc::Status& status) override;

 private:
  explicit ListClustersCall(CallDone done) : done_(std::move(done)) {}

  grpc::ClientContext context_;
  aws::ecs::v1::ListClustersRequest request_;
  aws::ecs::v1::ListClustersResponse response_;
  CallDone done_;
};

}  // namespace awsgw::bench

#endif  // AWSGW_BENCH_LIST_CLUSTERS_CALL_H_
