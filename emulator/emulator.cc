#include "emulator/emulator.h"

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/json/serialize.hpp"
#include "boost/json/value.hpp"
#include "emulator/empty_collections.h"
#include "emulator/error_replies.h"
#include "emulator/request_router.h"
#include "translators/protocol.h"
#include "translators/request_preparation.h"

namespace awsgw::emulator {
namespace {

using google::protobuf::Message;

absl::Status ValidateOptions(const EmulatorOptions& options) {
  if (options.account.size() != 12 ||
      !std::all_of(options.account.begin(), options.account.end(), absl::ascii_isdigit)) {
    return absl::InvalidArgumentError("the account must be 12 digits");
  }
  if (options.region.empty() ||
      !std::all_of(options.region.begin(), options.region.end(), [](char c) {
        return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
      })) {
    return absl::InvalidArgumentError(absl::StrCat("invalid region '", options.region, "'"));
  }
  return absl::OkStatus();
}

// Fills the injectable sources the embedder left unset.
EmulatorOptions WithDefaults(EmulatorOptions options) {
  if (!options.clock) options.clock = [] { return absl::Now(); };
  if (!options.random) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    auto mu = std::make_shared<absl::Mutex>();
    options.random = [engine, mu] {
      absl::MutexLock lock(mu.get());
      return (*engine)();
    };
  }
  return options;
}

// An error for a request no service claims: the shape API Gateway fronted
// AWS services answer unknown paths with.
http::HttpResponse UnknownServiceResponse() {
  http::HttpResponse out;
  out.status = 404;
  out.headers = {{"Content-Type", "application/json"},
                 {"x-amzn-ErrorType", "UnknownOperationException"}};
  out.body = absl::StrCat(R"({"__type":"UnknownOperationException","message":"No service )",
                          R"(operation matches this request"})");
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Emulator>> Emulator::Create(EmulatorOptions options) {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  absl::StatusOr<ServiceRegistry> registry = ServiceRegistry::FromGeneratedPool();
  if (!registry.ok()) return registry.status();
  return Create(std::move(options), *std::move(registry));
}

absl::StatusOr<std::unique_ptr<Emulator>> Emulator::Create(EmulatorOptions options,
                                                           ServiceRegistry registry) {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  return std::unique_ptr<Emulator>(
      new Emulator(WithDefaults(std::move(options)), std::move(registry)));
}

Emulator::Emulator(EmulatorOptions options, ServiceRegistry registry)
    : options_(std::move(options)),
      lifecycle_clock_(options_.clock, options_.stepped_clock),
      dice_(options_.faults.seed),
      fault_rates_{options_.faults.error_rate, options_.faults.throttle_rate},
      registry_(std::move(registry)),
      credentials_([random = options_.random] { return static_cast<uint8_t>(random() >> 24); }),
      handler_(registry_, ResourceMinter(options_.region, options_.account, options_.random),
               options_.clock, LifecycleOptions{options_.time_scale, [clock = &lifecycle_clock_] {
                                                  return clock->Now();
                                                }}) {
  for (const auth::Credentials& c : options_.credentials) credentials_.Add(c);
  for (const EmulatedService& service : registry_.services()) {
    auth::VerifierConfig config;
    config.region = options_.region;
    config.service = service.info->signing_name();
    config.max_clock_skew = options_.max_clock_skew;
    verifiers_.emplace(service.info->signing_name(),
                       std::make_unique<auth::Sigv4Verifier>(config, credentials_.AsLookup()));
  }
}

ServiceFaultRates Emulator::fault_rates() const {
  absl::MutexLock lock(&faults_mu_);
  return fault_rates_;
}

void Emulator::SetFaultRates(const ServiceFaultRates& rates) {
  absl::MutexLock lock(&faults_mu_);
  fault_rates_ = rates;
}

http::HttpResponse Emulator::HandleFaultControl(const http::HttpRequest& request) {
  http::HttpResponse out;
  out.headers = {{"Content-Type", "application/json"}};
  if (request.method == "POST") {
    // Read, apply and store under one lock: concurrent changes do not lose
    // each other's members.
    absl::MutexLock lock(&faults_mu_);
    absl::StatusOr<ServiceFaultRates> changed = ApplyFaultRates(request.body, fault_rates_);
    if (!changed.ok()) {
      out.status = 400;
      boost::json::object message;
      message["message"] = std::string(changed.status().message());
      out.body = boost::json::serialize(message);
      return out;
    }
    fault_rates_ = *changed;
  } else if (request.method != "GET") {
    out.status = 405;
    out.body = R"({"message":"use GET or POST"})";
    return out;
  }
  out.body = FaultRatesJson(fault_rates());
  return out;
}

