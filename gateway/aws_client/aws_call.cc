#include "gateway/aws_client/aws_call.h"

#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "base/secret_redaction.h"
#include "base/uuid.h"
#include "http/client/transport_status.h"
#include "translators/aws_error.h"
#include "translators/request_preparation.h"
#include "translators/status_mapping.h"

namespace awsgw::gateway::aws_client {
namespace {

// Every string in `message` (and the messages it holds) with `secrets` and
// credential-looking text redacted.
void RedactStrings(absl::Span<const absl::string_view> secrets,
                   google::protobuf::Message* message) {
  using google::protobuf::FieldDescriptor;
  const auto* r = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*message, f); ++i) {
          r->SetRepeatedString(message, f, i,
                               base::RedactSecrets(r->GetRepeatedString(*message, f, i), secrets));
        }
      } else {
        r->SetString(message, f, base::RedactSecrets(r->GetString(*message, f), secrets));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*message, f); ++i) {
          RedactStrings(secrets, r->MutableRepeatedMessage(message, f, i));
        }
      } else {
        RedactStrings(secrets, r->MutableMessage(message, f));
      }
    }
  }
}

}  // namespace

AwsCall::AwsCall(AwsCallContext* context, const translators::MethodEntry& method,
                 std::unique_ptr<google::protobuf::Message> request, AwsCallParams params,
                 Done done)
    : context_(context),
      options_(context->options()),
      method_(method),
      op_(method.op),
      protocol_(translators::ProtocolFor(*op_.service)),
      request_(std::move(request)),
      params_(std::move(params)),
      done_(std::move(done)) {}

void AwsCall::Start() {
  // Everything the gateway can tell is wrong is refused before any I/O.
  if (absl::Status s = translators::ValidateRequired(*request_); !s.ok())
    return Finish(translators::ToGrpcStatus(s));
  if (absl::Status s = translators::ValidateConstraints(*request_); !s.ok())
    return Finish(translators::ToGrpcStatus(s));
  const auto& uuid = options_.uuid;
  translators::FillIdempotencyTokens(request_.get(), uuid ? uuid : base::RandomUuid);
  absl::StatusOr<translators::EncodedRequest> encoded = protocol_.EncodeRequest(op_, *request_);
  if (!encoded.ok()) return Finish(translators::ToGrpcStatus(encoded.status()));
  encoded_ = *std::move(encoded);

  region_ = params_.region.empty() ? options_.region : params_.region;
  if (region_.empty()) {
    return Finish(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                               "no AWS region: start the gateway with --region or AWS_REGION, "
                               "or send x-aws-region metadata"));
  }
  absl::StatusOr<http::client::Endpoint> endpoint = context_->EndpointFor(*op_.service, region_);
  if (!endpoint.ok()) return Finish(translators::ToGrpcStatus(endpoint.status()));
  endpoint_ = *std::move(endpoint);
  endpoint_.host = encoded_.host_prefix + endpoint_.host;

  deadline_ = std::min(params_.deadline, options_.clock() + options_.default_timeout);

  const CallLimits limits = context_->LimitsFor(region_, op_.service->signing_name());
  limiter_ = limits.limiter;
  safe_to_resend_ = op_.info->idempotent() || op_.info->readonly() ||
                    translators::HasIdempotencyToken(request_->GetDescriptor());
  const auto& random = options_.random;
  policy_.emplace(
      options_.retry, limits.quota, safe_to_resend_, random ? random : [] {
        thread_local absl::BitGen gen;
        return absl::Uniform<double>(gen, 0.0, 1.0);
      });
  PaceThenAttempt();
}

void AwsCall::PaceThenAttempt() {
  if (limiter_ == nullptr) return Attempt();
  const absl::Time now = options_.clock();
  const absl::Duration wait = limiter_->Reserve(now);
  if (wait <= absl::ZeroDuration()) return Attempt();
  if (now + wait >= deadline_) {
    return Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                               absl::StrCat("AWS is throttling this service; the gateway's rate "
                                            "limit (adaptive retry mode) would send the call only "
                                            "after its deadline (in ",
                                            absl::FormatDuration(wait), ")")));
  }
  After(wait, [self = shared_from_this()] { self->Attempt(); });
}

