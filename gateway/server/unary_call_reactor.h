// The gRPC side of one unary call: request bytes in, AWS call, response bytes
// and status out.
//
// A reactor that owns itself (deleted in OnDone). Before anything else the
// intake guard admits the call (limits, metadata size); then the caller is
// authenticated, the region checked, the request parsed and authorized, and
// only then, unless the client has cancelled by now, is AWS called.
// Metadata it reads:
// `x-aws-region` (optional per-call region, validated like any region),
// `x-request-id` (the caller's request id; one is made up when absent or
// unusable) and the deadline. Metadata it sets: initial `x-request-id`,
// trailing `x-amzn-requestid` with AWS's request id. Every call ends with one
// "call" log line and the call metrics.
#ifndef AWSGW_GATEWAY_SERVER_UNARY_CALL_REACTOR_H_
#define AWSGW_GATEWAY_SERVER_UNARY_CALL_REACTOR_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "gateway/aws_client/aws_call.h"
#include "gateway/aws_client/aws_client.h"
#include "gateway/server/access_gate.h"
#include "gateway/server/intake_guard.h"
#include "grpcpp/grpcpp.h"

namespace awsgw::gateway::server {

class UnaryCallReactor : public grpc::ServerUnaryReactor {
 public:
  // Starts the call; the reactor then lives until gRPC calls OnDone.
  // `intake` (null: no limits) admits it; `gate` (null: an open gateway)
  // decides about the caller.
  static grpc::ServerUnaryReactor* Start(aws_client::AwsClient* client, IntakeGuard* intake,
                                         const AccessGate* gate,
                                         const translators::MethodEntry& method,
                                         grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response);

  void OnCancel() override;
  void OnDone() override { delete this; }

 private:
  UnaryCallReactor(aws_client::AwsClient* client, const translators::MethodEntry& method,
                   grpc::CallbackServerContext* context, grpc::ByteBuffer* response);
  void Run(aws_client::AwsClient* client, IntakeGuard* intake, const AccessGate* gate,
           const translators::MethodEntry& method, const grpc::ByteBuffer* request);
  // The call's done callback: may run inside Run (a call refused before any
  // I/O), in which case Run finishes it after Start returns, so that
  // nothing touches the reactor after Finish.
  void Complete(aws_client::AwsCallResult result);
  void FinishWith(aws_client::AwsCallResult result);
  // Logs and counts the call, then finishes it with `status`.
  void End(const grpc::Status& status, int attempts, const std::string& aws_request_id);

  aws_client::AwsClient* const client_;
  // The call's place within the gateway's limits, held until OnDone (an
  // answer the client has not read still costs memory).
  IntakeGuard::Ticket ticket_;
  // The caller's in-flight slot, held until the call ends.
  std::optional<auth::policy::CallerLimiter::Admission> admission_;
  const translators::MethodEntry& method_;
  const absl::Time start_;
  std::string request_id_;
  std::string principal_;  // who called, for the call's log line ("" on an open gateway)
  grpc::CallbackServerContext* const context_;
  grpc::ByteBuffer* const response_;
  absl::Mutex mu_;
  std::shared_ptr<aws_client::AwsCall> call_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool in_run_ ABSL_GUARDED_BY(mu_) = true;
  std::optional<aws_client::AwsCallResult> early_result_ ABSL_GUARDED_BY(mu_);
};

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_UNARY_CALL_REACTOR_H_
