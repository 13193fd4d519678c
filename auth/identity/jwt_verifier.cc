#include "auth/identity/jwt_verifier.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "auth/identity/jws_signature.h"

namespace awsgw::auth::identity {
namespace {

namespace reason = failure_reason;

absl::string_view View(const boost::json::string& s) { return {s.data(), s.size()}; }

// A NumericDate (RFC 7519 section 2): seconds since the epoch, integer or
// float. nullopt for any other JSON type or a non-finite value.
std::optional<absl::Time> NumericDate(const boost::json::value& value) {
  if (const int64_t* i = value.if_int64(); i != nullptr) return absl::FromUnixSeconds(*i);
  if (const uint64_t* u = value.if_uint64(); u != nullptr) {
    if (*u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return absl::InfiniteFuture();
    }
    return absl::FromUnixSeconds(static_cast<int64_t>(*u));
  }
  if (const double* d = value.if_double(); d != nullptr && std::isfinite(*d)) {
    return absl::UnixEpoch() + absl::Seconds(*d);
  }
  return std::nullopt;
}

bool IsPrincipalText(absl::string_view text, size_t max_bytes) {
  if (text.empty() || text.size() > max_bytes) return false;
  for (char c : text) {
    if (c < 0x21 || c > 0x7e) return false;  // printable ASCII, no space
  }
  return true;
}

bool IsGroupText(absl::string_view text, size_t max_bytes) {
  if (text.empty() || text.size() > max_bytes) return false;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return false;  // UTF-8 allowed, controls not
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(std::vector<JwtIssuer> issuers,
                                                                 JwtVerifierOptions options) {
  if (issuers.empty()) return absl::InvalidArgumentError("JWT: no issuer configured");
  if (options.max_token_bytes == 0 || options.max_keys_tried == 0 || options.max_groups == 0 ||
      options.max_group_bytes == 0 || options.max_principal_bytes == 0) {
    return absl::InvalidArgumentError("JWT: limits must be positive");
  }
  absl::flat_hash_set<std::string> seen;
  for (const JwtIssuer& issuer : issuers) {
    const IssuerSettings& s = issuer.settings;
    if (s.issuer.empty()) return absl::InvalidArgumentError("JWT: an issuer has an empty name");
    auto fail = [&s](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat("JWT issuer ", s.issuer, ": ", why));
    };
    if (!seen.insert(s.issuer).second) return fail("configured twice");
    if (s.audiences.empty()) return fail("no audience configured (one is required)");
    for (const std::string& audience : s.audiences) {
      if (audience.empty()) return fail("an audience is empty");
    }
    if (s.principal_claim.empty()) return fail("empty principal claim");
    if (s.leeway < absl::ZeroDuration()) return fail("negative leeway");
    if (issuer.keys == nullptr) return fail("no key source");
  }
  return std::unique_ptr<JwtVerifier>(new JwtVerifier(std::move(issuers), options));
}

JwtVerifier::JwtVerifier(std::vector<JwtIssuer> issuers, JwtVerifierOptions options)
    : issuers_(std::move(issuers)), options_(options) {}

const JwtIssuer* JwtVerifier::FindIssuer(absl::string_view iss) const {
  for (const JwtIssuer& issuer : issuers_) {
    if (issuer.settings.issuer == iss) return &issuer;
  }
  return nullptr;
}

AuthOutcome JwtVerifier::Verify(absl::string_view token, absl::Time now) const {
  if (token.size() > options_.max_token_bytes) {
    return AuthOutcome::Failure(
        reason::kTokenTooLarge,
        absl::StrCat("bearer token is over ", options_.max_token_bytes, " bytes"));
  }
  absl::StatusOr<ParsedJwt> jwt = ParseCompactJwt(token, options_.max_token_bytes);
  if (!jwt.ok()) {
    return AuthOutcome::Failure(reason::kMalformedToken,
                                absl::StrCat("malformed bearer token: ", jwt.status().message()));
  }
  const std::optional<JwsAlgorithm> alg = JwsAlgorithmFromName(jwt->alg);
  if (!alg.has_value()) {
    return AuthOutcome::Failure(
        reason::kUnsupportedAlgorithm,
        absl::StrCat("token algorithm ", QuoteForMessage(jwt->alg),
                     " is not accepted (RS256, PS256, ES256, ES384 or EdDSA)"));
  }

  const boost::json::value* iss = jwt->claims.if_contains("iss");
  if (iss == nullptr || !iss->is_string()) {
    return AuthOutcome::Failure(reason::kMissingClaim, "token has no string \"iss\" claim");
  }
  const JwtIssuer* issuer = FindIssuer(View(iss->get_string()));
  if (issuer == nullptr) {
    return AuthOutcome::Failure(
        reason::kWrongIssuer,
        absl::StrCat("token issuer ", QuoteForMessage(View(iss->get_string())),
                     " is not trusted by this gateway"));
  }
  const std::string& issuer_name = issuer->settings.issuer;

  // Which keys may check this signature: by kid when the token names one,
  // else every key whose type fits the algorithm.
  const std::shared_ptr<const JsonWebKeySet> keys = issuer->keys->Current();
  std::vector<const JsonWebKey*> candidates;
  bool kid_known = false;
  if (keys != nullptr) {
    for (const JsonWebKey& key : keys->keys()) {
      if (jwt->kid.has_value()) {
        if (key.kid() != jwt->kid) continue;
        kid_known = true;
      }
      if (key.CanVerify(*alg) && candidates.size() < options_.max_keys_tried) {
        candidates.push_back(&key);
      }
    }
  }
  if (candidates.empty()) {
    const std::string which =
        jwt->kid.has_value() ? absl::StrCat("key ", QuoteForMessage(*jwt->kid))
                             : absl::StrCat("no key id and no ", JwsAlgorithmName(*alg), " key");
    if (kid_known) {
      // The kid exists but names a key of another type (or restricted to
      // another alg): the algorithm-confusion attempt. Not a rotation, so
      // no refresh.
      return AuthOutcome::Failure(reason::kUnsupportedAlgorithm,
                                  absl::StrCat(which, " of issuer ", issuer_name, " cannot verify ",
                                               JwsAlgorithmName(*alg)));
    }
    issuer->keys->RequestRefresh();
    return AuthOutcome::Failure(reason::kUnknownKey,
                                absl::StrCat(which, " is not known for issuer ", issuer_name));
  }
  bool verified = false;
  for (const JsonWebKey* key : candidates) {
    if (VerifyJwsSignature(*alg, *key, jwt->signing_input, jwt->signature)) {
      verified = true;
      break;
    }
  }
  if (!verified) {
    return AuthOutcome::Failure(
        reason::kBadSignature,
        absl::StrCat("token signature does not verify with the keys of ", issuer_name));
  }
  return CheckClaims(*issuer, *jwt, now);
}

AuthOutcome JwtVerifier::CheckClaims(const JwtIssuer& issuer, const ParsedJwt& jwt,
                                     absl::Time now) const {
  const IssuerSettings& settings = issuer.settings;
  const boost::json::object& claims = jwt.claims;

  const boost::json::value* exp = claims.if_contains("exp");
  if (exp == nullptr) return AuthOutcome::Failure(reason::kMissingClaim, "token has no \"exp\"");
  const std::optional<absl::Time> expires = NumericDate(*exp);
  if (!expires.has_value()) {
    return AuthOutcome::Failure(reason::kMalformedToken, "token \"exp\" is not a number");
  }
  if (now >= *expires + settings.leeway) {
    return AuthOutcome::Failure(reason::kExpired, "token has expired");
  }
  if (const boost::json::value* nbf = claims.if_contains("nbf"); nbf != nullptr) {
    const std::optional<absl::Time> not_before = NumericDate(*nbf);
    if (!not_before.has_value()) {
      return AuthOutcome::Failure(reason::kMalformedToken, "token \"nbf\" is not a number");
    }
    if (now < *not_before - settings.leeway) {
      return AuthOutcome::Failure(reason::kNotYetValid, "token is not valid yet (\"nbf\")");
    }
  }

  const boost::json::value* aud = claims.if_contains("aud");
  if (aud == nullptr) return AuthOutcome::Failure(reason::kMissingClaim, "token has no \"aud\"");
  std::vector<absl::string_view> audiences;
  if (aud->is_string()) {
    audiences.push_back(View(aud->get_string()));
  } else if (const boost::json::array* list = aud->if_array(); list != nullptr) {
    for (const boost::json::value& item : *list) {
      if (!item.is_string()) {
        return AuthOutcome::Failure(reason::kMalformedToken,
                                    "token \"aud\" holds something other than strings");
      }
      audiences.push_back(View(item.get_string()));
    }
  } else {
    return AuthOutcome::Failure(reason::kMalformedToken,
                                "token \"aud\" is neither a string nor an array");
  }
  bool audience_ok = false;
  for (absl::string_view audience : audiences) {
    for (const std::string& wanted : settings.audiences) {
      audience_ok = audience_ok || audience == wanted;
    }
  }
  if (!audience_ok) {
    return AuthOutcome::Failure(
        reason::kWrongAudience,
        absl::StrCat("token is not meant for this gateway (issuer ", settings.issuer, ")"));
  }

  CallerIdentity identity;
  identity.method = AuthMethod::kJwt;
  const boost::json::value* principal = claims.if_contains(settings.principal_claim);
  if (principal == nullptr || !principal->is_string() ||
      !IsPrincipalText(View(principal->get_string()), options_.max_principal_bytes)) {
    return AuthOutcome::Failure(reason::kMissingClaim,
                                absl::StrCat("token has no usable \"", settings.principal_claim,
                                             "\" claim (a non-empty printable string of at most ",
                                             options_.max_principal_bytes, " bytes)"));
  }
  identity.principal = std::string(principal->get_string());

  if (!settings.groups_claim.empty()) {
    if (const boost::json::value* groups = claims.if_contains(settings.groups_claim);
        groups != nullptr) {
      const std::string bad_groups = absl::StrCat(
          "token claim \"", settings.groups_claim, "\" is not a string or a list of at most ",
          options_.max_groups, " strings of 1 to ", options_.max_group_bytes, " bytes");
      auto add = [&](const boost::json::value& group) {
        if (!group.is_string() || identity.groups.size() >= options_.max_groups ||
            !IsGroupText(View(group.get_string()), options_.max_group_bytes)) {
          return false;
        }
        identity.groups.emplace_back(group.get_string());
        return true;
      };
      if (const boost::json::array* list = groups->if_array(); list != nullptr) {
        for (const boost::json::value& group : *list) {
          if (!add(group)) return AuthOutcome::Failure(reason::kMalformedToken, bad_groups);
        }
      } else if (!add(*groups)) {
        return AuthOutcome::Failure(reason::kMalformedToken, bad_groups);
      }
    }
  }
  return AuthOutcome::Success(std::move(identity));
}

}  // namespace awsgw::auth::identity
