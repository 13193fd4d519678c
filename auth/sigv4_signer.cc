// Sigv4Signer: prepares the request (date, token, payload-hash headers or the
// presigning parameters), then runs the three SigV4 stages and attaches the
// result.
#include "auth/sigv4_signer.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "auth/canonical_request.h"
#include "auth/crypto.h"
#include "auth/signature.h"
#include "auth/sigv4_names.h"
#include "auth/sigv4_time.h"
#include "auth/string_to_sign.h"
#include "http/uri_encoding.h"

namespace awsgw::auth {
namespace {

absl::Status ValidateCredentials(const Credentials& credentials) {
  const std::string& akid = credentials.access_key_id();
  if (akid.empty()) return absl::InvalidArgumentError("credentials have no access key id");
  for (char c : akid) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '/' || c == ',' || c == '=' || u <= 0x20 || u == 0x7f) {
      return absl::InvalidArgumentError(
          "access key id contains '/', ',', '=', whitespace or a control character");
    }
  }
  if (credentials.secret_access_key().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("credentials for ", akid, " have no secret access key"));
  }
  return absl::OkStatus();
}

std::string PayloadHash(const HttpRequest& request, PayloadHashMode mode) {
  if (mode == PayloadHashMode::kUnsignedPayload) return std::string(kUnsignedPayload);
  if (request.payload_hash.has_value()) return *request.payload_hash;
  return Sha256Hex(request.body);
}

void AddQueryParam(HttpRequest& request, absl::string_view key, absl::string_view decoded_value) {
  request.query.push_back(QueryParam{std::string(key), http::UriEncode(decoded_value)});
}

}  // namespace

Sigv4Signer::Sigv4Signer(size_t key_cache_capacity) : key_cache_(key_cache_capacity) {}

absl::StatusOr<SigningResult> Sigv4Signer::Sign(HttpRequest& request,
                                                const Credentials& credentials,
                                                const SigningConfig& config) const {
  if (absl::Status s = ValidateSigningConfig(config); !s.ok()) return s;
  if (absl::Status s = ValidateCredentials(credentials); !s.ok()) return s;
  if (FindHeader(request.headers, kHostHeader) == nullptr) {
    return absl::InvalidArgumentError("request has no Host header; SigV4 signs the host");
  }

  const std::string amz_date = FormatAmzDate(config.signing_time);
  const CredentialScope scope =
      MakeCredentialScope(config.signing_time, config.region, config.service);
  const std::string scope_text = scope.ToString();
  const std::string payload_hash = PayloadHash(request, config.payload_hash_mode);
  const bool token_signed =
      credentials.has_session_token() && config.session_token_mode == SessionTokenMode::kSigned;
  const bool token_after = credentials.has_session_token() &&
                           config.session_token_mode == SessionTokenMode::kAddedAfterSigning;
  const bool in_headers = config.location == SignatureLocation::kHeaders;

  // Drop whatever an earlier signing left behind, so a retry signs cleanly.
  RemoveHeaders(request.headers, kAuthorizationHeader);
  if (in_headers) {
    RemoveHeaders(request.headers, kSecurityTokenHeader);
    SetHeader(request.headers, kAmzDateHeader, amz_date);
    if (token_signed) {
      request.headers.push_back(
          HttpHeader{std::string(kSecurityTokenHeader), std::string(credentials.session_token())});
    }
    if (config.add_content_sha256_header) {
      SetHeader(request.headers, kContentSha256Header, payload_hash);
    }
  } else {
    for (absl::string_view key : {kAlgorithmParam, kCredentialParam, kDateParam, kExpiresParam,
                                  kSignedHeadersParam, kSecurityTokenParam, kSignatureParam}) {
      RemoveQueryParams(request.query, key);
    }
    AddQueryParam(request, kAlgorithmParam, kSigningAlgorithm);
    AddQueryParam(request, kCredentialParam,
                  absl::StrCat(credentials.access_key_id(), "/", scope_text));
    AddQueryParam(request, kDateParam, amz_date);
    AddQueryParam(request, kSignedHeadersParam, SignedHeaderList(request.headers));
    AddQueryParam(request, kExpiresParam, absl::StrCat(absl::ToInt64Seconds(config.expires)));
    if (token_signed) AddQueryParam(request, kSecurityTokenParam, credentials.session_token());
  }

  CanonicalRequestOptions options;
  options.normalize_path = config.normalize_path;
  options.double_uri_encode = config.double_uri_encode;
  absl::StatusOr<CanonicalRequest> canonical =
      BuildCanonicalRequest(request, payload_hash, options);
  if (!canonical.ok()) return canonical.status();

  SigningResult result;
  result.string_to_sign = BuildStringToSign(canonical->text, amz_date, scope_text);
  SigningKey key = key_cache_.GetOrDerive(credentials.secret_access_key(), scope.date,
                                          config.region, config.service);
  result.signature = ComputeSignature(key, result.string_to_sign);

  if (in_headers) {
    result.authorization = BuildAuthorizationValue(credentials.access_key_id(), scope_text,
                                                   canonical->signed_headers, result.signature);
    request.headers.push_back(HttpHeader{std::string(kAuthorizationHeader), result.authorization});
    if (token_after) {
      request.headers.push_back(
          HttpHeader{std::string(kSecurityTokenHeader), std::string(credentials.session_token())});
    }
  } else {
    AddQueryParam(request, kSignatureParam, result.signature);
    if (token_after) AddQueryParam(request, kSecurityTokenParam, credentials.session_token());
  }
  result.canonical_request = std::move(canonical->text);
  return result;
}

}  // namespace awsgw::auth
