// Checks of PEM files named by the configuration, done at load time so a
// wrong file is reported with its line and key ("server.tls.key_file: not
// the private key of cert_file") instead of as a listener that fails to
// start with only gRPC's own log line to go on.
//
// Messages never include file contents (a key file is a secret).
#ifndef AWSGW_GATEWAY_CONFIG_PEM_CHECK_H_
#define AWSGW_GATEWAY_CONFIG_PEM_CHECK_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace awsgw::gateway::config {

// OK when `pem` holds at least one certificate and every PEM block in it
// parses as one. INVALID_ARGUMENT otherwise, its message a predicate for the
// caller to put after the file's name ("holds no PEM certificate").
absl::Status CheckCertificates(absl::string_view pem);

// OK when `key_pem` is an unencrypted private key matching the first
// certificate of `cert_pem`. INVALID_ARGUMENT otherwise.
absl::Status CheckPrivateKey(absl::string_view key_pem, absl::string_view cert_pem);

}  // namespace awsgw::gateway::config

#endif  // AWSGW_GATEWAY_CONFIG_PEM_CHECK_H_
