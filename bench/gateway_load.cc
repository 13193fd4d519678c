// gateway_load: unary calls through the real gateway against the same calls
// made directly over keep-alive HTTP, in one run on one machine.
//
// One process holds a fast loopback backend (fast_backend.h) and the load
// generators; the gateway binary runs as a child pointed at the backend by
// AWS_ENDPOINT_URL. Each path runs closed-loop at concurrency 1 (latency)
// and at --concurrency (throughput):
//   direct:  awsgw::http::client::HttpClient (the gateway's own pooled client,
//            same default options) -> backend: the gateway's ECS
//            ListClusters request, unsigned;
//   health:  gRPC grpc.health.v1.Health/Check -> gateway, answered there: the
//            gRPC hop alone, with no AWS work;
//   gateway: gRPC ECS ListClusters (callback-API client) -> gateway ->
//            backend.
// Then a wave of --inflight calls is started at once through the gateway
// while the backend holds every answer for --inflight_delay, and the
// gateway's resident memory is sampled until the wave ends.
//
// Reported (a table, then one JSON line on stdout):
//   gateway-added p50 = p50(gateway, c=1) - p50(direct, c=1)  target <= 100 us,
//     split into the gRPC hop (health - direct) and the AWS call path;
//   throughput ratio  = calls/s gateway / direct at --concurrency  target >= 0.5,
//     and health / direct, the ceiling of the gRPC hop on this machine;
//   the gateway's CPU per call (utime+stime over a phase / its calls), and
//     this process's at --concurrency on each path (load generator and
//     backend: on a small machine all of it competes for the same cores);
//   the gateway's RSS idle, and while the most wave calls were in flight.
// The machine is shared and the load generators share its cores with the
// gateway, so only the ratios within one run mean much.
//
// Exit code 1 when a phase made no successful call or a closed-loop phase
// had a failed call (the numbers would then describe errors), 2 when the
// set-up fails.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "aws/ecs/v1/ecs.grpc.pb.h"
#include "bench/closed_loop.h"
#include "bench/fast_backend.h"
#include "bench/gateway_process.h"
#include "bench/list_clusters_call.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_callback.h"
#include "http/client/http_client.h"
#include "http/http_message.h"

#ifndef AWSGW_GATEWAY_BINARY
#define AWSGW_GATEWAY_BINARY "aws-grpc-gateway"
#endif

ABSL_FLAG(std::string, gateway, AWSGW_GATEWAY_BINARY, "path of the aws-grpc-gateway binary");
ABSL_FLAG(double, seconds, 5.0, "length of each measured phase, in seconds");
ABSL_FLAG(double, warmup_seconds, 0.5,
          "unmeasured calls on each path before measuring (opens the pooled connections)");
ABSL_FLAG(int, concurrency, 64, "calls in flight in the throughput phases");
ABSL_FLAG(int, inflight, 1000, "calls started at once in the in-flight wave");
ABSL_FLAG(absl::Duration, inflight_delay, absl::Milliseconds(500),
          "how long the backend holds each answer during the in-flight wave");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(60), "deadline of every call");
ABSL_FLAG(int, backend_threads, 1, "threads of the loopback backend");
ABSL_FLAG(std::string, gateway_config, "",
          "YAML file passed to the gateway with --config (e.g. http.threads, "
          "http.max_connections_per_endpoint)");

namespace {

using awsgw::bench::CallDone;
using awsgw::bench::LatencySummary;
using awsgw::bench::LoadResult;
using awsgw::bench::StartCall;

constexpr double kAddedP50TargetUs = 100;
constexpr double kThroughputRatioTarget = 0.5;
constexpr char kListClustersTarget[] = "AmazonEC2ContainerServiceV20141113.ListClusters";

// One grpc.health.v1.Health/Check call to the gateway: the same gRPC hop as
// a ListClusters call, answered inside the gateway with no AWS work, so its
// latency is the floor any gRPC front end pays on this machine. Sent as raw
// bytes (an empty HealthCheckRequest is zero bytes): Debian ships no C++
// health stubs. Owns itself like ListClustersCall.
class HealthCheckCall : public grpc::ClientUnaryReactor {
 public:
  static void Start(grpc::GenericStub* stub, absl::Duration timeout, CallDone done) {
    auto* call = new HealthCheckCall(std::move(done));
    call->context_.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    stub->PrepareUnaryCall(&call->context_, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                           &call->request_, &call->response_, call);
    call->StartCall();
  }

