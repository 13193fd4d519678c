// Sigv4Verifier: parses what the client sent, checks time, scope and
// identity, then recomputes the signature with the same three stages the
// signer uses and compares in constant time.
#include "auth/sigv4_verifier.h"

#include <openssl/crypto.h>

#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "auth/authorization_parser.h"
#include "auth/canonical_request.h"
#include "auth/crypto.h"
#include "auth/signature.h"
#include "auth/sigv4_names.h"
#include "auth/sigv4_time.h"
#include "http/uri_encoding.h"

namespace awsgw::auth {
namespace {

constexpr int64_t kMaxExpiresSeconds = 7 * 24 * 3600;

VerificationResult Fail(AuthErrorCode code, std::string message) {
  return VerificationResult::Failure(code, std::move(message));
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  return std::binary_search(names.begin(), names.end(), name);
}

}  // namespace

struct Sigv4Verifier::SignatureInputs {
  ParsedCredential credential;
  std::vector<std::string> signed_headers;
  std::string signature;
  absl::Time signing_time;
  absl::string_view date_source;  // "X-Amz-Date" or "Date", for messages
  // Presigned only: X-Amz-Expires.
  std::optional<absl::Duration> expires;
  // The X-Amz-Security-Token the request carries, if any.
  std::optional<std::string> session_token;
  absl::string_view excluded_query_key;
};

Sigv4Verifier::Sigv4Verifier(VerifierConfig config, CredentialsLookup lookup)
    : config_(std::move(config)), lookup_(std::move(lookup)) {}

VerificationResult Sigv4Verifier::Verify(const HttpRequest& request, absl::Time now) const {
  int authorization_count = CountHeaders(request.headers, kAuthorizationHeader);
  bool has_algorithm_param = FindQueryParam(request.query, kAlgorithmParam) != nullptr;
  if (authorization_count > 1) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                "The request carries more than one Authorization header.");
  }
  if (authorization_count == 1) {
    if (has_algorithm_param) {
      return Fail(AuthErrorCode::kIncompleteSignature,
                  "Only one auth mechanism allowed; the request has both an Authorization header "
                  "and an X-Amz-Algorithm query parameter.");
    }
    return VerifyHeaderSigned(request, FindHeader(request.headers, kAuthorizationHeader)->value,
                              now);
  }
  if (has_algorithm_param) return VerifyPresigned(request, now);
  if (FindQueryParam(request.query, kSignatureParam) != nullptr ||
      FindQueryParam(request.query, kCredentialParam) != nullptr) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                "AWS query-string parameters must include 'X-Amz-Algorithm'.");
  }
  return Fail(AuthErrorCode::kMissingAuthenticationToken,
              "Request is missing Authentication Token: no Authorization header and no "
              "X-Amz-Algorithm query parameter.");
}

VerificationResult Sigv4Verifier::VerifyHeaderSigned(const HttpRequest& request,
                                                     absl::string_view authorization,
                                                     absl::Time now) const {
  absl::StatusOr<ParsedAuthorization> parsed = ParseAuthorizationHeader(authorization);
  if (!parsed.ok()) {
    return Fail(AuthErrorCode::kIncompleteSignature, std::string(parsed.status().message()));
  }
  SignatureInputs inputs;
  inputs.credential = std::move(parsed->credential);
  inputs.signed_headers = std::move(parsed->signed_headers);
  inputs.signature = std::move(parsed->signature);

  absl::string_view date_header_name;
  int amz_date_count = CountHeaders(request.headers, kAmzDateHeader);
  if (amz_date_count > 1 ||
      (amz_date_count == 0 && CountHeaders(request.headers, kDateHeader) > 1)) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                "The request carries more than one X-Amz-Date or Date header.");
  }
  if (amz_date_count == 1) {
    absl::StatusOr<absl::Time> time =
        ParseAmzDate(FindHeader(request.headers, kAmzDateHeader)->value);
    if (!time.ok()) {
      return Fail(AuthErrorCode::kIncompleteSignature,
                  absl::StrCat("X-Amz-Date: ", time.status().message()));
    }
    inputs.signing_time = *time;
    inputs.date_source = kAmzDateHeader;
    date_header_name = "x-amz-date";
  } else if (const HttpHeader* date = FindHeader(request.headers, kDateHeader); date != nullptr) {
    absl::StatusOr<absl::Time> time = ParseHttpDate(date->value);
    if (!time.ok()) {
      return Fail(AuthErrorCode::kIncompleteSignature,
                  absl::StrCat("Date: ", time.status().message()));
    }
    inputs.signing_time = *time;
    inputs.date_source = kDateHeader;
    date_header_name = "date";
  } else {
    return Fail(AuthErrorCode::kIncompleteSignature,
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                "header.");
  }
  if (!Contains(inputs.signed_headers, "host")) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                "SignedHeaders must include 'host' (the Host header must be signed).");
  }
  if (!Contains(inputs.signed_headers, date_header_name)) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                absl::StrCat("SignedHeaders must include '", date_header_name,
                             "', the header that carries the request time."));
  }
  if (const HttpHeader* token = FindHeader(request.headers, kSecurityTokenHeader);
      token != nullptr) {
    inputs.session_token = token->value;
  }
  return VerifyInputs(request, inputs, now);
}

