#include "gateway/observability/metrics_registry.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::observability {
namespace {

using ::testing::HasSubstr;

TEST(MetricsRegistryTest, RendersCountersWithEscapedLabels) {
  Registry registry;
  auto& calls = registry.AddCounter("awsgw_calls_total", "Calls.", {"method", "code"});
  calls.With({"List\"Clusters\\\n", "OK"}).Increment();
  calls.With({"List\"Clusters\\\n", "OK"}).Increment(2);
  EXPECT_EQ(registry.Render(),
            "# HELP awsgw_calls_total Calls.\n"
            "# TYPE awsgw_calls_total counter\n"
            "awsgw_calls_total{method=\"List\\\"Clusters\\\\\\n\",code=\"OK\"} 3\n");
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulative) {
  Registry registry;
  auto& latency = registry.AddHistogram("lat_seconds", "Latency.", {}, {0.1, 1});
  Histogram& h = latency.With({});
  h.Observe(0.05);
  h.Observe(0.1);  // on the bound: counted in le="0.1"
  h.Observe(0.5);
  h.Observe(7);
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{le=\"0.1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{le=\"1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_sum 7.65\n"));
  EXPECT_THAT(text, HasSubstr("lat_seconds_count 4\n"));
}

TEST(MetricsRegistryTest, CallbacksAreReadAtRenderTime) {
  Registry registry;
  double value = 1;
  registry.AddCallback("pool_idle", "Idle.", "gauge", [&value] { return value; });
  value = 5;
  EXPECT_EQ(registry.Render(), "# HELP pool_idle Idle.\n# TYPE pool_idle gauge\npool_idle 5\n");
}

TEST(MetricsRegistryTest, ConcurrentIncrementsAreNotLost) {
  Registry registry;
  auto& family = registry.AddCounter("c_total", "C.", {"k"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&family] {
      for (int i = 0; i < 10000; ++i) family.With({"x"}).Increment();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(family.With({"x"}).value(), 80000);
}

}  // namespace
}  // namespace awsgw::gateway::observability
