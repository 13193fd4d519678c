// Redaction works on a mask: each rule marks the bytes it finds secret, then
// every run of marked bytes becomes one "[redacted]". Rules never need to
// agree on boundaries, and overlapping finds merge.
#include "base/secret_redaction.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"

namespace awsgw::base {
namespace {

// Phrases AWS's signature-mismatch errors put before the canonical request
// and the string to sign they quote; everything after them goes.
constexpr absl::string_view kSignatureDumps[] = {
    "The Canonical String for this request should have been",
    "The String-to-Sign should have been",
};

// Keys whose value is a credential, matched case-insensitively at a word
// start and followed by ':' or '=' (quotes and spaces allowed around).
constexpr absl::string_view kSecretKeys[] = {
    "x-amz-security-token", "authorization",     "signature",     "credential", "secretaccesskey",
    "sessiontoken",         "secret_access_key", "session_token", "token",      "password",
};

// A key's value that runs to the end of the line (its value has spaces).
bool RunsToEndOfLine(absl::string_view key) { return key == "authorization"; }

bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '-'; }

bool IsBase64UrlChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '-'; }

void Mark(std::vector<bool>& mask, size_t begin, size_t end) {
  std::fill(mask.begin() + begin, mask.begin() + end, true);
}

void MarkKnownSecret(absl::string_view text, absl::string_view secret, std::vector<bool>& mask) {
  if (secret.size() < 8) return;
  // A prefix of 16 characters identifies a quoted (perhaps cut) secret.
  const absl::string_view prefix = secret.substr(0, std::min<size_t>(16, secret.size()));
  for (size_t at = text.find(prefix); at != absl::string_view::npos;) {
    size_t length = prefix.size();
    while (at + length < text.size() && length < secret.size() &&
           text[at + length] == secret[length]) {
      ++length;
    }
    Mark(mask, at, at + length);
    at = text.find(prefix, at + length);  // finds never overlap: linear
  }
}

void MarkKeyValues(absl::string_view text, absl::string_view lower, std::vector<bool>& mask) {
  for (absl::string_view key : kSecretKeys) {
    for (size_t at = lower.find(key), next = 0; at != absl::string_view::npos;
         at = lower.find(key, next)) {
      next = at + 1;
      if (at > 0 && IsWordChar(text[at - 1])) continue;
      size_t i = at + key.size();
      if (i < text.size() && IsWordChar(text[i])) continue;  // a longer word
      // Optional closing quote of a JSON key (also escaped), spaces, then
      // the separator.
      while (i < text.size() && (text[i] == '"' || text[i] == '\\' || text[i] == ' ')) ++i;
      if (i >= text.size() || (text[i] != ':' && text[i] != '=')) continue;
      ++i;
      while (i < text.size() && (text[i] == '"' || text[i] == '\\' || text[i] == ' ')) ++i;
      size_t end = i;
      const bool to_line_end = RunsToEndOfLine(key);
      while (end < text.size()) {
        const char c = text[end];
        if (c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '\\') break;
        if (!to_line_end && (c == ' ' || c == '&' || c == ',' || c == ';' || c == '\t')) break;
        ++end;
      }
      if (end > i) Mark(mask, i, end);
      next = std::max(next, end);  // a value is scanned once: linear
    }
  }
}

// AKIA/ASIA followed by 16 upper-case letters or digits, as a whole word.
void MarkAccessKeyIds(absl::string_view text, std::vector<bool>& mask) {
  for (size_t at = 0; at + 20 <= text.size(); ++at) {
    const absl::string_view head = text.substr(at, 4);
    if (head != "AKIA" && head != "ASIA") continue;
    if (at > 0 && absl::ascii_isalnum(text[at - 1])) continue;
    size_t end = at + 4;
    while (end < text.size() && end < at + 20 &&
           (absl::ascii_isupper(text[end]) || absl::ascii_isdigit(text[end]))) {
      ++end;
    }
    if (end != at + 20) continue;
    if (end < text.size() && absl::ascii_isalnum(text[end])) continue;
    Mark(mask, at, end);
  }
}

// "eyJ..." base64url, '.', base64url, '.', base64url (possibly empty).
void MarkJsonWebTokens(absl::string_view text, std::vector<bool>& mask) {
  for (size_t at = text.find("eyJ"); at != absl::string_view::npos;) {
    size_t i = at;
    int dots = 0;
    while (i < text.size() && (IsBase64UrlChar(text[i]) || (text[i] == '.' && dots < 2))) {
      if (text[i] == '.') ++dots;
      ++i;
    }
    if (dots == 2) Mark(mask, at, i);
    // A token starting inside the run just scanned would end where it did.
    at = text.find("eyJ", std::max(i, at + 1));
  }
}

}  // namespace

std::string RedactSecrets(absl::string_view text,
                          absl::Span<const absl::string_view> known_secrets) {
  size_t cut = text.size();
  for (absl::string_view phrase : kSignatureDumps) {
    cut = std::min(cut,
                   text.find(phrase) == absl::string_view::npos ? text.size() : text.find(phrase));
  }
  const bool dump_removed = cut < text.size();
  text = text.substr(0, cut);

  std::vector<bool> mask(text.size(), false);
  for (absl::string_view secret : known_secrets) MarkKnownSecret(text, secret, mask);
  const std::string lower = absl::AsciiStrToLower(text);
  MarkKeyValues(text, lower, mask);
  MarkAccessKeyIds(text, mask);
  MarkJsonWebTokens(text, mask);

  std::string out;
  out.reserve(text.size() + kRedacted.size());
  for (size_t i = 0; i < text.size();) {
    if (!mask[i]) {
      out.push_back(text[i++]);
      continue;
    }
    out.append(kRedacted.data(), kRedacted.size());
    while (i < text.size() && mask[i]) ++i;
  }
  if (dump_removed) {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
    out.append("[the quoted canonical request and string to sign are redacted]");
  }
  return out;
}

}  // namespace awsgw::base