VerificationResult Sigv4Verifier::VerifyPresigned(const HttpRequest& request,
                                                  absl::Time now) const {
  // Every signing parameter exactly once; values percent-decoded.
  auto get = [&](absl::string_view key, std::string& value) -> std::optional<std::string> {
    int count = CountQueryParams(request.query, key);
    if (count == 0) {
      return absl::StrCat("AWS query-string parameters must include '", key, "'.");
    }
    if (count > 1) return absl::StrCat("Query parameter '", key, "' appears more than once.");
    value = http::UriDecode(FindQueryParam(request.query, key)->value);
    return std::nullopt;
  };
  std::string algorithm, credential, date, expires, signed_headers, signature;
  for (auto [key, value] :
       {std::pair{kAlgorithmParam, &algorithm}, std::pair{kCredentialParam, &credential},
        std::pair{kDateParam, &date}, std::pair{kExpiresParam, &expires},
        std::pair{kSignedHeadersParam, &signed_headers}, std::pair{kSignatureParam, &signature}}) {
    if (std::optional<std::string> error = get(key, *value); error.has_value()) {
      return Fail(AuthErrorCode::kIncompleteSignature, *std::move(error));
    }
  }
  if (algorithm != kSigningAlgorithm) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                "X-Amz-Algorithm only supports 'AWS4-HMAC-SHA256'.");
  }
  SignatureInputs inputs;
  absl::StatusOr<ParsedCredential> parsed_credential = ParseCredential(credential);
  if (!parsed_credential.ok()) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                absl::StrCat("X-Amz-Credential: ", parsed_credential.status().message()));
  }
  inputs.credential = *std::move(parsed_credential);
  absl::StatusOr<std::vector<std::string>> names = ParseSignedHeaders(signed_headers);
  if (!names.ok()) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                absl::StrCat("X-Amz-SignedHeaders: ", names.status().message()));
  }
  inputs.signed_headers = *std::move(names);
  if (absl::Status s = ValidateSignatureFormat(signature); !s.ok()) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                absl::StrCat("X-Amz-Signature: ", s.message()));
  }
  inputs.signature = std::move(signature);
  absl::StatusOr<absl::Time> time = ParseAmzDate(date);
  if (!time.ok()) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                absl::StrCat("X-Amz-Date: ", time.status().message()));
  }
  inputs.signing_time = *time;
  inputs.date_source = kDateParam;
  int64_t expires_seconds = 0;
  if (expires.empty() || expires.size() > 7 ||
      !std::all_of(expires.begin(), expires.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      !absl::SimpleAtoi(expires, &expires_seconds) || expires_seconds < 1 ||
      expires_seconds > kMaxExpiresSeconds) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                absl::StrCat("X-Amz-Expires must be a whole number of seconds in [1, ",
                             kMaxExpiresSeconds, "]."));
  }
  inputs.expires = absl::Seconds(expires_seconds);
  if (!Contains(inputs.signed_headers, "host")) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                "X-Amz-SignedHeaders must include 'host' (the Host header must be signed).");
  }
  if (CountQueryParams(request.query, kSecurityTokenParam) > 1) {
    return Fail(AuthErrorCode::kIncompleteSignature,
                "Query parameter 'X-Amz-Security-Token' appears more than once.");
  }
  if (const QueryParam* token = FindQueryParam(request.query, kSecurityTokenParam);
      token != nullptr) {
    inputs.session_token = http::UriDecode(token->value);
  }
  inputs.excluded_query_key = kSignatureParam;
  return VerifyInputs(request, inputs, now);
}

