// A small Prometheus metrics registry: counters and histograms with labels,
// plus gauges and counters read from callbacks, rendered in the Prometheus
// text exposition format (version 0.0.4).
//
// Why not a library: Debian 12 packages no Prometheus C++ client, and what
// the gateway needs is this much. Recording is lock-free after the first use
// of a label set (atomics); finding a series takes a mutex and a hash lookup.
//
// Example:
//   Registry registry;
//   auto& calls = registry.AddCounter("awsgw_calls_total", "Calls.", {"method", "code"});
//   calls.With({"ListClusters", "OK"}).Increment();
//   std::string text = registry.Render();
#ifndef AWSGW_GATEWAY_OBSERVABILITY_METRICS_REGISTRY_H_
#define AWSGW_GATEWAY_OBSERVABILITY_METRICS_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace awsgw::gateway::observability {

// Label values, in the order of the family's label names.
using Labels = std::vector<std::string>;

class Counter {
 public:
  void Increment(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: ascending upper bounds; +Inf is implied.
  explicit Histogram(const std::vector<double>& bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bound, then +Inf
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~FamilyBase() = default;
  virtual void Render(std::string& out) const = 0;

 protected:
  // `{a="x",b="y"}` (with `extra` appended as one more pair), or "".
  std::string LabelText(const Labels& values, const std::string& extra = "") const;

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
};

template <typename Metric>
class Family : public FamilyBase {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;
  Family(std::string name, std::string help, std::vector<std::string> label_names, Factory factory)
      : FamilyBase(std::move(name), std::move(help), std::move(label_names)),
        factory_(std::move(factory)) {}

  // The series of `values` (created on first use; the reference stays valid
  // for the registry's lifetime). `values` must match the label names.
  Metric& With(const Labels& values) {
    absl::MutexLock lock(&mu_);
    std::unique_ptr<Metric>& metric = series_[values];
    if (metric == nullptr) metric = factory_();
    return *metric;
  }

  void Render(std::string& out) const override;

 private:
  Factory factory_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<Labels, std::unique_ptr<Metric>> series_ ABSL_GUARDED_BY(mu_);
};

template <>
void Family<Counter>::Render(std::string& out) const;
template <>
void Family<Histogram>::Render(std::string& out) const;

class Registry {
 public:
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names);
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> label_names, std::vector<double> bounds);
  // A value owned elsewhere (pool sizes, credential fetches), read at render
  // time. `type` is "gauge" or "counter".
  void AddCallback(std::string name, std::string help, std::string type,
                   std::function<double()> read);
  // A gauge that is always 1 and says what it says in its labels
  // (awsgw_build_info{version="0.1.0",revision="..."} 1).
  void AddInfo(std::string name, std::string help,
               std::vector<std::pair<std::string, std::string>> labels);

  std::string Render() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<FamilyBase>> families_ ABSL_GUARDED_BY(mu_);
};

// Prometheus label value escaping: backslash, double quote, newline.
std::string EscapeLabelValue(const std::string& value);

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_METRICS_REGISTRY_H_
