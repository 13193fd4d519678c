// watch_load: many concurrent watch streams through the real gateway, in
// front of the real emulator, in one run on one machine.
//
// The emulator (--stepped_clock: lifecycle time stands still until this
// driver moves it) and the gateway run as children; the gateway reaches the
// emulator as it would AWS (EmulatorProcess::GatewayEnv). Through the
// gateway's unary rpcs the driver creates --clusters ECS clusters with
// --tasks tasks in all (RunTask, at most 10 per call) and --deployments
// AppConfig deployments (one application, profile, hosted version and
// strategy; one environment and StartDeployment each). It then opens
// --streams watch streams (WatchEcsTask over every task, and
// --deployment_streams WatchAppConfigDeployment over every deployment), all
// asking for a fixed polling interval (--interval as both bounds, and as the
// gateway's --watch_min_interval), spread over --channels connections.
//
// Measured (a report, then one JSON line on stdout):
//   AWS calls per polling interval: once every stream has its snapshot, the
//     emulator's request log (/_emulator/requests) is reset and read again
//     after --intervals intervals; the gateway's own counter
//     (awsgw_watch_polls_total) over the same window is a second witness.
//     Target: per cluster ceil(its tasks / 100) (DescribeTasks takes 100
//     tasks) plus one per deployment.
//   Memory per idle watcher: the gateway's resident memory
//     (/proc/<pid>/smaps_rollup) with the fixtures created and no stream,
//     with one stream per resource, and with every stream open and idle;
//     (all - none) / streams. Target: at most 10 KiB.
//   Change-to-client delay: --steps times, at a random point of the polling
//     cycle, the stepped clock is advanced so that every task moves to its
//     next state (PROVISIONING -> PENDING -> ACTIVATING -> RUNNING) and every
//     deployment's PercentageComplete grows; the delay of a stream is from
//     just before the advance was sent to the arrival of its CHANGE update.
//     p50 and p99 over all streams and steps. Target: interval + 50 ms.
//   Machine load: CPU of the gateway, the emulator and this process over the
//     idle window, the machine's busy share and load average (the machine is
//     shared: other work shows up here).
//
// Exit code 1 when a stream failed or a measurement has no data, 2 when the
// set-up fails.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "aws/appconfig/v1/appconfig.grpc.pb.h"
#include "aws/ecs/v1/ecs.grpc.pb.h"
#include "awsgw/watch/v1/watch.grpc.pb.h"
#include "bench/emulator_process.h"
#include "bench/gateway_process.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_callback.h"
#include "http/client/http_client.h"
#include "http/http_message.h"

#ifndef AWSGW_GATEWAY_BINARY
#define AWSGW_GATEWAY_BINARY "aws-grpc-gateway"
#endif
#ifndef AWSGW_EMULATOR_BINARY
#define AWSGW_EMULATOR_BINARY "aws-emulator"
#endif

ABSL_FLAG(std::string, gateway, AWSGW_GATEWAY_BINARY, "path of the aws-grpc-gateway binary");
ABSL_FLAG(std::string, emulator, AWSGW_EMULATOR_BINARY, "path of the aws-emulator binary");
ABSL_FLAG(int, clusters, 10, "ECS clusters");
ABSL_FLAG(int, tasks, 1000, "ECS tasks in all, spread evenly over the clusters");
ABSL_FLAG(int, deployments, 100, "AppConfig deployments");
ABSL_FLAG(int, streams, 10000, "watch streams in all");
ABSL_FLAG(int, deployment_streams, -1,
          "of --streams, those watching deployments (-1: a tenth, at least one per deployment); "
          "the rest watch tasks");
ABSL_FLAG(absl::Duration, interval, absl::Seconds(1),
          "the polling interval every stream asks for (both bounds; also the gateway's "
          "--watch_min_interval)");
ABSL_FLAG(int, intervals, 10, "polling intervals over which AWS calls are counted");
ABSL_FLAG(int, steps, 3,
          "clock steps whose change-to-client delay is measured (at most 3: tasks reach "
          "RUNNING at the third)");
ABSL_FLAG(int, channels, 16, "gRPC connections the streams are spread over");
ABSL_FLAG(absl::Duration, open_timeout, absl::Seconds(180),
          "how long the streams may take to all get their snapshot");
ABSL_FLAG(uint32_t, seed, 1, "seeds the random points of the polling cycle the steps fall on");