VerificationResult Sigv4Verifier::VerifyInputs(const HttpRequest& request,
                                               const SignatureInputs& inputs,
                                               absl::Time now) const {
  // 3. Time.
  const std::string amz_date = FormatAmzDate(inputs.signing_time);
  const absl::Duration skew = config_.max_clock_skew;
  const std::string skew_text = absl::FormatDuration(skew);
  if (inputs.signing_time > now + skew) {
    return Fail(
        AuthErrorCode::kRequestTimeTooSkewed,
        absl::StrCat("Signature not yet current: ", amz_date, " is still later than ",
                     FormatAmzDate(now + skew), " (", FormatAmzDate(now), " + ", skew_text, ")."));
  }
  if (!inputs.expires.has_value() && inputs.signing_time < now - skew) {
    return Fail(
        AuthErrorCode::kRequestTimeTooSkewed,
        absl::StrCat("Signature expired: ", amz_date, " is now earlier than ",
                     FormatAmzDate(now - skew), " (", FormatAmzDate(now), " - ", skew_text, ")."));
  }
  if (inputs.expires.has_value() && now > inputs.signing_time + *inputs.expires) {
    return Fail(AuthErrorCode::kInvalidSignature,
                absl::StrCat("Signature expired: the presigned request was valid until ",
                             FormatAmzDate(inputs.signing_time + *inputs.expires), " (", amz_date,
                             " + X-Amz-Expires ", absl::ToInt64Seconds(*inputs.expires),
                             " s); it is now ", FormatAmzDate(now), "."));
  }

  // 4. Scope.
  const CredentialScope& scope = inputs.credential.scope;
  const std::string expected_date = amz_date.substr(0, 8);
  if (scope.date != expected_date) {
    return Fail(
        AuthErrorCode::kInvalidSignature,
        absl::StrCat("Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                     "version of date from HTTP: '",
                     scope.date, "' != '", expected_date, "', from '", inputs.date_source, "'."));
  }
  if (scope.region != config_.region) {
    return Fail(AuthErrorCode::kInvalidSignature,
                absl::StrCat("Credential should be scoped to a valid region, not '",
                             scope.region.substr(0, 64), "'. Expected '", config_.region, "'."));
  }
  if (scope.service != config_.service) {
    return Fail(AuthErrorCode::kInvalidSignature,
                absl::StrCat("Credential should be scoped to correct service: '", config_.service,
                             "', not '", scope.service.substr(0, 64), "'."));
  }

  // 5. Identity.
  absl::StatusOr<Credentials> credentials = lookup_(inputs.credential.access_key_id);
  if (!credentials.ok()) {
    if (absl::IsNotFound(credentials.status())) {
      return Fail(AuthErrorCode::kUnrecognizedClient,
                  absl::StrCat("The security token included in the request is invalid: unknown "
                               "access key id '",
                               inputs.credential.access_key_id.substr(0, 128), "'."));
    }
    return Fail(AuthErrorCode::kInternalFailure,
                absl::StrCat("Credential lookup failed with ",
                             absl::StatusCodeToString(credentials.status().code()), "."));
  }
  if (credentials->has_session_token() != inputs.session_token.has_value() ||
      (inputs.session_token.has_value() &&
       !ConstantTimeEquals(*inputs.session_token, credentials->session_token()))) {
    return Fail(AuthErrorCode::kUnrecognizedClient,
                credentials->has_session_token()
                    ? (inputs.session_token.has_value()
                           ? "The security token included in the request is invalid."
                           : "The request must carry X-Amz-Security-Token: the access key id "
                             "belongs to temporary credentials.")
                    : "The security token included in the request is invalid: the access key id "
                      "belongs to long-term credentials, which take no session token.");
  }

  // 6. Payload hash.
  std::string payload_hash =
      request.payload_hash.has_value() ? *request.payload_hash : Sha256Hex(request.body);
  if (!inputs.expires.has_value() && Contains(inputs.signed_headers, "x-amz-content-sha256")) {
    const HttpHeader* header = FindHeader(request.headers, kContentSha256Header);
    if (header == nullptr) {
      return Fail(AuthErrorCode::kInvalidSignature,
                  "SignedHeaders names 'x-amz-content-sha256' but the request has no such header.");
    }
    if (header->value == kUnsignedPayload) {
      if (!config_.allow_unsigned_payload) {
        return Fail(AuthErrorCode::kInvalidSignature,
                    "UNSIGNED-PAYLOAD is not accepted here; sign the payload.");
      }
      payload_hash = std::string(kUnsignedPayload);
    } else if (header->value != payload_hash) {
      return Fail(AuthErrorCode::kInvalidSignature,
                  "The x-amz-content-sha256 header does not match the SHA-256 of the body.");
    }
  }

  // 7. Signature.
  CanonicalRequestOptions options;
  options.normalize_path = config_.normalize_path;
  options.double_uri_encode = config_.double_uri_encode;
  options.signed_headers = std::span<const std::string>(inputs.signed_headers);
  options.excluded_query_key = inputs.excluded_query_key;
  absl::StatusOr<CanonicalRequest> canonical =
      BuildCanonicalRequest(request, payload_hash, options);
  if (!canonical.ok()) {
    return Fail(AuthErrorCode::kInvalidSignature,
                absl::StrCat("Cannot canonicalize the request: ", canonical.status().message()));
  }
  std::string string_to_sign = BuildStringToSign(canonical->text, amz_date, scope.ToString());
  SigningKey key = key_cache_.GetOrDerive(credentials->secret_access_key(), scope.date,
                                          scope.region, scope.service);
  std::string expected = ComputeSignature(key, string_to_sign);
  if (!ConstantTimeEquals(expected, inputs.signature)) {
    return Fail(AuthErrorCode::kInvalidSignature,
                "The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method.");
  }
  OPENSSL_cleanse(expected.data(), expected.size());

  VerifiedRequest verified;
  verified.access_key_id = inputs.credential.access_key_id;
  verified.scope = scope;
  verified.signing_time = inputs.signing_time;
  verified.signed_headers = inputs.signed_headers;
  verified.presigned = inputs.expires.has_value();
  return VerificationResult::Success(std::move(verified));
}

}  // namespace awsgw::auth