  void OnDone(const grpc::Status& status) override {
    const absl::Status outcome =
        status.ok() ? absl::OkStatus()
                    : absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                                   status.error_message());
    CallDone done = std::move(done_);
    delete this;
    done(outcome);
  }

 private:
  explicit HealthCheckCall(CallDone done) : done_(std::move(done)) {
    // A valid buffer of zero bytes: a default ByteBuffer would send no message at all.
    grpc::Slice empty("", 0);
    request_ = grpc::ByteBuffer(&empty, 1);
  }

  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  CallDone done_;
};

// The request the gateway sends for ListClusters, minus the signature.
awsgw::http::HttpRequest DirectRequest(const awsgw::http::client::Endpoint& endpoint) {
  awsgw::http::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"Host", endpoint.HostHeader()},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", kListClustersTarget}};
  request.body = "{}";
  return request;
}

// Samples the gateway's RSS and the calls in flight every few milliseconds.
// RSS rarely shrinks once the allocator has the pages, so besides the peak
// it keeps the RSS seen while the most calls were in flight.
class RssSampler {
 public:
  RssSampler(const awsgw::bench::GatewayProcess* gateway, const std::atomic<int>* in_flight)
      : thread_([this, gateway, in_flight] {
          while (!stop_.WaitForNotificationWithTimeout(absl::Milliseconds(5))) {
            const int calls = in_flight->load(std::memory_order_relaxed);
            absl::StatusOr<awsgw::bench::ProcessUsage> usage = gateway->Usage();
            if (!usage.ok()) continue;
            peak_rss_ = std::max(peak_rss_, usage->rss_bytes);
            if (calls > max_in_flight_) {
              max_in_flight_ = calls;
              rss_at_max_in_flight_ = usage->rss_bytes;
            } else if (calls == max_in_flight_) {
              rss_at_max_in_flight_ = std::max(rss_at_max_in_flight_, usage->rss_bytes);
            }
          }
        }) {}

  // Stops sampling; the getters are valid afterwards.
  void Stop() {
    stop_.Notify();
    thread_.join();
  }
  int64_t peak_rss() const { return peak_rss_; }
  int max_in_flight() const { return max_in_flight_; }
  int64_t rss_at_max_in_flight() const { return rss_at_max_in_flight_; }

 private:
  absl::Notification stop_;
  // Written by thread_ only, read after Stop().
  int64_t peak_rss_ = 0;
  int max_in_flight_ = 0;
  int64_t rss_at_max_in_flight_ = 0;
  std::thread thread_;  // last: starts once the fields above exist
};

