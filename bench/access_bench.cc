// access_bench: the CPU of deciding about one caller's call, in process,
// against the SigV4 signature every call pays, measured in the same run.
//
// BM_AuthorizeCall is AccessGate::AuthorizeCall as the gateway runs it for
// ECS DescribeServices: the resource ARNs read from the request, the
// request members the conditions need, a 100-statement policy (all about
// ECS, the allowing one last), a per-caller limit rule and an audit record
// (to /dev/null through the real AuditLog). BM_AuthenticateApiKey is the
// authenticator on an API key (SHA-256 and a constant-time scan). Baseline:
// BM_SignDescribeServices, the SigV4 signature of the same call.
//
// At the end it prints (authorize + authenticate) / sign and the absolute
// figures; the target is at most 5 us per call of gateway CPU
// (bench/callers_load measures the same end to end, with more noise).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "auth/credentials.h"
#include "auth/http_request.h"
#include "auth/identity/api_keys.h"
#include "auth/identity/authenticator.h"
#include "auth/sigv4_signer.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "benchmark/benchmark.h"
#include "gateway/observability/audit_log.h"
#include "gateway/observability/metrics_registry.h"
#include "gateway/server/access_gate.h"
#include "openssl/sha.h"
#include "translators/method_table.h"

namespace {

using awsgw::gateway::server::AccessGate;

std::vector<awsgw::auth::policy::Statement> HundredStatements() {
  std::vector<awsgw::auth::policy::Statement> statements;
  for (int i = 0; i < 99; ++i) {
    awsgw::auth::policy::Statement s;
    s.id = absl::StrCat("team-", i);
    s.effect =
        i % 10 == 0 ? awsgw::auth::policy::Effect::kDeny : awsgw::auth::policy::Effect::kAllow;
    s.principals = {absl::StrCat("team-", i, "-*"), absl::StrCat("group:team-", i)};
    s.actions = {"ecs:Describe*", "ecs:List*", "ecs:UpdateService"};
    s.resources = {absl::StrCat("arn:aws:ecs:*:123456789012:service/team-", i, "/*")};
    s.conditions = {{"region", {"us-east-1", "eu-*"}}, {"request.cluster", {"team-*"}}};
    statements.push_back(std::move(s));
  }
  awsgw::auth::policy::Statement last;
  last.id = "bench";
  last.principals = {"group:bench"};
  last.actions = {"ecs:Describe*"};
  last.resources = {"arn:aws:ecs:*:123456789012:service/prod/*"};
  last.conditions = {{"request.cluster", {"prod"}}};
  statements.push_back(std::move(last));
  return statements;
}

struct Fixture {
  std::unique_ptr<awsgw::translators::MethodTable> table;
  awsgw::gateway::observability::Registry registry;
  std::unique_ptr<awsgw::gateway::observability::AuditLog> audit;
  std::unique_ptr<AccessGate> gate;
  const awsgw::translators::MethodEntry* method = nullptr;
  aws::ecs::v1::DescribeServicesRequest request;

