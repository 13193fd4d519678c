// Helpers for the emulator's unit tests: an emulator with a fixed clock and
// random source, and SigV4-signed requests for it.
#ifndef AWSGW_TESTS_EMULATOR_EMULATOR_TEST_SUPPORT_H_
#define AWSGW_TESTS_EMULATOR_EMULATOR_TEST_SUPPORT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "auth/credentials.h"
#include "emulator/emulator.h"
#include "http/http_message.h"

namespace awsgw::emulator::testing {

inline constexpr char kRegion[] = "us-west-2";
inline constexpr char kAccount[] = "111122223333";

// The emulator's clock in tests.
absl::Time TestNow();

// An emulator for kRegion/kAccount whose clock is TestNow() and whose random
// source is a fixed-seed generator.
std::unique_ptr<Emulator> MakeEmulator();

// The same, with `adjust` applied to the options first (faults, time scale).
std::unique_ptr<Emulator> MakeEmulator(const std::function<void(EmulatorOptions&)>& adjust);

// An awsJson request for `target` ("AmazonEC2ContainerServiceV20141113.ListClusters").
http::HttpRequest JsonRequest(absl::string_view target, absl::string_view content_type,
                              std::string body);

// `request` signed for `signing_name` with `credentials` at `when`.
http::HttpRequest Signed(http::HttpRequest request, absl::string_view signing_name,
                         const auth::Credentials& credentials, absl::Time when = TestNow(),
                         absl::string_view region = kRegion);

}  // namespace awsgw::emulator::testing

#endif  // AWSGW_TESTS_EMULATOR_EMULATOR_TEST_SUPPORT_H_
