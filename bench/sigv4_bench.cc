// SigV4 signing cost against a floor measured in the same run.
//
// The workload is a typical gateway call: an awsJson1_1 POST / to ECS with
// six headers, a ~1 KiB JSON body and session credentials, signed with a warm
// signing-key cache. The floor is the cryptography that any SigV4 signer must
// do for it, written directly against OpenSSL in its fastest form measured
// here: SHA-256 of the payload, SHA-256 of the canonical request, and one
// HMAC-SHA256 of the string to sign. The report ends with signer / floor
// (target: at most 2x).
//
// The BM_Hmac* family measures OpenSSL 3's HMAC entry points, which decided
// how auth/crypto.cc computes HMAC.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "absl/time/time.h"
#include "auth/credentials.h"
#include "auth/crypto.h"
#include "auth/http_request.h"
#include "auth/signing_key.h"
#include "auth/sigv4_signer.h"
#include "auth/sigv4_verifier.h"
#include "benchmark/benchmark.h"

namespace {

using awsgw::auth::Credentials;
using awsgw::auth::HttpRequest;
using awsgw::auth::SigningConfig;
using awsgw::auth::SigningResult;
using awsgw::auth::Sigv4Signer;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string SessionToken() {
  // Real STS session tokens are several hundred base64 characters.
  std::string token = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD";
  while (token.size() < 700) token += "Xk9aQmR2c1p3b0NLRkF3YUZ6cW9qT2p0";
  return token;
}

const Credentials& SessionCredentials() {
  static const Credentials* const credentials =
      new Credentials("ASIAQXEXAMPLEKEYID01", kSecret, SessionToken());
  return *credentials;
}

std::string JsonBody() {
  std::string body =
      R"({"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],)"
      R"("cpu":"256","memory":"512","containerDefinitions":[)";
  for (int i = 0; body.size() < 1000; ++i) {
    body += (i ? "," : "") + std::string(R"({"name":"app)") + std::to_string(i) +
            R"(","image":"public.ecr.aws/nginx/nginx:latest","essential":true})";
  }
  return body + "]}";
}

HttpRequest EcsRequest() {
  HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.body = JsonBody();
  request.headers = {
      {"Host", "ecs.us-east-1.amazonaws.com"},
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition"},
      {"Content-Length", std::to_string(request.body.size())},
      {"Accept-Encoding", "identity"},
      {"User-Agent", "awsgw/0.1 grpc-gateway"},
  };
  return request;
}

SigningConfig Config() {
  SigningConfig config;
  config.region = "us-east-1";
  config.service = "ecs";
  config.signing_time = absl::FromUnixSeconds(1700000000);
  return config;
}

// --- the signer -------------------------------------------------------------

void BM_SignAwsJsonRequest(benchmark::State& state) {
  Sigv4Signer signer;
  HttpRequest request = EcsRequest();
  const SigningConfig config = Config();
  (void)signer.Sign(request, SessionCredentials(), config);  // warm the key cache
  for (auto _ : state) {
    // Re-signing the same request is exactly a retry; it replaces the
    // previous signing headers, so every iteration does a full signature.
    absl::StatusOr<SigningResult> result = signer.Sign(request, SessionCredentials(), config);
    benchmark::DoNotOptimize(result);
  }
  state.SetLabel(std::to_string(request.body.size()) + " B body");
}
BENCHMARK(BM_SignAwsJsonRequest);

