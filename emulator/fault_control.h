// The /_emulator/faults test control: the service-level injected faults
// (error and throttle rates, fault_injection.h) read and changed while the
// emulator runs, so a test can inject throttling in the middle of a watch
// and take it away again.
//
//   GET  /_emulator/faults   -> {"error_rate":0,"throttle_rate":0}
//   POST /_emulator/faults   {"throttle_rate":1}  (members left out keep their value)
//
// Transport faults (resets, truncation, latency) stay as started.
#ifndef AWSGW_EMULATOR_FAULT_CONTROL_H_
#define AWSGW_EMULATOR_FAULT_CONTROL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace awsgw::emulator {

// The rates the Emulator rolls its dice against, per request.
struct ServiceFaultRates {
  double error_rate = 0;
  double throttle_rate = 0;
};

// `current` with the members of the JSON object `body` applied.
// INVALID_ARGUMENT (saying what is wrong) when `body` is not a JSON object,
// names a member other than error_rate and throttle_rate, or gives a rate
// that is not a number from 0 to 1.
absl::StatusOr<ServiceFaultRates> ApplyFaultRates(absl::string_view body,
                                                  const ServiceFaultRates& current);

// `rates` as the JSON object the control answers.
std::string FaultRatesJson(const ServiceFaultRates& rates);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_FAULT_CONTROL_H_