  Fixture() {
    table = *awsgw::translators::MethodTable::FromGeneratedPool();
    method = table->FindByPath("/aws.ecs.v1.EcsService/DescribeServices");
    audit = *awsgw::gateway::observability::AuditLog::Open("/dev/null");
    awsgw::auth::policy::LimitSettings limits;
    limits.rules.push_back({.id = "everyone",
                            .principals = {"*"},
                            .actions = {"ecs:*"},
                            .rate_per_second = 1e9,
                            .burst = 1000000000,
                            .max_in_flight = 100000});
    auto policy =
        awsgw::auth::policy::Policy::Create(HundredStatements(), AccessGate::ActionsOf(*table));
    auto limiter = awsgw::auth::policy::CallerLimiter::Create(limits);
    AccessGate::Options options{.account_id = "123456789012", .default_region = "us-east-1"};
    gate = *AccessGate::Create(*table, nullptr, options,
                               awsgw::gateway::server::MakeAccessRules(
                                   *std::move(policy), std::shared_ptr(*std::move(limiter)), 1),
                               audit.get(), registry);
    request.set_cluster("prod");
    request.add_services("web");
  }
};

Fixture& Shared() {
  static Fixture* const fixture = new Fixture();
  return *fixture;
}

void BM_AuthorizeCall(benchmark::State& state) {
  Fixture& f = Shared();
  const awsgw::auth::identity::CallerIdentity identity{
      "bench-caller", {"bench"}, awsgw::auth::identity::AuthMethod::kApiKey};
  const awsgw::gateway::server::CallFacts facts{f.method->path, "3f1c9a6e-request-id",
                                                "ipv4:127.0.0.1:40000", ""};
  for (auto _ : state) {
    std::optional<awsgw::auth::policy::CallerLimiter::Admission> admission;
    grpc::Status status =
        f.gate->AuthorizeCall(identity, {f.method, &f.request}, facts, &admission);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
    benchmark::DoNotOptimize(admission);
  }
}
BENCHMARK(BM_AuthorizeCall)->ThreadRange(1, 2)->UseRealTime();

void BM_AuthenticateApiKey(benchmark::State& state) {
  std::vector<awsgw::auth::identity::ApiKeyEntry> keys;
  for (int i = 0; i < 10; ++i) {
    const std::string key = absl::StrCat("key-", i);
    awsgw::auth::identity::ApiKeyEntry entry;
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), entry.sha256.data());
    entry.principal = absl::StrCat("caller-", i);
    keys.push_back(entry);
  }
  awsgw::auth::identity::AuthenticatorSettings settings;
  settings.api_keys = keys;
  auto authenticator = *awsgw::auth::identity::Authenticator::Create(std::move(settings));
  awsgw::auth::identity::PresentedCredentials presented;
  presented.api_key = "key-7";
  for (auto _ : state) {
    auto outcome = authenticator->Authenticate(presented, absl::Now());
    if (!outcome.ok()) state.SkipWithError("not authenticated");
    benchmark::DoNotOptimize(outcome);
  }
}
BENCHMARK(BM_AuthenticateApiKey);

void BM_SignDescribeServices(benchmark::State& state) {
  awsgw::auth::Sigv4Signer signer;
  const awsgw::auth::Credentials credentials("AKIDEXAMPLE",
                                             "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "");
  awsgw::auth::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"Host", "ecs.us-east-1.amazonaws.com"},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeServices"}};
  request.body = R"({"cluster":"prod","services":["web"]})";
  const awsgw::auth::SigningConfig config{
      .region = "us-east-1", .service = "ecs", .signing_time = absl::FromUnixSeconds(1800000000)};
  (void)signer.Sign(request, credentials, config);
  for (auto _ : state) {
    auto result = signer.Sign(request, credentials, config);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_SignDescribeServices);

// Prints the ratio to the baseline after the usual table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      const double ns = run.GetAdjustedRealTime();
      const std::string name = run.benchmark_name();
      if (name == "BM_AuthorizeCall/real_time/threads:1") authorize_ns_ = ns;
      if (name == "BM_AuthenticateApiKey") authenticate_ns_ = ns;
      if (name == "BM_SignDescribeServices") sign_ns_ = ns;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double decide_us = (authorize_ns_ + authenticate_ns_) / 1000.0;
    std::printf(
        "deciding about a caller: %.2f us (authorize %.2f + authenticate %.2f), target <= 5 us; "
        "%.2f x the SigV4 signature of the same call (%.2f us)\n",
        decide_us, authorize_ns_ / 1000.0, authenticate_ns_ / 1000.0,
        sign_ns_ > 0 ? (authorize_ns_ + authenticate_ns_) / sign_ns_ : 0, sign_ns_ / 1000.0);
  }

 private:
  double authorize_ns_ = 0, authenticate_ns_ = 0, sign_ns_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  // As the gateway binary runs (gateway/server/main.cc).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
