// RedactSecrets: takes credentials out of text that is about to leave the
// process (a gRPC status message, a log line, an error detail).
//
// Why: text the gateway did not write itself can quote a secret. AWS's
// signature-mismatch errors quote the canonical request, session token
// header included; an STS error may do the same with the source identity's
// token; a credential_process helper may print its keys on stderr. The
// gateway passes such text on to callers and logs, so every such path runs
// it through here first.
//
// What is redacted, each replaced by "[redacted]":
//   * every occurrence of a known secret (the credentials that signed the
//     request), also when only a prefix of 16 or more of its characters is
//     quoted (a message cut short);
//   * the canonical request and string to sign quoted by AWS signature
//     errors, from "The Canonical String for this request should have been"
//     (or "The String-to-Sign should have been") to the end;
//   * the value after an `x-amz-security-token` or `authorization` header
//     name or query key (`name:value`, `name=value`, `"name":"value"`), and
//     after `Signature=`, `Credential=`, `SecretAccessKey`, `SessionToken`
//     and `Token` keys;
//   * AWS access key ids (AKIA..., ASIA..., 20 characters) and JSON Web
//     Tokens (three base64url parts, the first starting "eyJ").
// Everything else is left as it is, so messages stay useful.
//
// Example:
//   std::string safe = base::RedactSecrets(aws_message, {token, secret});
#ifndef AWSGW_BASE_SECRET_REDACTION_H_
#define AWSGW_BASE_SECRET_REDACTION_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace awsgw::base {

inline constexpr absl::string_view kRedacted = "[redacted]";

// `text` with the secrets above replaced. Known secrets shorter than 8
// characters are ignored (they would match ordinary words). Linear in the
// size of `text` for each known secret.
std::string RedactSecrets(absl::string_view text,
                          absl::Span<const absl::string_view> known_secrets = {});

}  // namespace awsgw::base

#endif  // AWSGW_BASE_SECRET_REDACTION_H_