namespace {

namespace v1 = ::awsgw::watch::v1;
using awsgw::bench::EmulatorProcess;
using awsgw::bench::GatewayProcess;
using awsgw::bench::MemoryUsage;
using awsgw::bench::ProcessUsage;

constexpr int64_t kMemoryTargetBytes = 10 * 1024;
constexpr absl::Duration kDelaySlack = absl::Milliseconds(50);
constexpr int kDescribeTasksBatch = 100;  // tasks per DescribeTasks call
constexpr int kRunTaskMaxCount = 10;      // tasks per RunTask call
constexpr int kMaxSteps = 3;
// Deployment strategy: LINEAR, 4% per step, over 20 "minutes" (the emulator
// counts them as seconds): PercentageComplete grows every 0.8 s of lifecycle
// time, so each clock step below (1.5 s, then 1 s) crosses at least one
// growth step, and the deployment stays DEPLOYING for 20 s.
constexpr int kDeploymentMinutes = 20;
constexpr float kGrowthFactor = 4;
// Task states after each clock step: the emulator's ECS track spends 1 s in
// each of PROVISIONING, PENDING, ACTIVATING. Steps land mid-state (1.5 s,
// 2.5 s, 3.5 s) so no boundary is hit exactly.
constexpr const char* kTaskStateAfterStep[kMaxSteps + 1] = {"PROVISIONING", "PENDING", "ACTIVATING",
                                                            "RUNNING"};

double Mib(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// ---------------------------------------------------------------------------
// The watch streams.

// What one stream received, in order.
struct Received {
  absl::Time at;
  v1::WatchUpdate::Kind kind;
  std::string status;
  double percentage = 0;  // AppConfig deployments only
};

// Shared by every stream: counters the driver waits on.
struct Progress {
  std::atomic<int> snapshots{0};  // streams that got their first update
  std::atomic<int> finished{0};   // streams whose OnDone ran
  std::atomic<int> step{0};       // the clock step under way
  // Streams that got a CHANGE since step k began, by k.
  std::atomic<int> changed[kMaxSteps + 1] = {};
};

// One watch stream, driven by gRPC's callback API. Owned by the driver,
// which destroys it only after OnDone; the recorded updates are read then.
class WatchStream : public grpc::ClientReadReactor<v1::WatchUpdate> {
 public:
  WatchStream(Progress* progress, bool deployment, int resource)
      : progress_(progress), deployment_(deployment), resource_(resource) {}

  void StartTask(v1::WatchService::Stub* stub, const std::string& cluster, const std::string& task,
                 const v1::WatchOptions& options) {
    task_request_.set_cluster(cluster);
    task_request_.set_task(task);
    *task_request_.mutable_options() = options;
    stub->async()->WatchEcsTask(&context_, &task_request_, this);
    Begin();
  }

  void StartDeployment(v1::WatchService::Stub* stub, const std::string& application,
                       const std::string& environment, int number,
                       const v1::WatchOptions& options) {
    deployment_request_.set_application_id(application);
    deployment_request_.set_environment_id(environment);
    deployment_request_.set_deployment_number(number);
    *deployment_request_.mutable_options() = options;
    stub->async()->WatchAppConfigDeployment(&context_, &deployment_request_, this);
    Begin();
  }

  void Cancel() { context_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows
    Received r{.at = absl::Now(), .kind = update_.kind(), .status = update_.status()};
    if (update_.has_appconfig_deployment()) {
      r.percentage = update_.appconfig_deployment().percentage_complete();
    }
    if (received_.empty()) progress_->snapshots.fetch_add(1, std::memory_order_relaxed);
    if (r.kind == v1::WatchUpdate::KIND_CHANGE) {
      const int step = progress_->step.load(std::memory_order_acquire);
      if (step > counted_step_ && step <= kMaxSteps) {
        counted_step_ = step;
        progress_->changed[step].fetch_add(1, std::memory_order_relaxed);
      }
    }
    received_.push_back(std::move(r));
    StartRead(&update_);
  }

  void OnDone(const grpc::Status& status) override {
    status_ = status;
    done_.store(true, std::memory_order_release);
    progress_->finished.fetch_add(1, std::memory_order_relaxed);
  }

  bool deployment() const { return deployment_; }
  int resource() const { return resource_; }
  // Valid once done() (after OnDone).
  bool done() const { return done_.load(std::memory_order_acquire); }
  const grpc::Status& status() const { return status_; }
  const std::vector<Received>& received() const { return received_; }

 private:
  void Begin() {
    StartRead(&update_);
    StartCall();
  }

  Progress* const progress_;
  const bool deployment_;
  const int resource_;
  grpc::ClientContext context_;
  v1::WatchEcsTaskRequest task_request_;
  v1::WatchAppConfigDeploymentRequest deployment_request_;
  v1::WatchUpdate update_;  // the read in flight
  // Touched by the reactor's callbacks (one at a time) until OnDone.
  std::vector<Received> received_;
  int counted_step_ = 0;
  grpc::Status status_;
  std::atomic<bool> done_{false};
};

// ---------------------------------------------------------------------------
// Fixtures, through the gateway's unary rpcs.

struct Task {
  std::string cluster;
  std::string arn;
};

struct Deployment {
  std::string application;
  std::string environment;
  int number = 0;
};

struct Fixtures {
  std::vector<int> tasks_per_cluster;
  std::vector<Task> tasks;
  std::vector<Deployment> deployments;
};

absl::Status Check(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

template <typename Fn>
absl::Status Call(absl::string_view what, Fn fn) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return Check(fn(&context), what);
}

absl::StatusOr<Fixtures> CreateFixtures(const std::shared_ptr<grpc::Channel>& channel, int clusters,
                                        int tasks, int deployments) {
  Fixtures out;
  auto ecs = aws::ecs::v1::EcsService::NewStub(channel);
  for (int c = 0; c < clusters; ++c) {
    const std::string cluster = absl::StrCat("watch-bench-", c);
    aws::ecs::v1::CreateClusterRequest create;
    create.set_cluster_name(cluster);
    aws::ecs::v1::CreateClusterResponse created;
    if (absl::Status s = Call(
            "CreateCluster",
            [&](grpc::ClientContext* ctx) { return ecs->CreateCluster(ctx, create, &created); });
        !s.ok()) {
      return s;
    }
    const int want = tasks / clusters + (c < tasks % clusters ? 1 : 0);
    out.tasks_per_cluster.push_back(want);
    for (int have = 0; have < want;) {
      aws::ecs::v1::RunTaskRequest run;
      run.set_cluster(cluster);
      run.set_task_definition("watch-bench:1");
      run.set_count(std::min(kRunTaskMaxCount, want - have));
      aws::ecs::v1::RunTaskResponse ran;
      if (absl::Status s = Call(
              "RunTask", [&](grpc::ClientContext* ctx) { return ecs->RunTask(ctx, run, &ran); });
          !s.ok()) {
        return s;
      }
      if (ran.tasks_size() != run.count()) {
        return absl::InternalError(
            absl::StrFormat("RunTask started %d tasks, not %d", ran.tasks_size(), run.count()));
      }
      for (const auto& task : ran.tasks()) out.tasks.push_back({cluster, task.task_arn()});
      have += ran.tasks_size();
    }
  }
  if (deployments == 0) return out;

  namespace appconfig = aws::appconfig::v1;
  auto stub = appconfig::AppConfigService::NewStub(channel);
  appconfig::CreateApplicationRequest app_request;
  app_request.set_name("watch-bench");
  appconfig::CreateApplicationResponse app;
  appconfig::CreateConfigurationProfileResponse profile;
  appconfig::CreateHostedConfigurationVersionResponse version;
  appconfig::CreateDeploymentStrategyResponse strategy;
  absl::Status s = Call("CreateApplication", [&](grpc::ClientContext* ctx) {
    return stub->CreateApplication(ctx, app_request, &app);
  });
  if (!s.ok()) return s;
  appconfig::CreateConfigurationProfileRequest profile_request;
  profile_request.set_application_id(app.id());
  profile_request.set_name("flags");
  profile_request.set_location_uri("hosted");
  s = Call("CreateConfigurationProfile", [&](grpc::ClientContext* ctx) {
    return stub->CreateConfigurationProfile(ctx, profile_request, &profile);
  });
  if (!s.ok()) return s;
  appconfig::CreateHostedConfigurationVersionRequest version_request;
  version_request.set_application_id(app.id());
  version_request.set_configuration_profile_id(profile.id());
  version_request.set_content("{}");
  version_request.set_content_type("application/json");
  s = Call("CreateHostedConfigurationVersion", [&](grpc::ClientContext* ctx) {
    return stub->CreateHostedConfigurationVersion(ctx, version_request, &version);
  });
  if (!s.ok()) return s;
  appconfig::CreateDeploymentStrategyRequest strategy_request;
  strategy_request.set_name("watch-bench");
  strategy_request.set_deployment_duration_in_minutes(kDeploymentMinutes);
  strategy_request.set_growth_factor(kGrowthFactor);
  strategy_request.set_growth_type(appconfig::GROWTH_TYPE_LINEAR);
  strategy_request.set_final_bake_time_in_minutes(1);
  strategy_request.set_replicate_to(appconfig::REPLICATE_TO_NONE);
  s = Call("CreateDeploymentStrategy", [&](grpc::ClientContext* ctx) {
    return stub->CreateDeploymentStrategy(ctx, strategy_request, &strategy);
  });
  if (!s.ok()) return s;
  for (int d = 0; d < deployments; ++d) {
    appconfig::CreateEnvironmentRequest env_request;
    env_request.set_application_id(app.id());
    env_request.set_name(absl::StrCat("env-", d));
    appconfig::CreateEnvironmentResponse env;
    s = Call("CreateEnvironment", [&](grpc::ClientContext* ctx) {
      return stub->CreateEnvironment(ctx, env_request, &env);
    });
    if (!s.ok()) return s;
    appconfig::StartDeploymentRequest start;
    start.set_application_id(app.id());
    start.set_environment_id(env.id());
    start.set_deployment_strategy_id(strategy.id());
    start.set_configuration_profile_id(profile.id());
    start.set_configuration_version("1");
    appconfig::StartDeploymentResponse started;
    s = Call("StartDeployment",
             [&](grpc::ClientContext* ctx) { return stub->StartDeployment(ctx, start, &started); });
    if (!s.ok()) return s;
    out.deployments.push_back({app.id(), env.id(), started.deployment_number()});
  }
  return out;
}

// ---------------------------------------------------------------------------
// Plain HTTP to the emulator's controls and the gateway's metrics.

class Http {
 public:
  static absl::StatusOr<Http> Create() {
    absl::StatusOr<std::unique_ptr<awsgw::http::client::HttpClient>> client =
        awsgw::http::client::HttpClient::Create(awsgw::http::client::HttpClientOptions{});
    if (!client.ok()) return client.status();
    return Http(*std::move(client));
  }

  // The response (any HTTP status); UNAVAILABLE and friends when none came.
  absl::StatusOr<awsgw::http::HttpResponse> Fetch(const std::string& base,
                                                  const std::string& method,
                                                  const std::string& path,
                                                  const std::string& body = "") {
    absl::StatusOr<awsgw::http::client::Endpoint> endpoint =
        awsgw::http::client::Endpoint::Parse(base);
    if (!endpoint.ok()) return endpoint.status();
    awsgw::http::HttpRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.headers = {{"Host", endpoint->HostHeader()}};
    awsgw::http::client::CallOptions options;
    options.deadline = absl::Now() + absl::Seconds(10);
    absl::Notification done;
    absl::StatusOr<awsgw::http::HttpResponse> result;
    client_->Send(*endpoint, std::move(request), options,
                  [&](absl::StatusOr<awsgw::http::HttpResponse> response) {
                    result = std::move(response);
                    done.Notify();
                  });
    done.WaitForNotification();
    return result;
  }

 private:
  explicit Http(std::unique_ptr<awsgw::http::client::HttpClient> client)
      : client_(std::move(client)) {}
  std::unique_ptr<awsgw::http::client::HttpClient> client_;
};

using CallCounts = std::map<std::string, int64_t>;  // "service.Operation" -> calls

// The emulator's request log: {"total": N, "operations": {"ecs.DescribeTasks": n}}.
// NOT_FOUND when this emulator has none.
absl::StatusOr<CallCounts> EmulatorRequests(Http& http, const std::string& url) {
  absl::StatusOr<awsgw::http::HttpResponse> response =
      http.Fetch(url, "GET", "/_emulator/requests");
  if (!response.ok()) return response.status();
  if (response->status == 404) return absl::NotFoundError("the emulator keeps no request log");
  if (response->status != 200) {
    return absl::InternalError(absl::StrCat("GET /_emulator/requests: HTTP ", response->status));
  }
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(response->body, ec);
  const boost::json::object* object = ec ? nullptr : doc.if_object();
  const boost::json::value* operations =
      object == nullptr ? nullptr : object->if_contains("operations");
  if (operations == nullptr || !operations->is_object()) {
    return absl::InternalError(absl::StrCat("unexpected request log: ", response->body));
  }
  CallCounts counts;
  for (const auto& [name, value] : operations->get_object()) {
    if (value.is_int64()) counts[std::string(name)] = value.get_int64();
    if (value.is_uint64()) counts[std::string(name)] = static_cast<int64_t>(value.get_uint64());
  }
  return counts;
}

absl::Status ResetEmulatorRequests(Http& http, const std::string& url) {
  absl::StatusOr<awsgw::http::HttpResponse> response =
      http.Fetch(url, "POST", "/_emulator/requests/reset");
  if (!response.ok()) return response.status();
  if (response->status == 404) return absl::NotFoundError("the emulator keeps no request log");
  if (response->status / 100 != 2) {
    return absl::InternalError(
        absl::StrCat("POST /_emulator/requests/reset: HTTP ", response->status));
  }
  return absl::OkStatus();
}

// awsgw_watch_polls_total{service="ecs",method="DescribeTasks"} from the
// gateway's metrics, as "ecs.DescribeTasks".
absl::StatusOr<CallCounts> GatewayPolls(Http& http, const std::string& address) {
  absl::StatusOr<awsgw::http::HttpResponse> response =
      http.Fetch(absl::StrCat("http://", address), "GET", "/metrics");
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return absl::InternalError(absl::StrCat("GET /metrics: HTTP ", response->status));
  }
  CallCounts counts;
  for (absl::string_view line : absl::StrSplit(response->body, '\n')) {
    if (!absl::ConsumePrefix(&line, "awsgw_watch_polls_total{")) continue;
    const size_t close = line.find('}');
    if (close == absl::string_view::npos) continue;
    std::map<std::string, std::string> labels;
    for (absl::string_view label : absl::StrSplit(line.substr(0, close), ',')) {
      std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(label, '=');
      labels[std::string(kv.first)] =
          std::string(absl::StripSuffix(absl::StripPrefix(kv.second, "\""), "\""));
    }
    double value = 0;
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(line.substr(close + 1)), &value)) continue;
    counts[absl::StrCat(labels["service"], ".", labels["method"])] = static_cast<int64_t>(value);
  }
  return counts;
}

