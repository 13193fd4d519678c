#include "gateway/observability/metrics_registry.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"

namespace awsgw::gateway::observability {
namespace {

// The shortest text that reads back as `value` ("0.1", "3", "1e+20").
std::string FormatValue(double value) {
  char buffer[64];
  std::to_chars_result end = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end.ptr);
}

void Header(std::string& out, const std::string& name, const std::string& help,
            absl::string_view type) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
}

// A callback-backed metric.
class CallbackFamily : public FamilyBase {
 public:
  CallbackFamily(std::string name, std::string help, std::string type, std::function<double()> read)
      : FamilyBase(std::move(name), std::move(help), {}),
        type_(std::move(type)),
        read_(std::move(read)) {}
  void Render(std::string& out) const override {
    Header(out, name_, help_, type_);
    absl::StrAppend(&out, name_, " ", FormatValue(read_()), "\n");
  }

 private:
  const std::string type_;
  const std::function<double()> read_;
};

class InfoFamily : public FamilyBase {
 public:
  InfoFamily(std::string name, std::string help,
             std::vector<std::pair<std::string, std::string>> labels)
      : FamilyBase(std::move(name), std::move(help), {}), labels_(std::move(labels)) {}
  void Render(std::string& out) const override {
    Header(out, name_, help_, "gauge");
    absl::StrAppend(&out, name_, "{");
    for (size_t i = 0; i < labels_.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "" : ",", labels_[i].first, "=\"",
                      EscapeLabelValue(labels_[i].second), "\"");
    }
    absl::StrAppend(&out, "} 1\n");
  }

 private:
  const std::vector<std::pair<std::string, std::string>> labels_;
};

}  // namespace

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::Observe(double value) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  snapshot.count = running;
  return snapshot;
}

std::string FamilyBase::LabelText(const Labels& values, const std::string& extra) const {
  std::string text;
  for (size_t i = 0; i < label_names_.size() && i < values.size(); ++i) {
    absl::StrAppend(&text, text.empty() ? "" : ",", label_names_[i], "=\"",
                    EscapeLabelValue(values[i]), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&text, text.empty() ? "" : ",", extra);
  return text.empty() ? "" : absl::StrCat("{", text, "}");
}

template <>
void Family<Counter>::Render(std::string& out) const {
  Header(out, name_, help_, "counter");
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, counter] : series_) {
    absl::StrAppend(&out, name_, LabelText(labels), " ", FormatValue(counter->value()), "\n");
  }
}

template <>
void Family<Histogram>::Render(std::string& out) const {
  Header(out, name_, help_, "histogram");
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, histogram] : series_) {
    Histogram::Snapshot snapshot = histogram->Read();
    const std::vector<double>& bounds = histogram->bounds();
    for (size_t i = 0; i <= bounds.size(); ++i) {
      std::string le = i < bounds.size() ? FormatValue(bounds[i]) : "+Inf";
      absl::StrAppend(&out, name_, "_bucket", LabelText(labels, absl::StrCat("le=\"", le, "\"")),
                      " ", snapshot.cumulative[i], "\n");
    }
    absl::StrAppend(&out, name_, "_sum", LabelText(labels), " ", FormatValue(snapshot.sum), "\n");
    absl::StrAppend(&out, name_, "_count", LabelText(labels), " ", snapshot.count, "\n");
  }
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> label_names) {
  auto family =
      std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(label_names),
                                        [] { return std::make_unique<Counter>(); });
  Family<Counter>& ref = *family;
  absl::MutexLock lock(&mu_);
  families_.push_back(std::move(family));
  return ref;
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds) {
  auto family = std::make_unique<Family<Histogram>>(
      std::move(name), std::move(help), std::move(label_names),
      [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); });
  Family<Histogram>& ref = *family;
  absl::MutexLock lock(&mu_);
  families_.push_back(std::move(family));
  return ref;
}

void Registry::AddCallback(std::string name, std::string help, std::string type,
                           std::function<double()> read) {
  absl::MutexLock lock(&mu_);
  families_.push_back(std::make_unique<CallbackFamily>(std::move(name), std::move(help),
                                                       std::move(type), std::move(read)));
}

void Registry::AddInfo(std::string name, std::string help,
                       std::vector<std::pair<std::string, std::string>> labels) {
  absl::MutexLock lock(&mu_);
  families_.push_back(
      std::make_unique<InfoFamily>(std::move(name), std::move(help), std::move(labels)));
}

std::string Registry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& family : families_) family->Render(out);
  return out;
}

}  // namespace awsgw::gateway::observability
