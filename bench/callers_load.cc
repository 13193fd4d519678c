// callers_load: what deciding about callers costs the gateway per call.
//
// Two gateway processes in front of the same fast loopback backend
// (fast_backend.h), in one run: an open one (no `callers` section), and one
// that authenticates every call by API key, decides it against a policy of
// --statements statements (all about ECS, so the by-service index cannot
// skip them; the one that allows the call is the last), admits it under a
// per-caller rate limit and writes an audit record. Closed-loop ECS
// ListClusters phases alternate between the two --rounds times, so both see
// the same machine; each phase's gateway CPU time (utime + stime) is divided
// by the calls it served.
//
// Reported (a table, then one JSON line on stdout): the median CPU per call
// of each gateway, the median over rounds of the difference between the two
// phases of a round (target <= 5 us), the ratio of the medians, and calls/s. Exit code 1 when a
// phase had a failed call, 2 when set-up fails.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "aws/ecs/v1/ecs.grpc.pb.h"
#include "bench/closed_loop.h"
#include "bench/fast_backend.h"
#include "bench/gateway_process.h"
#include "bench/list_clusters_call.h"
#include "grpcpp/create_channel.h"
#include "openssl/sha.h"

ABSL_FLAG(std::string, gateway, AWSGW_GATEWAY_BINARY, "path of the aws-grpc-gateway binary");
ABSL_FLAG(double, seconds, 2.0, "length of each measured phase, in seconds");
ABSL_FLAG(int, rounds, 7, "phases per gateway, alternating");
ABSL_FLAG(int, concurrency, 16, "calls in flight in each phase");
ABSL_FLAG(int, statements, 100, "statements of the policy");
ABSL_FLAG(bool, audit, true, "write the audit stream (to a file in /tmp)");
ABSL_FLAG(bool, limit, true, "admit calls under a per-caller limit rule");
ABSL_FLAG(bool, same, false,
          "start the second gateway open too: the difference is then the noise floor");

namespace {

constexpr double kTargetAddedCpuUs = 5;
// The API key of the bench's caller.
constexpr char kApiKey[] = "bench-caller-key";

// What the config holds for a key: its SHA-256 in hex.
std::string Sha256Hex(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

struct Gateway {
  std::unique_ptr<awsgw::bench::GatewayProcess> process;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<aws::ecs::v1::EcsService::Stub> stub;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<double> cpu_us_per_call;
  std::vector<double> calls_per_second;
  int64_t failures = 0;
};

// A policy of `count` statements, the allowing one last, with globs and
// conditions like a platform's policy has.
std::string CallersConfig(int count, const std::string& folder, const std::string& key_sha256) {
  std::string yaml = absl::StrCat("callers:\n  account_id: \"123456789012\"\n",
                                  "  authentication:\n    api_keys:\n      - sha256: ", key_sha256,
                                  "\n        principal: bench-caller\n        groups: [bench]\n");
  if (absl::GetFlag(FLAGS_limit)) {
    absl::StrAppend(&yaml, "  limits:\n    rules:\n      - id: everyone\n",
                    "        principals: [\"*\"]\n        actions: [\"ecs:*\"]\n",
                    "        rate: 1000000\n        max_in_flight: 10000\n");
  }
  if (absl::GetFlag(FLAGS_audit)) {
    absl::StrAppend(&yaml, "  audit:\n    file: ", folder, "/audit.jsonl\n");
  } else {
    absl::StrAppend(&yaml, "  audit:\n    file: /dev/null\n");
  }
  absl::StrAppend(&yaml, "  policy:\n");
  for (int i = 0; i + 1 < count; ++i) {
    absl::StrAppend(&yaml, "    - id: team-", i, "\n      effect: ", i % 10 == 0 ? "deny" : "allow",
                    "\n      principals: [\"team-", i, "-*\", \"group:team-", i, "\"]\n",
                    "      actions: [\"ecs:Describe*\", \"ecs:List*\", \"ecs:UpdateService\"]\n",
                    "      resources: [\"arn:aws:ecs:*:123456789012:service/team-", i,
                    "/*\", \"arn:aws:ecs:*:123456789012:cluster/team-", i, "\"]\n",
                    "      conditions:\n        region: [us-east-1, eu-*]\n");
  }
  absl::StrAppend(&yaml,
                  "    - id: bench\n      effect: allow\n      principals: [\"group:bench\"]\n"
                  "      actions: [\"ecs:List*\"]\n      resources: [\"*\"]\n");
  return yaml;
}

absl::StatusOr<Gateway> StartGateway(const awsgw::bench::FastBackend& backend,
                                     const std::string& config) {
  awsgw::bench::GatewayProcess::Options options;
  options.binary = absl::GetFlag(FLAGS_gateway);
  options.args = {"--log_level", "error"};
  if (!config.empty()) options.args.insert(options.args.end(), {"--config", config});
  options.env = backend.GatewayEnv();
  absl::StatusOr<std::unique_ptr<awsgw::bench::GatewayProcess>> process =
      awsgw::bench::GatewayProcess::Start(options);
  if (!process.ok()) return process.status();
  Gateway gateway;
  gateway.process = *std::move(process);
  gateway.channel =
      grpc::CreateChannel(gateway.process->address(), grpc::InsecureChannelCredentials());
  if (!gateway.channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(10)))) {
    return absl::UnavailableError("cannot connect to the gateway");
  }
  gateway.stub = aws::ecs::v1::EcsService::NewStub(gateway.channel);
  return gateway;
}

awsgw::bench::StartCall CallsOf(Gateway& gateway) {
  return [&gateway](awsgw::bench::CallDone done) {
    awsgw::bench::ListClustersCall::Start(gateway.stub.get(), absl::Seconds(30), std::move(done),
                                          gateway.metadata);
  };
}

