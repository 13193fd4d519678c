#include "emulator/fault_control.h"

#include "absl/strings/str_cat.h"
#include "boost/json/parse.hpp"
#include "boost/json/value.hpp"

namespace awsgw::emulator {

namespace json = boost::json;

absl::StatusOr<ServiceFaultRates> ApplyFaultRates(absl::string_view body,
                                                  const ServiceFaultRates& current) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(json::string_view(body.data(), body.size()), ec);
  if (ec || !parsed.is_object()) {
    return absl::InvalidArgumentError(
        R"(the body must be a JSON object such as {"error_rate":0,"throttle_rate":0.5})");
  }
  ServiceFaultRates out = current;
  for (const auto& [key, value] : parsed.as_object()) {
    double* rate = key == "error_rate"      ? &out.error_rate
                   : key == "throttle_rate" ? &out.throttle_rate
                                            : nullptr;
    if (rate == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown member '",
                                                     absl::string_view(key.data(), key.size()),
                                                     "': only error_rate and throttle_rate"));
    }
    if (!value.is_number() || value.to_number<double>() < 0 || value.to_number<double>() > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(absl::string_view(key.data(), key.size()), " must be a number from 0 to 1"));
    }
    *rate = value.to_number<double>();
  }
  return out;
}

std::string FaultRatesJson(const ServiceFaultRates& rates) {
  return absl::StrCat(R"({"error_rate":)", rates.error_rate, R"(,"throttle_rate":)",
                      rates.throttle_rate, "}");
}

}  // namespace awsgw::emulator