http::HttpResponse Emulator::HandleControl(const http::HttpRequest& request) {
  if (request.path == "/_emulator/faults") return HandleFaultControl(request);
  http::HttpResponse out;
  out.headers = {{"Content-Type", "application/json"}};
  if (request.path == "/_emulator/clock/advance" && request.method == "POST") {
    double seconds = 0;
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(request.body), &seconds) || seconds < 0) {
      out.status = 400;
      out.body = R"({"message":"the body must be a non-negative number of seconds"})";
      return out;
    }
    AdvanceClock(absl::Seconds(seconds));
  } else if (request.path == "/_emulator/requests" && request.method == "GET") {
    out.body = requests_.ToJson();
    return out;
  } else if (request.path == "/_emulator/requests/reset" && request.method == "POST") {
    requests_.Reset();
    out.body = requests_.ToJson();
    return out;
  } else if (request.path != "/_emulator/clock") {
    out.status = 404;
    out.body = R"({"message":"unknown emulator control"})";
    return out;
  }
  out.body = absl::StrCat(R"({"now_ms":)", absl::ToUnixMillis(lifecycle_clock_.Now()),
                          R"(,"time_scale":)", options_.time_scale, R"(,"stepped":)",
                          lifecycle_clock_.stepped() ? "true" : "false", "}");
  return out;
}

http::HttpResponse Emulator::Handle(const http::HttpRequest& request) {
  if (absl::StartsWith(request.path, "/_emulator/")) return HandleControl(request);
  RouteResult route = RouteRequest(registry_, request);
  http::HttpResponse response;
  if (route.service == nullptr) {
    response = UnknownServiceResponse();
  } else {
    response = HandleRouted(*route.service, route.method, request);
  }
  http::SetHeader(response.headers, "x-amzn-RequestId", handler_.NewRequestId());
  return response;
}

http::HttpResponse Emulator::HandleRouted(const EmulatedService& service,
                                          const google::protobuf::MethodDescriptor* method,
                                          const http::HttpRequest& request) {
  if (method != nullptr) requests_.Record(service.info->signing_name(), method->name());
  const bool rest = service.info->protocol() == PROTOCOL_REST_JSON_1;
  // Errors before an operation is known are framed like any of the service's.
  // Every routed method (and every service's first) is the table's: its
  // Operation was built once, with the table.
  const translators::MethodEntry* entry =
      registry_.methods().FindByMethod(method != nullptr ? method : service.descriptor->method(0));
  if (entry == nullptr) return UnknownServiceResponse();
  const translators::Operation& op = entry->op;
  auto reply = [&op, &service](const translators::AwsError& error) {
    return EncodeServiceError(op, error, *service.factory);
  };

  const auth::VerificationResult verified =
      verifiers_.at(service.info->signing_name())->Verify(request, options_.clock());
  if (!verified.ok()) {
    return reply(MakeError(std::string(verified.aws_error_code()), verified.message(),
                           verified.http_status()));
  }
  // Injected faults, after authentication as the services throttle. Both
  // dice are always rolled so outcomes depend only on the seed and count.
  const ServiceFaultRates rates = fault_rates();
  const bool fail = dice_.Roll(rates.error_rate);
  const bool throttle = dice_.Roll(rates.throttle_rate);
  if (fail) {
    return reply(MakeError(service.facts->internal_error,
                           "We encountered an internal error. Please try again.", 500));
  }
  if (throttle) {
    return reply(MakeError(service.facts->throttling_error, "Rate exceeded",
                           service.facts->throttling_status));
  }
  if (method == nullptr) {
    return reply(MakeError("UnknownOperationException",
                           absl::StrCat("No operation of ", service.info->service_id(), " matches ",
                                        request.method, " ", request.path),
                           rest ? 404 : 400));
  }

  const translators::Protocol& protocol = translators::ProtocolFor(*service.info);
  google::protobuf::MessageFactory* factory = service.factory;
  std::unique_ptr<Message> input(factory->GetPrototype(method->input_type())->New());
  std::unique_ptr<Message> output(factory->GetPrototype(method->output_type())->New());
  const std::string& kind = handler_.ClassOf(method).kind;

  if (absl::Status s = protocol.DecodeRequest(op, request, input.get()); !s.ok()) {
    if (!rest) {
      // awsJson services answer a body they cannot read this way.
      return reply(MakeError("SerializationException", std::string(s.message()), 400));
    }
    return reply(ErrorFor(op, *service.facts, kind, s));
  }
  // As AWS does: the model's required members and bounds, with the
  // service's own validation error.
  for (absl::Status s :
       {translators::ValidateRequired(*input), translators::ValidateConstraints(*input)}) {
    if (!s.ok()) return reply(ErrorFor(op, *service.facts, kind, s));
  }
  // A token seen before: the first answer again, and nothing done twice.
  const std::string token = IdempotencyTokens::KeyOf(
      *input, absl::StrCat(service.info->signing_name(), "/", method->name(), "/",
                           verified.request().access_key_id));
  if (!token.empty()) {
    if (std::optional<http::HttpResponse> first = tokens_.Find(token, options_.clock())) {
      return *std::move(first);
    }
  }
  if (absl::Status s = handler_.Handle(service, method, *input, output.get()); !s.ok()) {
    return reply(ErrorFor(op, *service.facts, kind, s));
  }
  absl::StatusOr<http::HttpResponse> encoded = protocol.EncodeResponse(op, *output);
  if (!encoded.ok()) {
    return reply(
        ErrorFor(op, *service.facts, kind, absl::InternalError(encoded.status().message())));
  }
  AddEmptyCollections(method->output_type(), &*encoded);
  if (!token.empty()) tokens_.Remember(token, *encoded, options_.clock());
  return *std::move(encoded);
}

}  // namespace awsgw::emulator
