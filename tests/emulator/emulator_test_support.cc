#include "tests/emulator/emulator_test_support.h"

#include <random>

#include "absl/synchronization/mutex.h"
#include "auth/sigv4_signer.h"

namespace awsgw::emulator::testing {

absl::Time TestNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 1, 2, 3, 4, 5), absl::UTCTimeZone());
}

std::unique_ptr<Emulator> MakeEmulator() {
  return MakeEmulator([](EmulatorOptions&) {});
}

std::unique_ptr<Emulator> MakeEmulator(const std::function<void(EmulatorOptions&)>& adjust) {
  EmulatorOptions options;
  options.region = kRegion;
  options.account = kAccount;
  options.clock = [] { return TestNow(); };
  auto engine = std::make_shared<std::mt19937_64>(42);
  auto mu = std::make_shared<absl::Mutex>();
  options.random = [engine, mu] {
    absl::MutexLock lock(mu.get());
    return (*engine)();
  };
  adjust(options);
  auto emulator = Emulator::Create(std::move(options));
  return emulator.ok() ? *std::move(emulator) : nullptr;
}

http::HttpRequest JsonRequest(absl::string_view target, absl::string_view content_type,
                              std::string body) {
  http::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"Content-Type", std::string(content_type)},
                     {"X-Amz-Target", std::string(target)}};
  request.body = std::move(body);
  return request;
}

http::HttpRequest Signed(http::HttpRequest request, absl::string_view signing_name,
                         const auth::Credentials& credentials, absl::Time when,
                         absl::string_view region) {
  if (http::FindHeader(request.headers, "Host") == nullptr) {
    request.headers.push_back({"Host", "127.0.0.1:4566"});
  }
  auth::SigningConfig config;
  config.region = std::string(region);
  config.service = std::string(signing_name);
  config.signing_time = when;
  auth::Sigv4Signer signer;
  (void)signer.Sign(request, credentials, config);
  return request;
}

}  // namespace awsgw::emulator::testing
