// The whole emulator pipeline (emulator/emulator.h: route, SigV4, decode,
// validate, the resource handler, encode) fed what a hostile or broken
// client sends it, on the service protos loaded at run time
// (ServiceRegistry::FromPool). A fresh emulator per input (fixed clock,
// fixed-seed random source) keeps every run reproducible.
//
// Input: a flags byte (bit 0: lifecycles instantaneous), then up to four
// requests separated by "\n=====\n", each "<how><method><target>\n<headers>
// \n\n<body>". `how` bit 0 set: the request is signed here with the
// emulator's own key for the service `how >> 1` picks (like fuzz_jwt signs
// its claims), so decoding and the resource handler run on arbitrary bodies;
// clear: it is sent as it is (and stops at the verifier, as it should).
//
// Invariants: nothing crashes; every answer has a status in [100, 599] and,
// outside the /_emulator/ test controls, an x-amzn-RequestId; an unsigned
// request is never answered with success; a request signed here is never
// refused by the verifier.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "auth/sigv4_names.h"
#include "auth/sigv4_signer.h"
#include "emulator/emulator.h"
#include "emulator/service_registry.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace auth = awsgw::auth;
namespace emulator = awsgw::emulator;

constexpr char kRegion[] = "us-east-1";
// 2024-01-02T03:04:05Z
const absl::Time kNow = absl::FromUnixSeconds(1704164645);

const emulator::ServiceRegistry& Registry() {
  static const emulator::ServiceRegistry* const registry = [] {
    const awsgw::fuzz::Services& services = awsgw::fuzz::LoadServices();
    const std::vector<absl::string_view> files(services.service_files.begin(),
                                               services.service_files.end());
    auto built = emulator::ServiceRegistry::FromPool(
        services.pool, files,
        const_cast<google::protobuf::DynamicMessageFactory*>(&services.factory));
    if (!built.ok()) std::abort();
    return new emulator::ServiceRegistry(*std::move(built));
  }();
  return *registry;
}

std::unique_ptr<emulator::Emulator> NewEmulator(bool instantaneous) {
  emulator::EmulatorOptions options;
  options.region = kRegion;
  options.clock = [] { return kNow; };
  auto random = std::make_shared<std::mt19937_64>(7);
  options.random = [random] { return (*random)(); };
  options.time_scale = instantaneous ? 0.0 : 1.0;
  auto created = emulator::Emulator::Create(options, Registry());
  if (!created.ok()) std::abort();
  return *std::move(created);
}

bool IsAuthError(absl::string_view code) {
  for (auth::AuthErrorCode c :
       {auth::AuthErrorCode::kIncompleteSignature, auth::AuthErrorCode::kInvalidSignature,
        auth::AuthErrorCode::kUnrecognizedClient, auth::AuthErrorCode::kMissingAuthenticationToken,
        auth::AuthErrorCode::kRequestTimeTooSkewed}) {
    if (code == auth::AuthErrorCodeName(c)) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auth::Sigv4Signer* const signer = new auth::Sigv4Signer();
  // AWSGW_FUZZ_VERBOSE=1 prints every answer (to see what a seed reaches).
  static const bool verbose = std::getenv("AWSGW_FUZZ_VERBOSE") != nullptr;
  const emulator::ServiceRegistry& registry = Registry();
  awsgw::fuzz::Input input(data, size);
  std::unique_ptr<emulator::Emulator> em = NewEmulator((input.Byte() & 1) != 0);
  const std::string rest = input.Rest();
  int count = 0;
  for (absl::string_view part : absl::StrSplit(rest, "\n=====\n")) {
    if (++count > 4) break;
    awsgw::fuzz::Input piece(reinterpret_cast<const uint8_t*>(part.data()), part.size());
    const uint8_t how = piece.Byte();
    awsgw::http::HttpRequest request = piece.Request();
    const bool sign = (how & 1) != 0;
    if (sign) {
      awsgw::fuzz::RemoveSigningData(request);
      if (auth::FindHeader(request.headers, auth::kHostHeader) == nullptr) {
        request.headers.push_back({"Host", "127.0.0.1"});
      }
      const emulator::EmulatedService& service =
          registry.services()[(how >> 1) % registry.services().size()];
      auth::SigningConfig config;
      config.region = kRegion;
      config.service = service.info->signing_name();
      config.signing_time = kNow;
      if (!signer->Sign(request, em->default_credentials(), config).ok()) continue;
    }
    const awsgw::http::HttpResponse response = em->Handle(request);
    if (verbose) {
      std::fprintf(stderr, "%s %s -> %d %s\n", request.method.c_str(), request.path.c_str(),
                   response.status, response.body.substr(0, 300).c_str());
    }
    if (response.status < 100 || response.status > 599) std::abort();
    if (absl::StartsWith(request.path, "/_emulator/")) continue;
    if (awsgw::http::FindHeader(response.headers, "x-amzn-RequestId") == nullptr) std::abort();
    if (!sign && response.status < 400) std::abort();
    if (sign) {
      const awsgw::http::HttpHeader* type =
          awsgw::http::FindHeader(response.headers, "x-amzn-ErrorType");
      if (type != nullptr &&
          IsAuthError(absl::string_view(type->value).substr(0, type->value.find(':')))) {
        std::fprintf(stderr, "signed request refused: %s\n%s\n", type->value.c_str(),
                     response.body.c_str());
        std::abort();
      }
    }
  }
  return 0;
}
