#include "emulator/request_log.h"

#include "absl/strings/str_cat.h"

namespace awsgw::emulator {

void RequestLog::Record(absl::string_view signing_name, absl::string_view operation) {
  const std::string key = absl::StrCat(signing_name, ".", operation);
  absl::MutexLock lock(&mu_);
  ++total_;
  auto it = counts_.find(key);
  if (it == counts_.end()) {
    counts_.emplace(key, 1);
  } else {
    ++it->second;
  }
}

void RequestLog::Reset() {
  absl::MutexLock lock(&mu_);
  total_ = 0;
  counts_.clear();
}

std::string RequestLog::ToJson() const {
  absl::MutexLock lock(&mu_);
  // Keys are a signing name and a model operation name: no characters that
  // need JSON escaping.
  std::string out = absl::StrCat(R"({"total":)", total_, R"(,"operations":{)");
  const char* separator = "";
  for (const auto& [key, count] : counts_) {
    absl::StrAppend(&out, separator, "\"", key, "\":", count);
    separator = ",";
  }
  out += "}}";
  return out;
}

}  // namespace awsgw::emulator