void AwsCall::Attempt() {
  context_->GetCredentials(
      [self = shared_from_this()](absl::StatusOr<auth::Credentials> credentials) {
        self->SendAttempt(std::move(credentials));
      });
}

void AwsCall::SendAttempt(absl::StatusOr<auth::Credentials> credentials) {
  if (!credentials.ok()) return Finish(translators::ToGrpcStatus(credentials.status()));
  ++attempt_;

  http::HttpRequest request = encoded_.http;
  request.path = endpoint_.RequestPath(request.path);
  http::SetHeader(request.headers, "Host", endpoint_.HostHeader());
  http::SetHeader(request.headers, "User-Agent", "aws-grpc-gateway");
  auth::SigningConfig config;
  config.region = region_;
  config.service = op_.service->signing_name();
  config.signing_time = options_.clock();  // each attempt signs anew
  absl::StatusOr<auth::SigningResult> signed_request =
      context_->Sign(request, *credentials, config);
  if (!signed_request.ok()) return Finish(translators::ToGrpcStatus(signed_request.status()));

  signed_with_ = *std::move(credentials);
  absl::MutexLock lock(&mu_);
  if (cancelled_) return;  // Cancel() finishes the call
  attempt_sent_ns_ = absl::ToUnixNanos(absl::Now());
  http::client::CallOptions options;
  options.deadline = deadline_;
  // The HTTP client's own stale-connection resend follows the same rule as
  // the retries here: a request AWS may have received goes again only when
  // a second copy cannot act twice.
  options.resend_safe = safe_to_resend_;
  // The base path is already in the signed path: send to the bare endpoint.
  pending_ =
      context_->Send(endpoint_.WithoutBasePath(), std::move(request), options,
                     [self = shared_from_this()](absl::StatusOr<http::HttpResponse> response) {
                       self->OnResponse(std::move(response));
                     });
}

