// SigV4 signing data from a hostile client: the Authorization header and
// its pieces (auth/authorization_parser.h), and whole requests before the
// verifier (auth/sigv4_verifier.h), as the emulator receives them.
//
// The first byte picks the mode ('0', '1', '2': the byte modulo 3):
//   0: the rest is an Authorization value; it is also read as a Credential,
//      a SignedHeaders list and a Signature. A parsed header has a valid
//      credential, lowercase strictly sorted token names and a 64-hex
//      signature, and prints back (canonical spacing) to the same parse; a
//      rejection is INVALID_ARGUMENT with a short printable message.
//   1: a flags byte (bit 0: the key has a session token; bits 1-2: path
//      normalization and double encoding), an age byte (seconds), then a
//      request ("<method byte><target>\n<headers>\n\n<body>") verified as
//      it is. It can never verify (it cannot hold an HMAC under the
//      verifier's secret), every refusal names an AWS error code, and no
//      message quotes the secret.
//   2: the same, signed here that many seconds before the verifier's clock
//      (flags bit 3: in the query string; bit 4: with x-amz-content-sha256):
//      what the signer signs, the verifier accepts, and the same request
//      with one more body byte it refuses; a signer refusal is
//      INVALID_ARGUMENT. Signing data the input already carries
//      (Authorization, X-Amz-* parameters, ...) is removed first: with it,
//      it is another request than the one signed.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "auth/authorization_parser.h"
#include "auth/credentials.h"
#include "auth/sigv4_names.h"
#include "auth/sigv4_signer.h"
#include "auth/sigv4_verifier.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace auth = awsgw::auth;

constexpr char kAccessKeyId[] = "AKIDFUZZEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYFUZZKEY";
constexpr char kSessionToken[] = "FQoGZXIvYXdzEFUZZTOKEN";
constexpr char kRegion[] = "us-east-1";
constexpr char kService[] = "service";