void BM_SignAwsJsonRequestColdKey(benchmark::State& state) {
  HttpRequest request = EcsRequest();
  SigningConfig config = Config();
  int64_t day = 0;
  Sigv4Signer signer(1);
  for (auto _ : state) {
    config.signing_time = absl::FromUnixSeconds(1700000000) + absl::Hours(24 * (++day % 1000));
    absl::StatusOr<SigningResult> result = signer.Sign(request, SessionCredentials(), config);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_SignAwsJsonRequestColdKey);

void BM_VerifyAwsJsonRequest(benchmark::State& state) {
  Sigv4Signer signer;
  HttpRequest request = EcsRequest();
  (void)signer.Sign(request, SessionCredentials(), Config());
  awsgw::auth::Sigv4Verifier verifier(
      {.region = "us-east-1", .service = "ecs"},
      [](absl::string_view) -> absl::StatusOr<Credentials> { return SessionCredentials(); });
  for (auto _ : state) {
    awsgw::auth::VerificationResult result = verifier.Verify(request, Config().signing_time);
    if (!result.ok()) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_VerifyAwsJsonRequest);

// --- the floor --------------------------------------------------------------

struct MdCtx {
  MdCtx() : md(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx(EVP_MD_CTX_new()) {}
  ~MdCtx() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
  void Digest(const void* a, size_t a_size, const void* b, size_t b_size, unsigned char* out) {
    unsigned int size = 0;
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, a, a_size);
    if (b_size > 0) EVP_DigestUpdate(ctx, b, b_size);
    EVP_DigestFinal_ex(ctx, out, &size);
  }
  EVP_MD* md;
  EVP_MD_CTX* ctx;
};

void BM_Floor(benchmark::State& state) {
  // The canonical request and string to sign of the same request, as the
  // signer produced them: the floor hashes exactly the same bytes.
  Sigv4Signer signer;
  HttpRequest request = EcsRequest();
  absl::StatusOr<SigningResult> signed_ = signer.Sign(request, SessionCredentials(), Config());
  const std::string canonical = signed_->canonical_request;
  const std::string string_to_sign = signed_->string_to_sign;
  const std::string body = request.body;
  awsgw::auth::SigningKey key =
      awsgw::auth::DeriveSigningKey(kSecret, "20231114", "us-east-1", "ecs");
  unsigned char ipad[64] = {}, opad[64] = {};
  std::memcpy(ipad, key.bytes().data(), 32);
  std::memcpy(opad, key.bytes().data(), 32);
  for (int i = 0; i < 64; ++i) {
    ipad[i] ^= 0x36;
    opad[i] ^= 0x5c;
  }
  MdCtx md;
  unsigned char payload_hash[32], canonical_hash[32], inner[32], mac[32];
  for (auto _ : state) {
    md.Digest(body.data(), body.size(), nullptr, 0, payload_hash);
    md.Digest(canonical.data(), canonical.size(), nullptr, 0, canonical_hash);
    md.Digest(ipad, 64, string_to_sign.data(), string_to_sign.size(), inner);
    md.Digest(opad, 64, inner, 32, mac);
    benchmark::DoNotOptimize(payload_hash);
    benchmark::DoNotOptimize(canonical_hash);
    benchmark::DoNotOptimize(mac);
  }
  state.SetLabel(std::to_string(canonical.size()) + " B canonical request");
}
BENCHMARK(BM_Floor);

// --- OpenSSL HMAC entry points (150-byte message, 32-byte key) --------------

const std::string& Message() {
  static const std::string* const message = new std::string(150, 's');
  return *message;
}
const unsigned char kKey[32] = {1, 2, 3, 4};

void BM_Hmac_OneShotHMAC(benchmark::State& state) {
  unsigned char out[32];
  unsigned int size;
  for (auto _ : state) {
    HMAC(EVP_sha256(), kKey, 32, reinterpret_cast<const unsigned char*>(Message().data()),
         Message().size(), out, &size);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Hmac_OneShotHMAC);

void BM_Hmac_EvpQMac(benchmark::State& state) {
  unsigned char out[32];
  size_t size;
  for (auto _ : state) {
    EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, kKey, 32,
              reinterpret_cast<const unsigned char*>(Message().data()), Message().size(), out, 32,
              &size);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Hmac_EvpQMac);

void BM_Hmac_EvpMacNewCtxEachTime(benchmark::State& state) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  unsigned char out[32];
  size_t size;
  for (auto _ : state) {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_init(ctx, kKey, 32, params);
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(Message().data()), Message().size());
    EVP_MAC_final(ctx, out, &size, sizeof(out));
    EVP_MAC_CTX_free(ctx);
    benchmark::DoNotOptimize(out);
  }
  EVP_MAC_free(mac);
}
BENCHMARK(BM_Hmac_EvpMacNewCtxEachTime);

void BM_Hmac_EvpMacReusedCtx(benchmark::State& state) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  EVP_MAC_CTX_set_params(ctx, params);
  unsigned char out[32];
  size_t size;
  for (auto _ : state) {
    EVP_MAC_init(ctx, kKey, 32, nullptr);
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(Message().data()), Message().size());
    EVP_MAC_final(ctx, out, &size, sizeof(out));
    benchmark::DoNotOptimize(out);
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
}
BENCHMARK(BM_Hmac_EvpMacReusedCtx);

void BM_Hmac_Library(benchmark::State& state) {
  // auth/crypto.cc: HMAC assembled from a pre-fetched EVP_MD, reused context.
  for (auto _ : state) {
    awsgw::auth::Sha256Digest mac = awsgw::auth::HmacSha256(kKey, Message());
    benchmark::DoNotOptimize(mac);
  }
}
BENCHMARK(BM_Hmac_Library);

// Console output plus the signer/floor ratio, from the same run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
        ns_per_op_[run.run_name.function_name] = run.GetAdjustedCPUTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void PrintRatio() const {
    auto signer = ns_per_op_.find("BM_SignAwsJsonRequest");
    auto floor = ns_per_op_.find("BM_Floor");
    if (signer == ns_per_op_.end() || floor == ns_per_op_.end() || floor->second <= 0) return;
    const double ratio = signer->second / floor->second;
    std::printf("\nsigner %.0f ns/op, floor %.0f ns/op: ratio %.2fx (target <= 2.00x) %s\n",
                signer->second, floor->second, ratio, ratio <= 2.0 ? "OK" : "OVER TARGET");
  }

 private:
  std::map<std::string, double> ns_per_op_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatio();
  benchmark::Shutdown();
  return 0;
}