void AwsCall::OnResponse(absl::StatusOr<http::HttpResponse> response) {
  {
    absl::MutexLock lock(&mu_);
    pending_.reset();
    if (cancelled_) return;
  }
  if (observability::GatewayMetrics* metrics = options_.metrics) {
    metrics->AwsAttempt(op_.service->model_name(), response.ok() ? response->status : 0,
                        absl::Now() - absl::FromUnixNanos(attempt_sent_ns_));
  }
  if (!response.ok()) {
    const absl::Status& status = response.status();
    if (status.code() == absl::StatusCode::kDeadlineExceeded || options_.clock() >= deadline_) {
      return Finish(grpc::Status(
          grpc::StatusCode::DEADLINE_EXCEEDED,
          absl::StrCat("AWS did not answer within the deadline (", attempt_.load(), " attempts)")));
    }
    if (status.code() == absl::StatusCode::kInvalidArgument) {
      // The request cannot go on the wire as it is (a target or header too
      // large, a byte HTTP cannot carry): the caller's to fix, and no
      // attempt will fare better. Nothing was sent.
      return Finish(translators::ToGrpcStatus(status));
    }
    AttemptOutcome outcome;
    outcome.kind = AttemptOutcome::Kind::kTransportFailure;
    outcome.may_have_been_sent = http::client::RequestMayHaveBeenSent(status);
    // The gateway's own limits (the outbound queue is full) say so; anything
    // else on the way to AWS is UNAVAILABLE.
    const grpc::StatusCode code = status.code() == absl::StatusCode::kResourceExhausted
                                      ? grpc::StatusCode::RESOURCE_EXHAUSTED
                                      : grpc::StatusCode::UNAVAILABLE;
    std::string message(status.message());
    if (outcome.may_have_been_sent && !safe_to_resend_) {
      // UNAVAILABLE alone reads as "safe to retry"; here it is not: say so.
      absl::StrAppend(&message, "; the request may have reached AWS and was not resent, since ",
                      op_.info->name(),
                      " is neither idempotent nor given an idempotency token: check whether "
                      "it took effect before calling again");
    }
    return RetryOr(outcome, grpc::Status(code, std::move(message)));
  }
  if (const http::HttpHeader* id = http::FindHeader(response->headers, "x-amzn-RequestId")) {
    absl::MutexLock lock(&mu_);
    aws_request_id_ = id->value;
  }
  if (response->status >= 200 && response->status < 300) {
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            method_.method->output_type());
    std::unique_ptr<google::protobuf::Message> message(prototype->New());
    if (absl::Status s = protocol_.DecodeResponse(op_, *response, message.get()); !s.ok()) {
      return Finish(grpc::Status(grpc::StatusCode::INTERNAL,
                                 absl::StrCat("AWS answered with a body the gateway cannot "
                                              "read: ",
                                              s.message())));
    }
    policy_->OnSuccess();
    if (limiter_ != nullptr) limiter_->OnResponse(false, options_.clock());
    return Finish(grpc::Status::OK, std::move(message));
  }
  translators::AwsError error = translators::ParseAwsError(*response);
  std::unique_ptr<google::protobuf::Message> modeled = translators::DecodeModeledError(
      op_, error, *response, google::protobuf::MessageFactory::generated_factory());
  // AWS's words go to the caller (status message and details) and the log:
  // a signature error quotes the canonical request, session token included.
  const absl::string_view secrets[] = {signed_with_.secret_access_key(),
                                       signed_with_.session_token()};
  error.code = base::RedactSecrets(error.code, secrets);
  error.message = base::RedactSecrets(error.message, secrets);
  if (modeled != nullptr) RedactStrings(secrets, modeled.get());
  AttemptOutcome outcome;
  outcome.kind = AttemptOutcome::Kind::kAwsError;
  outcome.aws_code = error.code;
  outcome.http_status = error.http_status;
  outcome.retry_after = error.retry_after;
  const bool throttled = translators::IsThrottlingError(error.code);
  if (options_.metrics != nullptr && throttled) {
    options_.metrics->Throttle(op_.service->model_name());
  }
  if (limiter_ != nullptr) limiter_->OnResponse(throttled, options_.clock());
  RetryOr(outcome, translators::ToGrpcStatus(op_, error, modeled.get()));
}

void AwsCall::RetryOr(const AttemptOutcome& outcome, grpc::Status final_status) {
  const std::optional<absl::Duration> delay = policy_->NextDelay(attempt_, outcome);
  if (!delay.has_value() || options_.clock() + *delay >= deadline_) {
    return Finish(std::move(final_status));
  }
  if (observability::GatewayMetrics* metrics = options_.metrics) {
    metrics->Retry(op_.service->model_name());
  }
  After(*delay, [self = shared_from_this()] { self->PaceThenAttempt(); });
}

void AwsCall::After(absl::Duration delay, absl::AnyInvocable<void()> then) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return;
  // A cancel can lose the race with a timer already due: check again when
  // it fires, so a cancelled call takes no rate-limit token and no step.
  cancel_timer_ =
      context_->RunAfter(delay, [self = shared_from_this(), then = std::move(then)]() mutable {
        {
          absl::MutexLock lock(&self->mu_);
          if (self->cancelled_) return;
        }
        then();
      });
}

void AwsCall::Cancel() {
  std::shared_ptr<http::client::PendingRequest> pending;
  {
    absl::MutexLock lock(&mu_);
    if (cancelled_ || finished_) return;
    cancelled_ = true;
    pending = std::move(pending_);
    if (cancel_timer_) cancel_timer_();
  }
  if (pending != nullptr) pending->Cancel();
  Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call"));
}

void AwsCall::Finish(grpc::Status status, std::unique_ptr<google::protobuf::Message> response) {
  AwsCallResult result;
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    finished_ = true;
    result.aws_request_id = aws_request_id_;
  }
  result.status = std::move(status);
  result.response = std::move(response);
  result.attempts = attempt_;
  done_(std::move(result));
}

}  // namespace awsgw::gateway::aws_client