CallCounts Minus(const CallCounts& after, const CallCounts& before) {
  CallCounts out;
  for (const auto& [name, n] : after) {
    auto it = before.find(name);
    const int64_t delta = n - (it == before.end() ? 0 : it->second);
    if (delta != 0) out[name] = delta;
  }
  return out;
}

int64_t Total(const CallCounts& counts) {
  int64_t total = 0;
  for (const auto& [name, n] : counts) total += n;
  return total;
}

// ---------------------------------------------------------------------------
// Machine load.

// Busy and total jiffies of all CPUs, from /proc/stat.
struct CpuTimes {
  int64_t busy = 0;
  int64_t total = 0;
};

CpuTimes ReadCpuTimes() {
  std::ifstream file("/proc/stat");
  std::string line;
  std::getline(file, line);
  std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
  CpuTimes times;
  // cpu user nice system idle iowait irq softirq steal ...
  for (size_t i = 1; i < fields.size() && i <= 8; ++i) {
    int64_t v = 0;
    if (!absl::SimpleAtoi(fields[i], &v)) continue;
    times.total += v;
    if (i != 4 && i != 5) times.busy += v;
  }
  return times;
}

double LoadAverage() {
  std::ifstream file("/proc/loadavg");
  double load = 0;
  file >> load;
  return load;
}

