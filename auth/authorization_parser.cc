// Strict, bounded parsing of SigV4 Authorization headers and their pieces.
#include "auth/authorization_parser.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace awsgw::auth {
namespace {

// At most this much of a rejected input is quoted back in a message.
constexpr size_t kQuoteLimit = 80;

std::string Quote(absl::string_view text) {
  std::string out = "'";
  for (char c : text.substr(0, kQuoteLimit)) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u >= 0x7f ? '?' : c);
  }
  if (text.size() > kQuoteLimit) out.append("...");
  out.push_back('\'');
  return out;
}

bool IsTokenChar(unsigned char c) {
  return absl::ascii_isalnum(c) ||
         absl::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != absl::string_view::npos;
}

bool IsScopePart(absl::string_view part) {
  if (part.empty()) return false;
  for (char c : part) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == ',' || c == '=') return false;
  }
  return true;
}

absl::string_view TrimSpaces(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

absl::StatusOr<ParsedCredential> ParseCredential(absl::string_view credential) {
  std::vector<absl::string_view> parts = absl::StrSplit(credential, '/');
  if (parts.size() != 5) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Credential must be AKID/YYYYMMDD/region/service/aws4_request (5 parts separated by '/'), "
        "got ",
        parts.size(), " parts in ", Quote(credential)));
  }
  for (absl::string_view part : parts) {
    if (!IsScopePart(part)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Credential has an empty part or one with whitespace, ',' or '=': ", Quote(credential)));
    }
  }
  if (parts[1].size() != 8 || !std::all_of(parts[1].begin(), parts[1].end(),
                                           [](char c) { return absl::ascii_isdigit(c); })) {
    return absl::InvalidArgumentError(
        absl::StrCat("Credential date must be YYYYMMDD, got ", Quote(parts[1])));
  }
  if (parts[4] != kScopeTerminator) {
    return absl::InvalidArgumentError(
        absl::StrCat("Credential should be scoped with a valid terminator: 'aws4_request', not ",
                     Quote(parts[4])));
  }
  return ParsedCredential{
      std::string(parts[0]),
      CredentialScope{std::string(parts[1]), std::string(parts[2]), std::string(parts[3])}};
}

absl::StatusOr<std::vector<std::string>> ParseSignedHeaders(absl::string_view list) {
  std::vector<std::string> names;
  for (absl::string_view name : absl::StrSplit(list, ';')) {
    bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return IsTokenChar(static_cast<unsigned char>(c)) && !absl::ascii_isupper(c);
    });
    if (!valid) {
      return absl::InvalidArgumentError(absl::StrCat(
          "SignedHeaders must be ';'-separated lowercase header names, got ", Quote(list)));
    }
    if (!names.empty() && !(names.back() < name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("SignedHeaders must be sorted and without repeats, got ", Quote(list)));
    }
    names.emplace_back(name);
  }
  return names;
}

absl::Status ValidateSignatureFormat(absl::string_view signature) {
  bool valid = signature.size() == 64 &&
               std::all_of(signature.begin(), signature.end(),
                           [](char c) { return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'); });
  if (!valid) {
    return absl::InvalidArgumentError(
        absl::StrCat("Signature must be 64 lowercase hex characters, got ", Quote(signature)));
  }
  return absl::OkStatus();
}

absl::StatusOr<ParsedAuthorization> ParseAuthorizationHeader(absl::string_view value) {
  if (value.size() > kMaxAuthorizationSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("Authorization header is longer than ", kMaxAuthorizationSize, " bytes"));
  }
  value = TrimSpaces(value);
  size_t space = value.find_first_of(" \t");
  absl::string_view algorithm = value.substr(0, space);
  if (algorithm != kSigningAlgorithm) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Unsupported Authorization algorithm ", Quote(algorithm), "; expected AWS4-HMAC-SHA256"));
  }
  absl::string_view rest = TrimSpaces(space == absl::string_view::npos ? "" : value.substr(space));

  std::optional<absl::string_view> credential, signed_headers, signature;
  // An empty rest has no parameters (reported below as missing), not one
  // empty parameter; an empty item anywhere else is an error.
  std::vector<absl::string_view> items;
  if (!rest.empty()) items = absl::StrSplit(rest, ',');
  for (absl::string_view item : items) {
    item = TrimSpaces(item);
    size_t eq = item.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("Authorization parameter ", Quote(item),
                                                     " is not a key=value pair (the three "
                                                     "parameters are separated by ',')"));
    }
    absl::string_view key = item.substr(0, eq);
    std::optional<absl::string_view>* slot = key == "Credential"      ? &credential
                                             : key == "SignedHeaders" ? &signed_headers
                                             : key == "Signature"     ? &signature
                                                                      : nullptr;
    if (slot == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("Unknown Authorization parameter ", Quote(key),
                       "; expected Credential, SignedHeaders and Signature"));
    }
    if (slot->has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Authorization parameter ", Quote(key), " appears more than once"));
    }
    *slot = item.substr(eq + 1);
  }
  for (auto [name, slot] :
       {std::pair{"Credential", &credential}, std::pair{"SignedHeaders", &signed_headers},
        std::pair{"Signature", &signature}}) {
    if (!slot->has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Authorization header requires '", name, "' parameter"));
    }
  }

  ParsedAuthorization parsed;
  absl::StatusOr<ParsedCredential> parsed_credential = ParseCredential(*credential);
  if (!parsed_credential.ok()) return parsed_credential.status();
  parsed.credential = *std::move(parsed_credential);
  absl::StatusOr<std::vector<std::string>> names = ParseSignedHeaders(*signed_headers);
  if (!names.ok()) return names.status();
  parsed.signed_headers = *std::move(names);
  if (absl::Status s = ValidateSignatureFormat(*signature); !s.ok()) return s;
  parsed.signature = std::string(*signature);
  return parsed;
}

}  // namespace awsgw::auth