double Mib(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

std::string Failures(const LoadResult& result) {
  if (result.failures.empty()) return "0";
  std::vector<std::string> parts;
  for (const auto& [code, count] : result.failures) parts.push_back(absl::StrCat(code, ":", count));
  return absl::StrJoin(parts, ",");
}

void PrintRow(const char* path, const char* phase, const LoadResult& result) {
  const LatencySummary s = awsgw::bench::Summarize(result);
  std::printf("%-8s %-11s %6d %9lld %10.0f %10.1f %10.1f  %s\n", path, phase, result.concurrency,
              static_cast<long long>(s.calls), s.calls_per_second, s.p50_us, s.p99_us,
              Failures(result).c_str());
}

int Run() {
  const absl::Duration phase = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const absl::Duration warmup = absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int inflight = absl::GetFlag(FLAGS_inflight);
  const absl::Duration timeout = absl::GetFlag(FLAGS_call_timeout);
  if (concurrency < 1 || inflight < 1 || phase <= absl::ZeroDuration()) {
    std::fprintf(stderr, "--concurrency, --inflight and --seconds must be positive\n");
    return 2;
  }

  absl::StatusOr<std::unique_ptr<awsgw::bench::FastBackend>> backend =
      awsgw::bench::FastBackend::Start(absl::GetFlag(FLAGS_backend_threads));
  if (!backend.ok()) {
    std::fprintf(stderr, "%s\n", backend.status().ToString().c_str());
    return 2;
  }
  awsgw::bench::GatewayProcess::Options options;
  options.binary = absl::GetFlag(FLAGS_gateway);
  options.args = {"--log_level", "error"};
  if (const std::string config = absl::GetFlag(FLAGS_gateway_config); !config.empty()) {
    options.args.insert(options.args.end(), {"--config", config});
  }
  options.env = (*backend)->GatewayEnv();
  absl::StatusOr<std::unique_ptr<awsgw::bench::GatewayProcess>> gateway =
      awsgw::bench::GatewayProcess::Start(options);
  if (!gateway.ok()) {
    std::fprintf(stderr, "%s\n", gateway.status().ToString().c_str());
    return 2;
  }

  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel((*gateway)->address(), grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(10)))) {
    std::fprintf(stderr, "cannot connect to the gateway at %s\n", (*gateway)->address().c_str());
    return 2;
  }
  std::unique_ptr<aws::ecs::v1::EcsService::Stub> stub = aws::ecs::v1::EcsService::NewStub(channel);
  std::atomic<int> in_flight{0};
  const StartCall through_gateway = [stub = stub.get(), timeout, &in_flight](CallDone done) {
    in_flight.fetch_add(1, std::memory_order_relaxed);
    awsgw::bench::ListClustersCall::Start(
        stub, timeout, [&in_flight, done = std::move(done)](const absl::Status& status) {
          in_flight.fetch_sub(1, std::memory_order_relaxed);
          done(status);
        });
  };

  grpc::GenericStub generic_stub(channel);
  const StartCall health_check = [stub = &generic_stub, timeout](CallDone done) {
    HealthCheckCall::Start(stub, timeout, std::move(done));
  };

  absl::StatusOr<std::unique_ptr<awsgw::http::client::HttpClient>> client =
      awsgw::http::client::HttpClient::Create(awsgw::http::client::HttpClientOptions{});
  absl::StatusOr<awsgw::http::client::Endpoint> endpoint =
      awsgw::http::client::Endpoint::Parse((*backend)->url());
  if (!client.ok() || !endpoint.ok()) {
    std::fprintf(stderr, "cannot set up the direct client: %s %s\n",
                 client.status().ToString().c_str(), endpoint.status().ToString().c_str());
    return 2;
  }
  const awsgw::http::HttpRequest direct_request = DirectRequest(*endpoint);
  const StartCall direct = [client = client->get(), &endpoint, &direct_request,
                            timeout](CallDone done) {
    awsgw::http::client::CallOptions call_options;
    call_options.deadline = absl::Now() + timeout;
    client->Send(*endpoint, direct_request, call_options,
                 [done = std::move(done)](absl::StatusOr<awsgw::http::HttpResponse> response) {
                   if (!response.ok()) return done(response.status());
                   if (response->status != 200) {
                     return done(absl::UnknownError(absl::StrCat("HTTP ", response->status)));
                   }
                   done(absl::OkStatus());
                 });
  };

  // Warm-up: open the pooled connections on both paths, fault in the code.
  awsgw::bench::RunClosedLoop(concurrency, warmup, direct);
  awsgw::bench::RunClosedLoop(concurrency, warmup, through_gateway);
  awsgw::bench::RunClosedLoop(concurrency, warmup, health_check);
  absl::StatusOr<awsgw::bench::ProcessUsage> idle = (*gateway)->Usage();

  const LoadResult direct_c1 = awsgw::bench::RunClosedLoop(1, phase, direct);
  absl::StatusOr<awsgw::bench::ProcessUsage> before_health_c1 = (*gateway)->Usage();
  const LoadResult health_c1 = awsgw::bench::RunClosedLoop(1, phase, health_check);
  absl::StatusOr<awsgw::bench::ProcessUsage> before_c1 = (*gateway)->Usage();
  const LoadResult gateway_c1 = awsgw::bench::RunClosedLoop(1, phase, through_gateway);
  absl::StatusOr<awsgw::bench::ProcessUsage> after_c1 = (*gateway)->Usage();
  // This process (load generator and backend) is measured too: on a small
  // machine everyone's CPU per call, not the gateway's alone, sets calls/s.
  const pid_t self = getpid();
  absl::StatusOr<awsgw::bench::ProcessUsage> self_before_direct =
      awsgw::bench::ReadProcessUsage(self);
  const LoadResult direct_cn = awsgw::bench::RunClosedLoop(concurrency, phase, direct);
  absl::StatusOr<awsgw::bench::ProcessUsage> self_after_direct =
      awsgw::bench::ReadProcessUsage(self);
  absl::StatusOr<awsgw::bench::ProcessUsage> before_health = (*gateway)->Usage();
  const LoadResult health_cn = awsgw::bench::RunClosedLoop(concurrency, phase, health_check);
  absl::StatusOr<awsgw::bench::ProcessUsage> before = (*gateway)->Usage();
  absl::StatusOr<awsgw::bench::ProcessUsage> self_before = awsgw::bench::ReadProcessUsage(self);
  const LoadResult gateway_cn = awsgw::bench::RunClosedLoop(concurrency, phase, through_gateway);
  absl::StatusOr<awsgw::bench::ProcessUsage> self_after = awsgw::bench::ReadProcessUsage(self);
  absl::StatusOr<awsgw::bench::ProcessUsage> after = (*gateway)->Usage();

  (*backend)->set_delay(absl::GetFlag(FLAGS_inflight_delay));
  RssSampler sampler(gateway->get(), &in_flight);
  const LoadResult wave =
      awsgw::bench::RunClosedLoop(inflight, absl::ZeroDuration(), through_gateway);
  sampler.Stop();
  (*backend)->set_delay(absl::ZeroDuration());

  for (const absl::StatusOr<awsgw::bench::ProcessUsage>* usage :
       {&idle, &before_health_c1, &before_c1, &after_c1, &before_health, &before, &after,
        &self_before_direct, &self_after_direct, &self_before, &self_after}) {
    if (!usage->ok()) {
      std::fprintf(stderr, "cannot read /proc for CPU and memory: %s\n%s\n",
                   usage->status().ToString().c_str(), (*gateway)->LogTail().c_str());
      return 2;
    }
  }

  const LatencySummary h1 = awsgw::bench::Summarize(health_c1);
  const LatencySummary hn = awsgw::bench::Summarize(health_cn);
  const LatencySummary d1 = awsgw::bench::Summarize(direct_c1);
  const LatencySummary g1 = awsgw::bench::Summarize(gateway_c1);
  const LatencySummary dn = awsgw::bench::Summarize(direct_cn);
  const LatencySummary gn = awsgw::bench::Summarize(gateway_cn);
  const double added_p50_us = g1.p50_us - d1.p50_us;
  const double grpc_hop_p50_us = h1.p50_us - d1.p50_us;
  const double ratio = dn.calls_per_second > 0 ? gn.calls_per_second / dn.calls_per_second : 0;
  const double health_ratio =
      dn.calls_per_second > 0 ? hn.calls_per_second / dn.calls_per_second : 0;
  // The gateway's CPU time over a phase, per call it served in that phase.
  auto cpu_us_per_call = [](const awsgw::bench::ProcessUsage& start,
                            const awsgw::bench::ProcessUsage& end, const LoadResult& result) {
    const int64_t calls = result.ok + result.failed();
    return calls > 0 ? static_cast<double>(end.cpu_ns - start.cpu_ns) / 1000.0 /
                           static_cast<double>(calls)
                     : 0.0;
  };
  // Threads put to sleep or preempted in the gateway, per call.
  auto switches_per_call = [](const awsgw::bench::ProcessUsage& start,
                              const awsgw::bench::ProcessUsage& end, const LoadResult& result) {
    const int64_t calls = result.ok + result.failed();
    return calls > 0 ? static_cast<double>(end.context_switches - start.context_switches) /
                           static_cast<double>(calls)
                     : 0.0;
  };
  const double health_cpu_us_c1 = cpu_us_per_call(*before_health_c1, *before_c1, health_c1);
  const double health_cpu_us_cn = cpu_us_per_call(*before_health, *before, health_cn);
  const double health_switches_c1 = switches_per_call(*before_health_c1, *before_c1, health_c1);
  const double health_switches_cn = switches_per_call(*before_health, *before, health_cn);
  const double switches_c1 = switches_per_call(*before_c1, *after_c1, gateway_c1);
  const double switches_cn = switches_per_call(*before, *after, gateway_cn);
  const double cpu_us_c1 = cpu_us_per_call(*before_c1, *after_c1, gateway_c1);
  const double cpu_us_cn = cpu_us_per_call(*before, *after, gateway_cn);
  const double driver_direct_cpu_us =
      cpu_us_per_call(*self_before_direct, *self_after_direct, direct_cn);
  const double driver_gateway_cpu_us = cpu_us_per_call(*self_before, *self_after, gateway_cn);

  std::printf("gateway_load: ECS ListClusters, %s per phase, gateway %s, backend %s\n\n",
              absl::FormatDuration(phase).c_str(), (*gateway)->address().c_str(),
              (*backend)->url().c_str());
  std::printf("%-8s %-11s %6s %9s %10s %10s %10s  %s\n", "path", "phase", "conc", "calls",
              "calls/s", "p50 us", "p99 us", "failed");
  PrintRow("direct", "latency", direct_c1);
  PrintRow("health", "latency", health_c1);
  PrintRow("gateway", "latency", gateway_c1);
  PrintRow("direct", "throughput", direct_cn);
  PrintRow("health", "throughput", health_cn);
  PrintRow("gateway", "throughput", gateway_cn);
  PrintRow("gateway", "in-flight", wave);
  std::printf("\n");
  std::printf("gateway-added p50 (c=1):            %8.1f us   target <= %.0f us: %s\n",
              added_p50_us, kAddedP50TargetUs,
              added_p50_us <= kAddedP50TargetUs ? "met" : "MISSED");
  std::printf("  of which the gRPC hop (health):   %8.1f us   health p50 - direct p50\n",
              grpc_hop_p50_us);
  std::printf("  of which the AWS call path:       %8.1f us   gateway p50 - health p50\n",
              added_p50_us - grpc_hop_p50_us);
  std::printf("throughput gateway/direct (c=%d):  %8.2f      target >= %.2f: %s\n", concurrency,
              ratio, kThroughputRatioTarget, ratio >= kThroughputRatioTarget ? "met" : "MISSED");
  std::printf("  health/direct (gRPC hop alone):   %8.2f\n", health_ratio);
  std::printf("gateway CPU per call (c=%d):       %8.1f us   (c=1: %.1f us)\n", concurrency,
              cpu_us_cn, cpu_us_c1);
  std::printf(
      "all CPU per call (c=%d):           %8.1f us   direct path (this process: client"
      " and backend)\n",
      concurrency, driver_direct_cpu_us);
  std::printf(
      "                                    %8.1f us   gateway path (this process %.1f +"
      " gateway %.1f)\n",
      driver_gateway_cpu_us + cpu_us_cn, driver_gateway_cpu_us, cpu_us_cn);
  // Every process shares this machine's cores, so at saturation calls/s is
  // inversely proportional to all CPU per call: the ratio target leaves the
  // gateway at most 1/target x direct's CPU minus what this process spends.
  const double cpu_budget_us =
      driver_direct_cpu_us / kThroughputRatioTarget - driver_gateway_cpu_us;
  std::printf(
      "  gateway CPU budget for %.2f:      %8.1f us   all direct CPU / %.2f - this process's"
      " share on the gateway path\n",
      kThroughputRatioTarget, cpu_budget_us, kThroughputRatioTarget);
  std::printf("  bare gRPC hop (health) CPU:       %8.1f us   (c=1: %.1f us)\n", health_cpu_us_cn,
              health_cpu_us_c1);
  // What a gateway that spent no more CPU than a bare gRPC answer could reach.
  const double ratio_ceiling =
      driver_direct_cpu_us / std::max(driver_gateway_cpu_us + health_cpu_us_cn, 1e-9);
  std::printf(
      "  ceiling with a bare gRPC answer:  %8.2f      all direct CPU / (this process's"
      " share + bare gRPC hop CPU)\n",
      ratio_ceiling);
  std::printf(
      "gateway context switches per call: %8.1f      (c=1: %.1f; health: %.1f, c=1: %.1f)\n",
      switches_cn, switches_c1, health_switches_cn, health_switches_c1);
  std::printf("gateway RSS idle:                   %8.1f MiB\n", Mib(idle->rss_bytes));
  std::printf(
      "gateway RSS, %4d calls in flight:  %8.1f MiB  (peak of the wave %.1f MiB;"
      " wave of %d calls, backend delay %s)\n",
      sampler.max_in_flight(), Mib(sampler.rss_at_max_in_flight()), Mib(sampler.peak_rss()),
      inflight, absl::FormatDuration(absl::GetFlag(FLAGS_inflight_delay)).c_str());
  if (!wave.failures.empty()) {
    std::printf("in-flight wave failures: %s (e.g. %s)\n", Failures(wave).c_str(),
                wave.first_failure.c_str());
  }

  std::printf(
      "{\"bench\":\"gateway_load\",\"seconds\":%.2f,\"concurrency\":%d,"
      "\"direct_c1_p50_us\":%.1f,\"direct_c1_p99_us\":%.1f,\"direct_c1_calls_per_s\":%.0f,"
      "\"health_c1_p50_us\":%.1f,\"health_c1_p99_us\":%.1f,"
      "\"gateway_c1_p50_us\":%.1f,\"gateway_c1_p99_us\":%.1f,\"gateway_c1_calls_per_s\":%.0f,"
      "\"gateway_added_p50_us\":%.1f,\"grpc_hop_p50_us\":%.1f,"
      "\"direct_cn_calls_per_s\":%.0f,\"direct_cn_p50_us\":%.1f,\"direct_cn_p99_us\":%.1f,"
      "\"health_cn_calls_per_s\":%.0f,"
      "\"gateway_cn_calls_per_s\":%.0f,\"gateway_cn_p50_us\":%.1f,\"gateway_cn_p99_us\":%.1f,"
      "\"throughput_ratio\":%.3f,\"health_throughput_ratio\":%.3f,"
      "\"gateway_cpu_us_per_call\":%.1f,\"gateway_c1_cpu_us_per_call\":%.1f,"
      "\"driver_direct_cpu_us_per_call\":%.1f,\"driver_gateway_cpu_us_per_call\":%.1f,"
      "\"gateway_cpu_budget_us\":%.1f,\"health_cpu_us_per_call\":%.1f,"
      "\"health_c1_cpu_us_per_call\":%.1f,\"gateway_switches_per_call\":%.1f,"
      "\"gateway_c1_switches_per_call\":%.1f,\"health_switches_per_call\":%.1f,"
      "\"health_c1_switches_per_call\":%.1f,\"throughput_ratio_ceiling\":%.3f,"
      "\"rss_idle_mib\":%.1f,"
      "\"inflight_calls\":%d,\"inflight_max\":%d,\"rss_inflight_mib\":%.1f,"
      "\"rss_wave_peak_mib\":%.1f,\"inflight_ok\":%lld,\"inflight_failed\":%lld,"
      "\"added_p50_target_met\":%s,\"throughput_target_met\":%s}\n",
      absl::ToDoubleSeconds(phase), concurrency, d1.p50_us, d1.p99_us, d1.calls_per_second,
      h1.p50_us, h1.p99_us, g1.p50_us, g1.p99_us, g1.calls_per_second, added_p50_us,
      grpc_hop_p50_us, dn.calls_per_second, dn.p50_us, dn.p99_us, hn.calls_per_second,
      gn.calls_per_second, gn.p50_us, gn.p99_us, ratio, health_ratio, cpu_us_cn, cpu_us_c1,
      driver_direct_cpu_us, driver_gateway_cpu_us, cpu_budget_us, health_cpu_us_cn,
      health_cpu_us_c1, switches_cn, switches_c1, health_switches_cn, health_switches_c1,
      ratio_ceiling, Mib(idle->rss_bytes), inflight, sampler.max_in_flight(),
      Mib(sampler.rss_at_max_in_flight()), Mib(sampler.peak_rss()), static_cast<long long>(wave.ok),
      static_cast<long long>(wave.failed()), added_p50_us <= kAddedP50TargetUs ? "true" : "false",
      ratio >= kThroughputRatioTarget ? "true" : "false");
  std::fflush(stdout);

  int exit_code = 0;
  for (const LoadResult* result :
       {&direct_c1, &health_c1, &gateway_c1, &direct_cn, &health_cn, &gateway_cn}) {
    if (result->ok == 0 || result->failed() > 0) {
      std::fprintf(stderr, "a phase at concurrency %d failed: %s (e.g. %s)\n", result->concurrency,
                   Failures(*result).c_str(), result->first_failure.c_str());
      exit_code = 1;
    }
  }
  if (wave.ok == 0) {
    std::fprintf(stderr, "no call of the in-flight wave succeeded (e.g. %s)\n",
                 wave.first_failure.c_str());
    exit_code = 1;
  }
  if (exit_code != 0) std::fprintf(stderr, "gateway log:\n%s\n", (*gateway)->LogTail().c_str());
  // The gRPC stub and the direct client go before the gateway and backend.
  stub.reset();
  (*client)->Shutdown();
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load benchmark: ECS ListClusters through the gateway vs directly over HTTP, to a fast "
      "loopback backend");
  absl::ParseCommandLine(argc, argv);
  return Run();
}