// One measured phase: CPU per call and calls/s into `gateway`.
absl::Status Measure(Gateway& gateway, absl::Duration phase, int concurrency) {
  absl::StatusOr<awsgw::bench::ProcessUsage> before = gateway.process->Usage();
  const awsgw::bench::LoadResult result =
      awsgw::bench::RunClosedLoop(concurrency, phase, CallsOf(gateway));
  absl::StatusOr<awsgw::bench::ProcessUsage> after = gateway.process->Usage();
  if (!before.ok() || !after.ok()) return absl::InternalError("cannot read /proc");
  for (const auto& [code, count] : result.failures) gateway.failures += count;
  const awsgw::bench::LatencySummary summary = awsgw::bench::Summarize(result);
  if (summary.calls == 0) return absl::InternalError("a phase made no call");
  gateway.cpu_us_per_call.push_back(static_cast<double>(after->cpu_ns - before->cpu_ns) / 1000.0 /
                                    static_cast<double>(summary.calls));
  gateway.calls_per_second.push_back(summary.calls_per_second);
  return absl::OkStatus();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

int Run() {
  const absl::Duration phase = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const int rounds = absl::GetFlag(FLAGS_rounds);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int statements = absl::GetFlag(FLAGS_statements);
  if (rounds < 1 || concurrency < 1 || statements < 1 || phase <= absl::ZeroDuration()) {
    std::fprintf(stderr, "--rounds, --concurrency, --statements and --seconds must be positive\n");
    return 2;
  }
  char folder_template[] = "/tmp/awsgw-callers-load-XXXXXX";
  const char* folder = mkdtemp(folder_template);
  if (folder == nullptr) return 2;
  const std::string config_path = absl::StrCat(folder, "/gateway.yaml");
  std::ofstream(config_path) << CallersConfig(statements, folder, Sha256Hex(kApiKey));

  absl::StatusOr<std::unique_ptr<awsgw::bench::FastBackend>> backend =
      awsgw::bench::FastBackend::Start(1);
  if (!backend.ok()) {
    std::fprintf(stderr, "%s\n", backend.status().ToString().c_str());
    return 2;
  }
  absl::StatusOr<Gateway> open = StartGateway(**backend, "");
  absl::StatusOr<Gateway> guarded =
      StartGateway(**backend, absl::GetFlag(FLAGS_same) ? "" : config_path);
  if (!open.ok() || !guarded.ok()) {
    std::fprintf(stderr, "cannot start the gateways: %s %s\n", open.status().ToString().c_str(),
                 guarded.status().ToString().c_str());
    return 2;
  }
  if (!absl::GetFlag(FLAGS_same)) guarded->metadata = {{"x-api-key", kApiKey}};

  for (Gateway* gateway : {&*open, &*guarded}) {
    awsgw::bench::RunClosedLoop(concurrency, absl::Milliseconds(500), CallsOf(*gateway));
  }
  for (int round = 0; round < rounds; ++round) {
    for (Gateway* gateway : {&*open, &*guarded}) {
      if (absl::Status status = Measure(*gateway, phase, concurrency); !status.ok()) {
        std::fprintf(stderr, "%s\n%s\n", status.ToString().c_str(),
                     gateway->process->LogTail().c_str());
        return 2;
      }
    }
  }

  const double open_cpu = Median(open->cpu_us_per_call);
  const double guarded_cpu = Median(guarded->cpu_us_per_call);
  // Each round's two phases ran back to back: their difference cancels most
  // of the machine's drift, and the median of those differences the rest.
  std::vector<double> differences;
  for (int round = 0; round < rounds; ++round) {
    differences.push_back(guarded->cpu_us_per_call[round] - open->cpu_us_per_call[round]);
  }
  const double added = Median(differences);
  const double ratio = open_cpu > 0 ? guarded_cpu / open_cpu : 0;
  std::printf("gateway CPU per ListClusters call, median of %d phases of %.1f s at c=%d:\n", rounds,
              absl::ToDoubleSeconds(phase), concurrency);
  std::printf("  open (no callers section):            %7.1f us   %8.0f calls/s\n", open_cpu,
              Median(open->calls_per_second));
  std::printf("  API key + %3d statements + limit + audit: %7.1f us   %8.0f calls/s\n", statements,
              guarded_cpu, Median(guarded->calls_per_second));
  std::printf(
      "  added by deciding about callers:      %7.1f us   (target <= %.0f us), ratio %.3f\n", added,
      kTargetAddedCpuUs, ratio);
  std::printf(
      "{\"bench\":\"callers_load\",\"seconds\":%.2f,\"rounds\":%d,\"concurrency\":%d,"
      "\"statements\":%d,\"open_cpu_us_per_call\":%.2f,\"guarded_cpu_us_per_call\":%.2f,"
      "\"added_cpu_us_per_call\":%.2f,\"cpu_ratio\":%.3f,\"open_calls_per_s\":%.0f,"
      "\"guarded_calls_per_s\":%.0f,\"failures\":%lld,\"added_cpu_target_met\":%s}\n",
      absl::ToDoubleSeconds(phase), rounds, concurrency, statements, open_cpu, guarded_cpu, added,
      ratio, Median(open->calls_per_second), Median(guarded->calls_per_second),
      static_cast<long long>(open->failures + guarded->failures),
      added <= kTargetAddedCpuUs ? "true" : "false");
  return open->failures + guarded->failures > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "gateway CPU per call with caller authentication, a policy, limits and audit, against "
      "the same gateway open (see bench/README.md)");
  absl::ParseCommandLine(argc, argv);
  return Run();
}
