// Emulator: the AWS services of this build, answered in memory. One request
// in, one response out, as the real service would answer it:
//
//   route (credential scope + X-Amz-Target / URI template)
//   -> verify SigV4 against the credential store (AWS auth errors)
//   -> decode with the translators' server side, check required members
//      (the service's modeled validation error)
//   -> ResourceHandler (modeled not-found errors)
//   -> encode the response or the error with the translators.
//
// Every response carries x-amzn-RequestId. Transport-free: the HTTP server
// (http_server.h) feeds it; tests can call Handle() directly.
//
// Resources with lifecycles (lifecycles.h) move through their states on the
// lifecycle clock, scaled by `time_scale`; a stepped clock moves only when
// told (AdvanceClock(), or POST /_emulator/clock/advance with a number of
// seconds as the body: loopback test control, unsigned, never routed to a
// service). A share of requests can be failed on purpose (`faults`; the
// error and throttle rates can be changed while running, POST
// /_emulator/faults, fault_control.h). Every request routed to an operation
// is counted (GET /_emulator/requests; POST /_emulator/requests/reset zeroes
// the counts).
//
// Threading: Handle() is thread-safe.
#ifndef AWSGW_EMULATOR_EMULATOR_H_
#define AWSGW_EMULATOR_EMULATOR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "auth/credentials.h"
#include "auth/sigv4_verifier.h"
#include "emulator/credential_store.h"
#include "emulator/fault_control.h"
#include "emulator/fault_injection.h"
#include "emulator/idempotency_tokens.h"
#include "emulator/lifecycle_clock.h"
#include "emulator/request_log.h"
#include "emulator/resource_handler.h"
#include "emulator/service_registry.h"
#include "http/http_message.h"

namespace awsgw::emulator {

struct EmulatorOptions {
  std::string region = "us-east-1";
  std::string account = "123456789012";  // 12 digits, as in ARNs
  // Keys accepted besides the generated default pair.
  std::vector<auth::Credentials> credentials;
  // Injected for determinism in tests; default: the system clock and a
  // random_device-seeded generator.
  std::function<absl::Time()> clock;
  std::function<uint64_t()> random;
  absl::Duration max_clock_skew = absl::Minutes(5);
  // Lifecycle durations are the table's times this many times over: 1 = a
  // few seconds per transition, 0 = instantaneous (every resource already in
  // its final state).
  double time_scale = 1.0;
  // Lifecycle time stands still but for AdvanceClock().
  bool stepped_clock = false;
  // error_rate and throttle_rate apply here; the rest in HttpServer.
  FaultOptions faults;
};

class Emulator {
 public:
  // INVALID_ARGUMENT for a malformed region or account; FAILED_PRECONDITION
  // when the service protos are not linked in.
  static absl::StatusOr<std::unique_ptr<Emulator>> Create(EmulatorOptions options);

  // The same over the services of `registry` (ServiceRegistry::FromPool:
  // descriptors loaded at run time). Restore() still finds snapshot message
  // types in the generated pool only.
  static absl::StatusOr<std::unique_ptr<Emulator>> Create(EmulatorOptions options,
                                                          ServiceRegistry registry);

  // Answers one request (wire form, as received).
  http::HttpResponse Handle(const http::HttpRequest& request);

  const auth::Credentials& default_credentials() const {
    return credentials_.default_credentials();
  }
  CredentialStore& credentials() { return credentials_; }
  const ServiceRegistry& registry() const { return registry_; }
  const EmulatorOptions& options() const { return options_; }

  // The service-level injected faults now (they start as options().faults)
  // and a change of them, as POST /_emulator/faults makes it.
  ServiceFaultRates fault_rates() const;
  void SetFaultRates(const ServiceFaultRates& rates);

  // Moves lifecycle time forward (a stepped clock moves only this way).
  void AdvanceClock(absl::Duration by) { lifecycle_clock_.Advance(by); }

  // The stored resources as a snapshot document (snapshot.h); a snapshot's
  // resources added to the store (INVALID_ARGUMENT for a malformed one).
  std::string Snapshot() { return handler_.Snapshot(); }
  absl::Status Restore(absl::string_view document) { return handler_.Restore(document); }

 private:
  Emulator(EmulatorOptions options, ServiceRegistry registry);

  // The /_emulator/ test controls (clock, faults, request counts).
  http::HttpResponse HandleControl(const http::HttpRequest& request);
  http::HttpResponse HandleFaultControl(const http::HttpRequest& request);
  http::HttpResponse HandleRouted(const EmulatedService& service,
                                  const google::protobuf::MethodDescriptor* method,
                                  const http::HttpRequest& request);

  EmulatorOptions options_;
  LifecycleClock lifecycle_clock_;
  FaultDice dice_;
  mutable absl::Mutex faults_mu_;
  ServiceFaultRates fault_rates_ ABSL_GUARDED_BY(faults_mu_);
  ServiceRegistry registry_;
  CredentialStore credentials_;
  // By signing name; built at construction, read-only afterwards.
  absl::flat_hash_map<std::string, std::unique_ptr<auth::Sigv4Verifier>> verifiers_;
  ResourceHandler handler_;
  IdempotencyTokens tokens_;
  RequestLog requests_;
};

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_EMULATOR_H_
