#include "gateway/config/pem_check.h"

#include <memory>

#include "openssl/bio.h"
#include "openssl/err.h"
#include "openssl/evp.h"
#include "openssl/pem.h"
#include "openssl/x509.h"

namespace awsgw::gateway::config {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

BioPtr MemoryBio(absl::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Without a callback OpenSSL would prompt on the terminal for the
// passphrase of an encrypted key; gRPC cannot use one anyway.
int NoPassphrase(char*, int, int, void*) { return 0; }

}  // namespace

absl::Status CheckCertificates(absl::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  int count = 0;
  while (X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr)}) ++count;
  // Reading stops with "no start line" at the end of the input; any other
  // error means a block that is not a well-formed certificate.
  const unsigned long error = ERR_peek_last_error();
  const bool clean_end = ERR_GET_REASON(error) == PEM_R_NO_START_LINE;
  ERR_clear_error();
  if (count == 0) return absl::InvalidArgumentError("holds no PEM certificate");
  if (!clean_end) return absl::InvalidArgumentError("holds a malformed PEM certificate");
  return absl::OkStatus();
}

absl::Status CheckPrivateKey(absl::string_view key_pem, absl::string_view cert_pem) {
  BioPtr key_bio = MemoryBio(key_pem);
  KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr));
  BioPtr cert_bio = MemoryBio(cert_pem);
  X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError("holds no unencrypted PEM private key");
  }
  if (cert != nullptr && X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("is not the private key of cert_file");
  }
  return absl::OkStatus();
}

}  // namespace awsgw::gateway::config
