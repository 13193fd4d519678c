// TLS for outbound connections: the shared client context (system CA store
// plus an optional extra bundle, TLS 1.2 or newer, peer verification on) and
// the per-connection setup (SNI and host name verification).
//
// Why no switch to turn verification off: the client carries SigV4-signed
// requests with session tokens; a test that needs a private CA passes it as
// the extra bundle instead.
#ifndef AWSGW_HTTP_CLIENT_TLS_CONTEXT_H_
#define AWSGW_HTTP_CLIENT_TLS_CONTEXT_H_

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace awsgw::http::client {

// A client context trusting the system CA store and, when `extra_ca_file` is
// not empty, the PEM certificates in it. Returns INVALID_ARGUMENT when the
// extra file cannot be read or holds no certificate, INTERNAL when OpenSSL
// cannot set up the context.
absl::StatusOr<std::shared_ptr<boost::asio::ssl::context>> MakeClientTlsContext(
    const std::string& extra_ca_file);

// Sets SNI (for host names, not IP literals) and makes the handshake verify
// that the certificate is for `host` (DNS name or IP address). Call before
// the handshake. Returns INTERNAL when OpenSSL refuses a setting.
absl::Status PrepareTlsSession(SSL* ssl, const std::string& host);

// Why a handshake failed: the error plus, when certificate verification
// failed, OpenSSL's verify result ("hostname mismatch", "unable to get local
// issuer certificate", ...). Never contains secrets.
std::string DescribeTlsFailure(SSL* ssl, const boost::system::error_code& ec);

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_TLS_CONTEXT_H_
