// The client TLS context and per-connection verification settings.
#include "http/client/tls_context.h"

#include <openssl/x509v3.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "http/client/endpoint.h"

namespace awsgw::http::client {

namespace ssl = boost::asio::ssl;

absl::StatusOr<std::shared_ptr<ssl::context>> MakeClientTlsContext(
    const std::string& extra_ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::no_compression,
                       ec);
  if (!ec) context->set_verify_mode(ssl::verify_peer, ec);
  if (!ec) context->set_default_verify_paths(ec);
  if (ec) return absl::InternalError(absl::StrCat("TLS context set-up failed: ", ec.message()));
  if (!extra_ca_file.empty()) {
    context->load_verify_file(extra_ca_file, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot load extra CA bundle '", extra_ca_file, "': ", ec.message()));
    }
  }
  return context;
}

absl::Status PrepareTlsSession(SSL* ssl, const std::string& host) {
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (IsIpLiteral(host)) {
    // Certificates name IP addresses in iPAddress SANs; SNI carries names only.
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
      return absl::InternalError(absl::StrCat("cannot verify IP address ", host));
    }
    return absl::OkStatus();
  }
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set1_host(ssl, host.c_str()) != 1) {
    return absl::InternalError(absl::StrCat("cannot verify host name ", host));
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
    return absl::InternalError(absl::StrCat("cannot set SNI ", host));
  }
  return absl::OkStatus();
}

std::string DescribeTlsFailure(SSL* ssl, const boost::system::error_code& ec) {
  std::string text = ec.message();
  long verify = ssl != nullptr ? SSL_get_verify_result(ssl) : X509_V_OK;
  if (verify != X509_V_OK) {
    absl::StrAppend(&text, " (", X509_verify_cert_error_string(verify), ")");
  }
  return text;
}

}  // namespace awsgw::http::client
