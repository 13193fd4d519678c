// The gateway's YAML configuration as an operator's typo, a bad template or
// a hostile edit leaves it: any bytes, through ParseGatewayConfig
// (gateway/config/config_loader.h). Relative file names resolve in a fixture
// folder written at start-up (cert.pem and key.pem, a matching self-signed
// pair; ca.pem; policy.yaml; an empty file), so the PEM and policy checks
// run too.
//
// Invariants: nothing crashes or throws; the answer is a config or an
// INVALID_ARGUMENT reading "fuzz.yaml:<line>: ..." with a line of the text;
// a credentials.secret_access_key or .session_token value (12 bytes or more,
// written once in the text) never appears in the message.
//
// Not modelled: a hostile file system. Inputs naming /dev, /proc, /sys or
// /run, or holding a backslash (a YAML escape could spell those), are
// skipped: reading /dev/zero or a FIFO would never end, by design of
// ReadWholeFile (the configuration may name /dev/stdin), not by a parser bug.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "awsgw/options.pb.h"
#include "gateway/config/config_loader.h"
#include "tests/fuzz/fuzz_support.h"
#include "yaml-cpp/yaml.h"

namespace {

std::string Pem(int (*write)(BIO*, void*), void* object) {
  BIO* bio = BIO_new(BIO_s_mem());
  write(bio, object);
  char* bytes = nullptr;
  const long size = BIO_get_mem_data(bio, &bytes);
  std::string pem(bytes, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

int WriteCertificate(BIO* bio, void* cert) {
  return PEM_write_bio_X509(bio, static_cast<X509*>(cert));
}

int WriteKey(BIO* bio, void* key) {
  return PEM_write_bio_PrivateKey(bio, static_cast<EVP_PKEY*>(key), nullptr, nullptr, 0, nullptr,
                                  nullptr);
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

struct Fixture {
  std::string dir = AWSGW_FUZZ_CONFIG_DIR;
  awsgw::gateway::config::LoadOptions options;

  Fixture() {
    std::filesystem::create_directories(dir);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600L * 24 * 365);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_set_pubkey(cert, key);
    X509_sign(cert, key, EVP_sha256());
    const std::string cert_pem = Pem(WriteCertificate, cert);
    WriteFile(dir + "/cert.pem", cert_pem);
    WriteFile(dir + "/ca.pem", cert_pem);
    WriteFile(dir + "/key.pem", Pem(WriteKey, key));
    X509_free(cert);
    EVP_PKEY_free(key);
    WriteFile(dir + "/policy.yaml",
              "statements:\n  - id: ops\n    effect: allow\n    principals: [\"group:ops\"]\n"
              "    actions: [\"ecs:*\"]\n    resources: [\"*\"]\n");
    WriteFile(dir + "/empty", "");
    for (const auto* service : awsgw::fuzz::LoadServices().services) {
      options.service_ids.push_back(service->options().GetExtension(awsgw::service).service_id());
    }
  }
};

bool Skipped(const std::string& text) {
  for (const char* needle : {"/dev", "/proc", "/sys", "/run", "\\"}) {
    if (absl::StrContains(text, needle)) return true;
  }
  return false;
}

// The secret values the document holds (as yaml-cpp reads them), or none.
std::vector<std::string> Secrets(const std::string& text) {
  std::vector<std::string> secrets;
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap() || !root["credentials"].IsMap()) return secrets;
    for (const char* key : {"secret_access_key", "session_token"}) {
      YAML::Node value = root["credentials"][key];
      if (value.IsScalar()) secrets.push_back(value.Scalar());
    }
  } catch (const std::exception&) {
  }
  return secrets;
}

void CheckRefusal(const absl::Status& status, const std::string& text) {
  if (status.code() != absl::StatusCode::kInvalidArgument) std::abort();
  absl::string_view message = status.message();
  if (!absl::ConsumePrefix(&message, "fuzz.yaml:")) std::abort();
  const size_t colon = message.find(": ");
  int line = 0;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(message.substr(0, colon), &line)) {
    std::abort();
  }
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (line < 1 || line > lines) std::abort();
  for (const std::string& secret : Secrets(text)) {
    if (secret.size() < 12) continue;
    const size_t first = text.find(secret);
    if (first == std::string::npos || text.find(secret, first + 1) != std::string::npos) continue;
    if (absl::StrContains(status.message(), secret)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture* const fixture = new Fixture();
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (Skipped(text)) return 0;
  absl::StatusOr<awsgw::gateway::config::GatewayConfig> config =
      awsgw::gateway::config::ParseGatewayConfig(text, "fuzz.yaml", fixture->dir, fixture->options);
  if (!config.ok()) CheckRefusal(config.status(), text);
  return 0;
}