bool Printable(absl::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// The parsers quote at most a short prefix of their input, with anything
// unprintable replaced; the signer's canonicalizer quotes at most 64 bytes.
void CheckRefusal(const absl::Status& status, bool printable) {
  if (status.code() != absl::StatusCode::kInvalidArgument || status.message().size() > 300 ||
      (printable && !Printable(status.message()))) {
    std::fprintf(stderr, "refusal: %s\n", status.ToString().c_str());
    std::abort();
  }
}

void FuzzParsers(const std::string& value) {
  (void)auth::ParseCredential(value);
  (void)auth::ParseSignedHeaders(value);
  (void)auth::ValidateSignatureFormat(value);
  absl::StatusOr<auth::ParsedAuthorization> parsed = auth::ParseAuthorizationHeader(value);
  if (!parsed.ok()) {
    CheckRefusal(parsed.status(), /*printable=*/true);
    return;
  }
  const auth::ParsedCredential& credential = parsed->credential;
  if (credential.access_key_id.empty() || credential.scope.date.size() != 8 ||
      credential.scope.region.empty() || credential.scope.service.empty() ||
      parsed->signed_headers.empty() || !auth::ValidateSignatureFormat(parsed->signature).ok()) {
    std::abort();
  }
  for (size_t i = 0; i < parsed->signed_headers.size(); ++i) {
    const std::string& name = parsed->signed_headers[i];
    if (name.empty() || name != absl::AsciiStrToLower(name)) std::abort();
    if (i > 0 && !(parsed->signed_headers[i - 1] < name)) std::abort();
  }
  const std::string printed = absl::StrCat(
      "AWS4-HMAC-SHA256 Credential=", credential.access_key_id, "/", credential.scope.ToString(),
      ", SignedHeaders=", absl::StrJoin(parsed->signed_headers, ";"),
      ", Signature=", parsed->signature);
  absl::StatusOr<auth::ParsedAuthorization> again = auth::ParseAuthorizationHeader(printed);
  if (!again.ok() || again->credential.access_key_id != credential.access_key_id ||
      again->credential.scope != credential.scope ||
      again->signed_headers != parsed->signed_headers || again->signature != parsed->signature) {
    std::abort();
  }
}

struct Fixture {
  auth::Sigv4Signer signer;
  // One verifier per (normalize_path, double_uri_encode) pair: index bit 0
  // and bit 1.
  std::vector<std::unique_ptr<auth::Sigv4Verifier>> verifiers;
  bool token_issued = false;  // which credentials the lookup answers with

  Fixture() {
    for (int i = 0; i < 4; ++i) {
      auth::VerifierConfig config;
      config.region = kRegion;
      config.service = kService;
      config.normalize_path = (i & 1) != 0;
      config.double_uri_encode = (i & 2) != 0;
      verifiers.push_back(std::make_unique<auth::Sigv4Verifier>(
          config, [this](absl::string_view id) -> absl::StatusOr<auth::Credentials> {
            if (id != kAccessKeyId) return absl::NotFoundError("unknown access key id");
            return Credentials();
          }));
    }
  }

  auth::Credentials Credentials() const {
    return auth::Credentials(kAccessKeyId, kSecret, token_issued ? kSessionToken : "");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* const fixture = new Fixture();
  awsgw::fuzz::Input input(data, size);
  const uint8_t mode = input.Byte() % 3;
  if (mode == 0) {
    FuzzParsers(input.Rest());
    return 0;
  }
  const uint8_t flags = input.Byte();
  const uint8_t age = input.Byte();
  fixture->token_issued = (flags & 1) != 0;
  const bool normalize_path = (flags & 2) != 0;
  const bool double_uri_encode = (flags & 4) != 0;
  const auth::Sigv4Verifier& verifier =
      *fixture->verifiers[(normalize_path ? 1 : 0) | (double_uri_encode ? 2 : 0)];
  // The verifier's clock: 2015-08-30T12:36:00Z, the AWS test suite's date.
  const absl::Time now = absl::FromUnixSeconds(1440938160);
  awsgw::http::HttpRequest request = input.Request();

  if (mode == 1) {
    const auth::VerificationResult result = verifier.Verify(request, now);
    if (result.ok() || result.aws_error_code().empty() || result.message().empty()) std::abort();
    std::string seen = absl::StrCat(awsgw::http::RequestTarget(request), request.body);
    for (const auto& header : request.headers) absl::StrAppend(&seen, header.name, header.value);
    if (!absl::StrContains(seen, kSecret) && absl::StrContains(result.message(), kSecret)) {
      std::abort();
    }
    return 0;
  }

  awsgw::fuzz::RemoveSigningData(request);
  if (auth::FindHeader(request.headers, auth::kHostHeader) == nullptr) {
    request.headers.push_back({"Host", "service.us-east-1.amazonaws.com"});
  }
  auth::SigningConfig config;
  config.region = kRegion;
  config.service = kService;
  config.signing_time = now - absl::Seconds(age);  // within the 5 min skew
  config.normalize_path = normalize_path;
  config.double_uri_encode = double_uri_encode;
  const bool presign = (flags & 8) != 0;
  config.location =
      presign ? auth::SignatureLocation::kQueryString : auth::SignatureLocation::kHeaders;
  config.add_content_sha256_header = !presign && (flags & 0x10) != 0;
  absl::StatusOr<auth::SigningResult> signed_ =
      fixture->signer.Sign(request, fixture->Credentials(), config);
  if (!signed_.ok()) {
    CheckRefusal(signed_.status(), /*printable=*/false);
    return 0;
  }
  const auth::VerificationResult result = verifier.Verify(request, now);
  if (!result.ok()) {
    std::fprintf(stderr, "signed but refused: %s: %s\ncanonical request:\n%s\n",
                 std::string(result.aws_error_code()).c_str(), result.message().c_str(),
                 signed_->canonical_request.c_str());
    std::abort();
  }
  if (result.request().access_key_id != kAccessKeyId) std::abort();
  request.body.push_back('x');
  if (verifier.Verify(request, now).ok()) std::abort();
  return 0;
}