// CPU of a process over a window, in percent of one core.
double CpuPercent(const absl::StatusOr<ProcessUsage>& before,
                  const absl::StatusOr<ProcessUsage>& after, absl::Duration window) {
  if (!before.ok() || !after.ok() || window <= absl::ZeroDuration()) return 0;
  return 100.0 * static_cast<double>(after->cpu_ns - before->cpu_ns) /
         static_cast<double>(absl::ToInt64Nanoseconds(window));
}

void RaiseFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Waits until `done()` or the timeout; true when done.
template <typename Pred>
bool WaitFor(Pred done, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// Nearest rank.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

std::string Counts(const CallCounts& counts, double per) {
  std::vector<std::string> parts;
  for (const auto& [name, n] : counts) {
    parts.push_back(absl::StrFormat("%s %.1f", name, static_cast<double>(n) / per));
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

std::string CountsJson(const CallCounts& counts, double per) {
  std::vector<std::string> parts;
  for (const auto& [name, n] : counts) {
    parts.push_back(absl::StrFormat("\"%s\":%.2f", name, static_cast<double>(n) / per));
  }
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

int Run() {
  const int clusters = absl::GetFlag(FLAGS_clusters);
  const int tasks = absl::GetFlag(FLAGS_tasks);
  const int deployments = absl::GetFlag(FLAGS_deployments);
  const int streams = absl::GetFlag(FLAGS_streams);
  int deployment_streams = absl::GetFlag(FLAGS_deployment_streams);
  if (deployment_streams < 0) deployment_streams = std::max(deployments, streams / 10);
  if (deployments == 0) deployment_streams = 0;
  const int task_streams = streams - deployment_streams;
  const absl::Duration interval = absl::GetFlag(FLAGS_interval);
  const int intervals = absl::GetFlag(FLAGS_intervals);
  const int steps = absl::GetFlag(FLAGS_steps);
  const int channel_count = absl::GetFlag(FLAGS_channels);
  if (clusters < 1 || tasks < clusters || deployments < 0 || task_streams < tasks ||
      deployment_streams < deployments || interval < absl::Milliseconds(10) || intervals < 1 ||
      steps < 1 || steps > kMaxSteps || channel_count < 1) {
    std::fprintf(stderr,
                 "need --clusters >= 1, --tasks >= --clusters, every task and deployment "
                 "watched at least once (--streams, --deployment_streams), --interval >= 10ms, "
                 "--intervals >= 1, 1 <= --steps <= %d, --channels >= 1\n",
                 kMaxSteps);
    return 2;
  }
  RaiseFileLimit();

  // --- Children.
  EmulatorProcess::Options emulator_options;
  emulator_options.binary = absl::GetFlag(FLAGS_emulator);
  emulator_options.args = {"--stepped_clock"};
  absl::StatusOr<std::unique_ptr<EmulatorProcess>> emulator =
      EmulatorProcess::Start(emulator_options);
  if (!emulator.ok()) {
    std::fprintf(stderr, "%s\n", emulator.status().ToString().c_str());
    return 2;
  }
  GatewayProcess::Options gateway_options;
  gateway_options.binary = absl::GetFlag(FLAGS_gateway);
  gateway_options.args = {"--log_level",          "error",
                          "--metrics_listen",     "127.0.0.1:0",
                          "--watch_min_interval", absl::FormatDuration(interval)};
  gateway_options.env = (*emulator)->GatewayEnv();
  gateway_options.env.push_back({"AWS_EC2_METADATA_DISABLED", "true"});
  gateway_options.inherit_aws_environment = false;
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gateway = GatewayProcess::Start(gateway_options);
  if (!gateway.ok()) {
    std::fprintf(stderr, "%s\n", gateway.status().ToString().c_str());
    return 2;
  }
  absl::StatusOr<Http> http = Http::Create();
  if (!http.ok()) {
    std::fprintf(stderr, "%s\n", http.status().ToString().c_str());
    return 2;
  }

  // --- Fixtures, and the gateway's memory with no stream.
  std::shared_ptr<grpc::Channel> unary_channel =
      grpc::CreateChannel((*gateway)->address(), grpc::InsecureChannelCredentials());
  const absl::Time fixtures_start = absl::Now();
  absl::StatusOr<Fixtures> fixtures = CreateFixtures(unary_channel, clusters, tasks, deployments);
  if (!fixtures.ok()) {
    std::fprintf(stderr, "cannot create the fixtures: %s\n%s\n",
                 fixtures.status().ToString().c_str(), (*gateway)->LogTail().c_str());
    return 2;
  }
  const absl::Duration fixtures_time = absl::Now() - fixtures_start;
  absl::SleepFor(absl::Milliseconds(500));
  absl::StatusOr<MemoryUsage> memory_none = (*gateway)->Memory();

  // --- Streams: first one per resource, then the rest.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<v1::WatchService::Stub>> stubs;
  for (int i = 0; i < channel_count; ++i) {
    grpc::ChannelArguments args;
    // A connection of its own: channels with equal arguments would share one.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(
        grpc::CreateCustomChannel((*gateway)->address(), grpc::InsecureChannelCredentials(), args));
    stubs.push_back(v1::WatchService::NewStub(channels.back()));
  }
  v1::WatchOptions watch_options;
  const int64_t interval_ns = absl::ToInt64Nanoseconds(interval);
  watch_options.mutable_min_interval()->set_seconds(interval_ns / 1000000000);
  watch_options.mutable_min_interval()->set_nanos(static_cast<int32_t>(interval_ns % 1000000000));
  *watch_options.mutable_max_interval() = watch_options.min_interval();

  Progress progress;
  std::vector<std::unique_ptr<WatchStream>> all;
  all.reserve(streams);
  // Stream i watches task i % tasks, or deployment (i - task_streams) % deployments:
  // the first `tasks` and the first `deployments` of each kind cover every resource once.
  auto open = [&](int i) {
    const bool deployment = i >= task_streams;
    const int resource = deployment ? (i - task_streams) % deployments : i % tasks;
    auto stream = std::make_unique<WatchStream>(&progress, deployment, resource);
    v1::WatchService::Stub* stub = stubs[i % channel_count].get();
    if (deployment) {
      const Deployment& d = fixtures->deployments[resource];
      stream->StartDeployment(stub, d.application, d.environment, d.number, watch_options);
    } else {
      const Task& t = fixtures->tasks[resource];
      stream->StartTask(stub, t.cluster, t.arn, watch_options);
    }
    all.push_back(std::move(stream));
  };
  const absl::Duration open_timeout = absl::GetFlag(FLAGS_open_timeout);
  // Stops early when a stream ends: the run is then a failure.
  auto wait_for_snapshots = [&](int n) {
    WaitFor([&] { return progress.snapshots.load() >= n || progress.finished.load() > 0; },
            open_timeout);
    return progress.snapshots.load() >= n && progress.finished.load() == 0;
  };
  const int resources = tasks + deployments;
  const absl::Time open_start = absl::Now();
  for (int i = 0; i < tasks; ++i) open(i);
  for (int i = task_streams; i < task_streams + deployments; ++i) open(i);
  bool opened = wait_for_snapshots(resources);
  const absl::Duration first_open_time = absl::Now() - open_start;
  absl::SleepFor(interval);
  absl::StatusOr<MemoryUsage> memory_per_resource = (*gateway)->Memory();
  const absl::Time rest_start = absl::Now();
  for (int i = tasks; i < task_streams; ++i) open(i);
  for (int i = task_streams + deployments; i < streams; ++i) open(i);
  opened = opened && wait_for_snapshots(streams);
  const absl::Duration rest_open_time = absl::Now() - rest_start;
  const int early_finished = progress.finished.load();
  if (!opened || early_finished > 0) {
    std::fprintf(stderr, "%d of %d streams got their snapshot, %d ended early\n",
                 progress.snapshots.load(), streams, early_finished);
  }

  // --- Idle: AWS calls per interval, machine load, then memory.
  absl::SleepFor(interval);  // pollers back on their cadence after the joins
  const absl::Status reset = ResetEmulatorRequests(*http, (*emulator)->url());
  absl::StatusOr<CallCounts> polls_before = GatewayPolls(*http, (*gateway)->metrics_address());
  const absl::StatusOr<ProcessUsage> gw_before = (*gateway)->Usage();
  const absl::StatusOr<ProcessUsage> emu_before =
      awsgw::bench::ReadProcessUsage((*emulator)->pid());
  const absl::StatusOr<ProcessUsage> self_before = awsgw::bench::ReadProcessUsage(getpid());
  const CpuTimes machine_before = ReadCpuTimes();
  const absl::Time window_start = absl::Now();
  absl::SleepFor(interval * intervals);
  absl::StatusOr<CallCounts> emulator_calls =
      reset.ok() ? EmulatorRequests(*http, (*emulator)->url()) : absl::StatusOr<CallCounts>(reset);
  absl::StatusOr<CallCounts> polls_after = GatewayPolls(*http, (*gateway)->metrics_address());
  const absl::Duration window = absl::Now() - window_start;
  const absl::StatusOr<ProcessUsage> gw_after = (*gateway)->Usage();
  const absl::StatusOr<ProcessUsage> emu_after = awsgw::bench::ReadProcessUsage((*emulator)->pid());
  const absl::StatusOr<ProcessUsage> self_after = awsgw::bench::ReadProcessUsage(getpid());
  const CpuTimes machine_after = ReadCpuTimes();
  const double load_average = LoadAverage();
  absl::StatusOr<MemoryUsage> memory_all = (*gateway)->Memory();
  const double window_intervals = absl::FDivDuration(window, interval);

  // --- Steps: state changes at known times.
  std::mt19937 random(absl::GetFlag(FLAGS_seed));
  std::uniform_real_distribution<double> phase(0.0, 1.0);
  std::vector<absl::Time> step_times(steps + 1);
  int steps_done = 0;
  for (int k = 1; k <= steps; ++k) {
    absl::SleepFor(interval * phase(random));  // a random point of the pollers' cycles
    progress.step.store(k, std::memory_order_release);
    step_times[k] = absl::Now();
    absl::StatusOr<awsgw::http::HttpResponse> advanced =
        http->Fetch((*emulator)->url(), "POST", "/_emulator/clock/advance", k == 1 ? "1.5" : "1");
    if (!advanced.ok() || advanced->status != 200) {
      std::fprintf(stderr, "cannot advance the emulator's clock: %s\n",
                   advanced.ok() ? absl::StrCat("HTTP ", advanced->status).c_str()
                                 : advanced.status().ToString().c_str());
      break;
    }
    steps_done = k;
    if (!WaitFor([&] { return progress.changed[k].load() >= streams - progress.finished.load(); },
                 interval * 3 + absl::Seconds(5))) {
      std::fprintf(stderr, "step %d: %d of %d streams got a change\n", k,
                   progress.changed[k].load(), streams);
    }
  }

  // --- End every stream.
  for (auto& stream : all) stream->Cancel();
  WaitFor([&] { return progress.finished.load() >= static_cast<int>(all.size()); },
          absl::Seconds(60));
  if (progress.finished.load() < static_cast<int>(all.size())) {
    std::fprintf(stderr, "%d streams did not end; exiting without cleaning up\n",
                 static_cast<int>(all.size()) - progress.finished.load());
    std::fflush(stdout);
    _exit(1);
  }

  // --- Delays.
  std::vector<double> delays_ms;
  int missed = 0;
  int unexpected = 0;
  std::map<std::string, int> failures;  // streams that ended other than cancelled, by code
  // Streams that share a poll round (one per cluster, one per deployment):
  // per step, the first and last arrival of their change. last - first is
  // the gateway's fan-out of one poll's news to its streams.
  std::map<std::string, int> cluster_index;
  for (const Task& t : fixtures->tasks) cluster_index.emplace(t.cluster, cluster_index.size());
  std::map<std::pair<int, int>, std::pair<absl::Time, absl::Time>> rounds;
  for (const auto& stream : all) {
    if (stream->status().error_code() != grpc::StatusCode::CANCELLED) {
      ++failures[absl::StrCat(stream->status().error_code(), " ",
                              stream->status().error_message())];
    }
    const std::vector<Received>& got = stream->received();
    double last_percentage = 0;
    for (int k = 1; k <= steps_done; ++k) {
      const absl::Time from = step_times[k];
      const absl::Time until = k < steps_done ? step_times[k + 1] : absl::InfiniteFuture();
      const Received* change = nullptr;
      for (const Received& r : got) {
        if (r.at < from) {
          if (r.kind == v1::WatchUpdate::KIND_SNAPSHOT || r.kind == v1::WatchUpdate::KIND_CHANGE)
            last_percentage = r.percentage;
          continue;
        }
        if (r.at >= until) break;
        if (r.kind == v1::WatchUpdate::KIND_CHANGE) {
          change = &r;
          break;
        }
      }
      if (change == nullptr) {
        ++missed;
        continue;
      }
      const bool as_expected = stream->deployment() ? change->percentage > last_percentage
                                                    : change->status == kTaskStateAfterStep[k];
      if (!as_expected) ++unexpected;
      delays_ms.push_back(absl::ToDoubleMilliseconds(change->at - from));
      const int group = stream->deployment()
                            ? static_cast<int>(cluster_index.size()) + stream->resource()
                            : cluster_index[fixtures->tasks[stream->resource()].cluster];
      auto [it, fresh] = rounds.try_emplace({k, group}, change->at, change->at);
      it->second.first = std::min(it->second.first, change->at);
      it->second.second = std::max(it->second.second, change->at);
    }
  }
  std::sort(delays_ms.begin(), delays_ms.end());
  double fanout_max_ms = 0;
  for (const auto& [key, span] : rounds) {
    fanout_max_ms = std::max(fanout_max_ms, absl::ToDoubleMilliseconds(span.second - span.first));
  }

  // --- Report.
  int64_t calls_target = deployments;
  for (int n : fixtures->tasks_per_cluster)
    calls_target += (n + kDescribeTasksBatch - 1) / kDescribeTasksBatch;
  const bool have_emulator_calls = emulator_calls.ok();
  const CallCounts gateway_polls =
      polls_before.ok() && polls_after.ok() ? Minus(*polls_after, *polls_before) : CallCounts{};
  const double emulator_per_interval =
      have_emulator_calls ? static_cast<double>(Total(*emulator_calls)) / window_intervals : -1;
  const double gateway_per_interval = static_cast<double>(Total(gateway_polls)) / window_intervals;
  const double calls_per_interval =
      have_emulator_calls ? emulator_per_interval : gateway_per_interval;
  const bool calls_met = calls_per_interval <= static_cast<double>(calls_target);

  const bool have_memory = memory_none.ok() && memory_per_resource.ok() && memory_all.ok();
  auto per_stream = [&](int64_t after, int64_t before, int n) {
    return n > 0 ? static_cast<double>(after - before) / n : 0.0;
  };
  const double rss_per_watcher =
      have_memory ? per_stream(memory_all->rss_bytes, memory_none->rss_bytes, streams) : 0;
  const double anon_per_watcher =
      have_memory ? per_stream(memory_all->anonymous_bytes, memory_none->anonymous_bytes, streams)
                  : 0;
  const double rss_per_resource_stream =
      have_memory ? per_stream(memory_per_resource->rss_bytes, memory_none->rss_bytes, resources)
                  : 0;
  const double rss_per_extra_stream =
      have_memory
          ? per_stream(memory_all->rss_bytes, memory_per_resource->rss_bytes, streams - resources)
          : 0;
  const bool memory_met = have_memory && rss_per_watcher <= kMemoryTargetBytes;

  const double p50 = Percentile(delays_ms, 0.50);
  const double p99 = Percentile(delays_ms, 0.99);
  const double max_delay = delays_ms.empty() ? 0 : delays_ms.back();
  const double delay_target_ms = absl::ToDoubleMilliseconds(interval + kDelaySlack);
  const bool delay_met = !delays_ms.empty() && p99 <= delay_target_ms;

  const double gateway_cpu = CpuPercent(gw_before, gw_after, window);
  const double emulator_cpu = CpuPercent(emu_before, emu_after, window);
  const double driver_cpu = CpuPercent(self_before, self_after, window);
  const double machine_busy =
      machine_after.total > machine_before.total
          ? 100.0 * static_cast<double>(machine_after.busy - machine_before.busy) /
                static_cast<double>(machine_after.total - machine_before.total)
          : 0;

  std::printf(
      "watch_load: %d streams (%d on %d ECS tasks in %d clusters, %d on %d AppConfig "
      "deployments) over %d connections, polling every %s\n",
      streams, task_streams, tasks, clusters, deployment_streams, deployments, channel_count,
      absl::FormatDuration(interval).c_str());
  std::printf(
      "fixtures created in %.1f s; snapshots: one stream per resource %.1f s, the other %d "
      "streams %.1f s\n\n",
      absl::ToDoubleSeconds(fixtures_time), absl::ToDoubleSeconds(first_open_time),
      streams - resources, absl::ToDoubleSeconds(rest_open_time));
  std::printf("AWS calls per polling interval (%.1f intervals, all streams idle):\n",
              window_intervals);
  if (have_emulator_calls) {
    std::printf("  emulator request log:  %8.1f   %s\n", emulator_per_interval,
                Counts(*emulator_calls, window_intervals).c_str());
  } else {
    std::printf("  emulator request log:  unavailable (%s)\n",
                emulator_calls.status().ToString().c_str());
  }
  std::printf("  gateway polls counter: %8.1f   %s\n", gateway_per_interval,
              Counts(gateway_polls, window_intervals).c_str());
  std::printf("  target <= %lld (per cluster ceil(tasks/%d), plus one per deployment): %s\n",
              static_cast<long long>(calls_target), kDescribeTasksBatch,
              calls_met ? "met" : "MISSED");
  if (have_memory) {
    std::printf("gateway memory (smaps_rollup Rss / Anonymous):\n");
    std::printf("  fixtures, no stream:        %8.1f / %6.1f MiB\n", Mib(memory_none->rss_bytes),
                Mib(memory_none->anonymous_bytes));
    std::printf("  one stream per resource:    %8.1f / %6.1f MiB   %6.0f B per stream (%d)\n",
                Mib(memory_per_resource->rss_bytes), Mib(memory_per_resource->anonymous_bytes),
                rss_per_resource_stream, resources);
    std::printf("  all %5d streams idle:     %8.1f / %6.1f MiB   %6.0f B per further stream\n",
                streams, Mib(memory_all->rss_bytes), Mib(memory_all->anonymous_bytes),
                rss_per_extra_stream);
    std::printf(
        "  per idle watcher:           %8.0f B Rss (%.0f B anonymous)   target <= %lld B: %s\n",
        rss_per_watcher, anon_per_watcher, static_cast<long long>(kMemoryTargetBytes),
        memory_met ? "met" : "MISSED");
  } else {
    std::printf("gateway memory: unreadable\n");
  }
  std::printf(
      "change-to-client delay (%d steps, %zu samples, %d missed, %d unexpected):\n"
      "  p50 %.1f ms, p99 %.1f ms, max %.1f ms   target p99 <= %.0f ms (interval + %.0f ms): %s\n"
      "  fan-out: at most %.1f ms from the first to the last stream of one poll round\n",
      steps_done, delays_ms.size(), missed, unexpected, p50, p99, max_delay, delay_target_ms,
      absl::ToDoubleMilliseconds(kDelaySlack), delay_met ? "met" : "MISSED", fanout_max_ms);
  std::printf(
      "CPU over the idle window (%% of one core): gateway %.1f, emulator %.1f, this process "
      "%.1f; machine busy %.1f%% of %ld cores, load average %.2f\n",
      gateway_cpu, emulator_cpu, driver_cpu, machine_busy, sysconf(_SC_NPROCESSORS_ONLN),
      load_average);
  for (const auto& [what, n] : failures)
    std::printf("streams ended with %s: %d\n", what.c_str(), n);

  std::printf(
      "{\"bench\":\"watch_load\",\"clusters\":%d,\"tasks\":%d,\"deployments\":%d,"
      "\"streams\":%d,\"task_streams\":%d,\"deployment_streams\":%d,\"channels\":%d,"
      "\"interval_ms\":%.0f,\"intervals\":%.2f,\"steps\":%d,"
      "\"calls_per_interval\":%.2f,\"emulator_calls_per_interval\":%.2f,"
      "\"gateway_polls_per_interval\":%.2f,\"calls_by_operation\":%s,"
      "\"calls_target\":%lld,\"calls_target_met\":%s,"
      "\"rss_none_mib\":%.1f,\"anon_none_mib\":%.1f,\"rss_per_resource_mib\":%.1f,"
      "\"rss_all_mib\":%.1f,\"anon_all_mib\":%.1f,"
      "\"bytes_per_watcher\":%.0f,\"anon_bytes_per_watcher\":%.0f,"
      "\"bytes_per_resource_stream\":%.0f,\"bytes_per_extra_stream\":%.0f,"
      "\"memory_target_met\":%s,"
      "\"delay_samples\":%zu,\"delay_missed\":%d,\"delay_unexpected\":%d,"
      "\"delay_p50_ms\":%.1f,\"delay_p99_ms\":%.1f,\"delay_max_ms\":%.1f,"
      "\"delay_target_ms\":%.0f,\"delay_target_met\":%s,\"fanout_max_ms\":%.1f,"
      "\"gateway_cpu_percent\":%.1f,\"emulator_cpu_percent\":%.1f,\"driver_cpu_percent\":%.1f,"
      "\"machine_busy_percent\":%.1f,\"load_average\":%.2f,"
      "\"open_seconds\":%.2f,\"failed_streams\":%d}\n",
      clusters, tasks, deployments, streams, task_streams, deployment_streams, channel_count,
      absl::ToDoubleMilliseconds(interval), window_intervals, steps_done, calls_per_interval,
      emulator_per_interval, gateway_per_interval,
      CountsJson(have_emulator_calls ? *emulator_calls : gateway_polls, window_intervals).c_str(),
      static_cast<long long>(calls_target), calls_met ? "true" : "false",
      have_memory ? Mib(memory_none->rss_bytes) : 0,
      have_memory ? Mib(memory_none->anonymous_bytes) : 0,
      have_memory ? Mib(memory_per_resource->rss_bytes) : 0,
      have_memory ? Mib(memory_all->rss_bytes) : 0,
      have_memory ? Mib(memory_all->anonymous_bytes) : 0, rss_per_watcher, anon_per_watcher,
      rss_per_resource_stream, rss_per_extra_stream, memory_met ? "true" : "false",
      delays_ms.size(), missed, unexpected, p50, p99, max_delay, delay_target_ms,
      delay_met ? "true" : "false", fanout_max_ms, gateway_cpu, emulator_cpu, driver_cpu,
      machine_busy, load_average, absl::ToDoubleSeconds(first_open_time + rest_open_time), [&] {
        int n = 0;
        for (const auto& [what, count] : failures) n += count;
        return n;
      }());
  std::fflush(stdout);

  int exit_code = 0;
  if (!opened || early_finished > 0 || !failures.empty()) {
    std::fprintf(stderr, "streams failed\n");
    exit_code = 1;
  }
  if (delays_ms.empty() || missed > 0 || !have_memory || Total(gateway_polls) == 0) {
    std::fprintf(stderr,
                 "a measurement has no data (delays %zu, missed %d, memory %s, polls %lld)\n",
                 delays_ms.size(), missed, have_memory ? "read" : "unreadable",
                 static_cast<long long>(Total(gateway_polls)));
    exit_code = 1;
  }
  if (exit_code != 0) std::fprintf(stderr, "gateway log:\n%s\n", (*gateway)->LogTail().c_str());
  all.clear();
  stubs.clear();
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Watch-stream load benchmark: thousands of watch streams through the gateway, in front "
      "of aws-emulator; AWS calls per polling interval, memory per idle watcher, "
      "change-to-client delay");
  absl::ParseCommandLine(argc, argv);
  return Run();
}
