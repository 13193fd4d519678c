#include "gateway/config/callers_loader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "auth/policy/patterns.h"
#include "base/status_macros.h"
#include "gateway/config/read_file.h"
#include "gateway/config/yaml_document.h"

namespace awsgw::gateway::config {
namespace {

constexpr absl::string_view kCallersKeys[] = {
    "allow_unauthenticated", "account_id", "authentication", "policy",
    "policy_file",           "limits",     "audit"};
constexpr absl::string_view kAuthenticationKeys[] = {"mtls", "jwt", "api_keys"};
constexpr absl::string_view kMtlsKeys[] = {"principal_from"};
constexpr absl::string_view kPrincipalSources[] = {"auto", "spiffe", "dns", "cn"};
constexpr absl::string_view kJwtKeys[] = {"issuers", "max_token_bytes"};
constexpr absl::string_view kIssuerKeys[] = {
    "issuer",          "audiences",    "jwks_file", "jwks_url",         "jwks_ca_file",
    "principal_claim", "groups_claim", "leeway",    "refresh_interval", "min_refresh_interval"};
constexpr absl::string_view kApiKeyKeys[] = {"sha256", "principal", "groups"};
constexpr absl::string_view kStatementKeys[] = {"id",      "effect",    "principals",
                                                "actions", "resources", "conditions"};
constexpr absl::string_view kEffects[] = {"allow", "deny"};
constexpr absl::string_view kLimitsKeys[] = {"rules", "max_watch_streams_per_principal",
                                             "max_tracked_callers"};
constexpr absl::string_view kRuleKeys[] = {"id",    "principals", "actions",      "rate",
                                           "burst", "per",        "max_in_flight"};
constexpr absl::string_view kPerChoices[] = {"principal", "group"};
constexpr absl::string_view kAuditKeys[] = {"file"};
constexpr absl::string_view kPolicyFileKeys[] = {"statements"};
constexpr int kDefaultWatchStreamsPerPrincipal = 100;

std::string Origin(const ConfigNode& node, const std::string& source) {
  return absl::StrCat(source, ":", node.line());
}

absl::Status ReadRequiredString(const ConfigNode& node, absl::string_view key, std::string* out) {
  std::optional<std::string> value;
  AWSGW_RETURN_IF_ERROR(node.ReadString(key, &value));
  if (!value) return node.Error(absl::StrCat(key, " is required"));
  *out = *std::move(value);
  return absl::OkStatus();
}

// A list of patterns under `key`, each checked by `validate` at its own line.
absl::Status ReadPatterns(const ConfigNode& node, absl::string_view key, bool required,
                          absl::Status (*validate)(absl::string_view),
                          std::vector<std::string>* out) {
  std::optional<ConfigNode> child = node.Child(key);
  std::optional<std::vector<std::string>> values;
  AWSGW_RETURN_IF_ERROR(node.ReadStringList(key, &values));
  if (!values || values->empty()) {
    return required ? node.Error(absl::StrCat(key, " needs at least one entry")) : absl::OkStatus();
  }
  if (validate != nullptr) {
    absl::StatusOr<std::vector<ConfigNode>> items = child->Items();
    for (size_t i = 0; i < values->size(); ++i) {
      absl::Status status = validate((*values)[i]);
      if (status.ok()) continue;
      const ConfigNode& at = items.ok() && i < items->size() ? (*items)[i] : *child;
      return at.Error(status.message());
    }
  }
  *out = *std::move(values);
  return absl::OkStatus();
}

absl::Status ReadIssuer(const ConfigNode& node, const std::string& base_dir,
                        const std::string& source, JwtIssuerConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kIssuerKeys));
  out->origin = Origin(node, source);
  AWSGW_RETURN_IF_ERROR(ReadRequiredString(node, "issuer", &out->issuer));
  AWSGW_RETURN_IF_ERROR(ReadPatterns(node, "audiences", true, nullptr, &out->audiences));
  AWSGW_RETURN_IF_ERROR(node.ReadString("jwks_file", &out->jwks_file));
  AWSGW_RETURN_IF_ERROR(node.ReadString("jwks_url", &out->jwks_url));
  AWSGW_RETURN_IF_ERROR(node.ReadString("jwks_ca_file", &out->jwks_ca_file));
  if (out->jwks_file.has_value() == out->jwks_url.has_value()) {
    return node.Error("set exactly one of jwks_file and jwks_url");
  }
  if (out->jwks_file) out->jwks_file = ResolvePath(*out->jwks_file, base_dir);
  if (out->jwks_ca_file) out->jwks_ca_file = ResolvePath(*out->jwks_ca_file, base_dir);
  if (out->jwks_url && !absl::StartsWith(*out->jwks_url, "https://")) {
    return node.Child("jwks_url")->WrongValue("an https:// URL", *out->jwks_url);
  }
  std::optional<std::string> claim;
  AWSGW_RETURN_IF_ERROR(node.ReadString("principal_claim", &claim));
  if (claim) out->principal_claim = *claim;
  claim.reset();
  AWSGW_RETURN_IF_ERROR(node.ReadString("groups_claim", &claim));
  if (claim) out->groups_claim = *claim;
  AWSGW_RETURN_IF_ERROR(
      node.ReadDuration("leeway", absl::ZeroDuration(), absl::Minutes(10), &out->leeway));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("refresh_interval", absl::Seconds(1), absl::Hours(24),
                                          &out->refresh_interval));
  AWSGW_RETURN_IF_ERROR(node.ReadDuration("min_refresh_interval", absl::Seconds(1), absl::Hours(1),
                                          &out->min_refresh_interval));
  return absl::OkStatus();
}

absl::Status ReadJwt(const ConfigNode& node, const std::string& base_dir, const std::string& source,
                     JwtAuthConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kJwtKeys));
  std::optional<int64_t> max_bytes;
  AWSGW_RETURN_IF_ERROR(node.ReadInteger("max_token_bytes", 256, 65536, &max_bytes));
  out->max_token_bytes = max_bytes;
  std::optional<ConfigNode> issuers = node.Child("issuers");
  if (!issuers) return node.Error("issuers is required");
  absl::StatusOr<std::vector<ConfigNode>> items = issuers->Items();
  if (!items.ok()) return items.status();
  if (items->empty()) return issuers->Error("needs at least one issuer");
  for (const ConfigNode& item : *items) {
    JwtIssuerConfig issuer;
    AWSGW_RETURN_IF_ERROR(ReadIssuer(item, base_dir, source, &issuer));
    for (const JwtIssuerConfig& earlier : out->issuers) {
      if (earlier.issuer == issuer.issuer) return item.Error("issuer listed twice");
    }
    out->issuers.push_back(std::move(issuer));
  }
  return absl::OkStatus();
}

bool IsSha256Hex(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status ReadApiKeys(const ConfigNode& node, std::vector<ApiKeyConfig>* out) {
  absl::StatusOr<std::vector<ConfigNode>> items = node.Items();
  if (!items.ok()) return items.status();
  for (const ConfigNode& item : *items) {
    AWSGW_RETURN_IF_ERROR(item.ExpectMapping(kApiKeyKeys));
    ApiKeyConfig key;
    // The hash is not the key, but it is not quoted back either.
    std::optional<std::string> hash;
    AWSGW_RETURN_IF_ERROR(item.ReadString("sha256", &hash, Sensitivity::kSecret));
    if (!hash) return item.Error("sha256 is required (the key itself is never in the file)");
    if (!IsSha256Hex(*hash)) {
      return item.Child("sha256")->Error(
          "expected the key's SHA-256 as 64 hex digits (sha256sum of the key)");
    }
    key.sha256_hex = absl::AsciiStrToLower(*hash);
    AWSGW_RETURN_IF_ERROR(ReadRequiredString(item, "principal", &key.principal));
    std::optional<std::vector<std::string>> groups;
    AWSGW_RETURN_IF_ERROR(item.ReadStringList("groups", &groups));
    if (groups) key.groups = *std::move(groups);
    out->push_back(std::move(key));
  }
  return absl::OkStatus();
}

absl::Status ReadAuthentication(const ConfigNode& node, const std::string& base_dir,
                                const std::string& source, AuthenticationConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kAuthenticationKeys));
  if (std::optional<ConfigNode> mtls = node.Child("mtls")) {
    AWSGW_RETURN_IF_ERROR(mtls->ExpectMapping(kMtlsKeys));
    std::optional<size_t> from;
    AWSGW_RETURN_IF_ERROR(mtls->ReadChoice("principal_from", kPrincipalSources, &from));
    out->mtls = MtlsAuthConfig{};
    if (from) out->mtls->principal_from = static_cast<MtlsAuthConfig::PrincipalFrom>(*from);
  }
  if (std::optional<ConfigNode> jwt = node.Child("jwt")) {
    out->jwt = JwtAuthConfig{};
    AWSGW_RETURN_IF_ERROR(ReadJwt(*jwt, base_dir, source, &*out->jwt));
  }
  if (std::optional<ConfigNode> keys = node.Child("api_keys")) {
    AWSGW_RETURN_IF_ERROR(ReadApiKeys(*keys, &out->api_keys));
  }
  return absl::OkStatus();
}

absl::Status ReadConditions(const ConfigNode& node, std::vector<auth::policy::Condition>* out) {
  absl::StatusOr<std::vector<std::pair<std::string, ConfigNode>>> entries = node.Entries();
  if (!entries.ok()) return entries.status();
  for (const auto& [key, child] : *entries) {
    if (key != "region" && !(absl::StartsWith(key, "request.") && key.size() > 8)) {
      return child.Error("a condition key is \"region\" or \"request.<AWS member name>\"");
    }
    auth::policy::Condition condition;
    condition.key = key;
    std::optional<std::vector<std::string>> values;
    AWSGW_RETURN_IF_ERROR(node.ReadStringList(key, &values));
    if (!values || values->empty()) return child.Error("needs at least one value");
    condition.values = *std::move(values);
    out->push_back(std::move(condition));
  }
  return absl::OkStatus();
}

absl::Status ReadStatements(const ConfigNode& node, const std::string& source,
                            std::vector<auth::policy::Statement>* out) {
  absl::StatusOr<std::vector<ConfigNode>> items = node.Items();
  if (!items.ok()) return items.status();
  for (const ConfigNode& item : *items) {
    AWSGW_RETURN_IF_ERROR(item.ExpectMapping(kStatementKeys));
    auth::policy::Statement statement;
    statement.origin = Origin(item, source);
    std::optional<std::string> id;
    AWSGW_RETURN_IF_ERROR(item.ReadString("id", &id));
    if (id) statement.id = *id;
    std::optional<size_t> effect;
    AWSGW_RETURN_IF_ERROR(item.ReadChoice("effect", kEffects, &effect));
    if (!effect) return item.Error("effect is required (allow or deny)");
    statement.effect = *effect == 0 ? auth::policy::Effect::kAllow : auth::policy::Effect::kDeny;
    AWSGW_RETURN_IF_ERROR(ReadPatterns(
        item, "principals", true, &auth::policy::ValidatePrincipalPattern, &statement.principals));
    AWSGW_RETURN_IF_ERROR(ReadPatterns(item, "actions", true, &auth::policy::ValidateActionPattern,
                                       &statement.actions));
    AWSGW_RETURN_IF_ERROR(ReadPatterns(item, "resources", true, nullptr, &statement.resources));
    if (std::optional<ConfigNode> conditions = item.Child("conditions")) {
      AWSGW_RETURN_IF_ERROR(ReadConditions(*conditions, &statement.conditions));
    }
    for (const auth::policy::Statement& earlier : *out) {
      if (!statement.id.empty() && earlier.id == statement.id) {
        return item.Child("id")->Error(absl::StrCat("statement id also used at ", earlier.origin));
      }
    }
    out->push_back(std::move(statement));
  }
  return absl::OkStatus();
}

absl::Status ReadLimits(const ConfigNode& node, auth::policy::LimitSettings* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kLimitsKeys));
  std::optional<int64_t> streams, tracked;
  AWSGW_RETURN_IF_ERROR(node.ReadInteger("max_watch_streams_per_principal", 0, 1 << 20, &streams));
  if (streams) out->max_watch_streams_per_principal = static_cast<int>(*streams);
  AWSGW_RETURN_IF_ERROR(node.ReadInteger("max_tracked_callers", 1, 10000000, &tracked));
  if (tracked) out->max_tracked_callers = static_cast<size_t>(*tracked);
  std::optional<ConfigNode> rules = node.Child("rules");
  if (!rules) return absl::OkStatus();
  absl::StatusOr<std::vector<ConfigNode>> items = rules->Items();
  if (!items.ok()) return items.status();
  for (const ConfigNode& item : *items) {
    AWSGW_RETURN_IF_ERROR(item.ExpectMapping(kRuleKeys));
    auth::policy::LimitRule rule;
    std::optional<std::string> id;
    AWSGW_RETURN_IF_ERROR(item.ReadString("id", &id));
    rule.id = id.value_or(absl::StrCat("line ", item.line()));
    AWSGW_RETURN_IF_ERROR(ReadPatterns(item, "principals", true,
                                       &auth::policy::ValidatePrincipalPattern, &rule.principals));
    AWSGW_RETURN_IF_ERROR(
        ReadPatterns(item, "actions", true, &auth::policy::ValidateActionPattern, &rule.actions));
    std::optional<double> rate;
    AWSGW_RETURN_IF_ERROR(item.ReadNumber("rate", 0.001, 1e6, &rate));
    std::optional<int64_t> burst, in_flight;
    AWSGW_RETURN_IF_ERROR(item.ReadInteger("burst", 1, 1 << 20, &burst));
    AWSGW_RETURN_IF_ERROR(item.ReadInteger("max_in_flight", 1, 1 << 20, &in_flight));
    if (!rate && !in_flight) return item.Error("a rule needs rate, max_in_flight or both");
    if (burst && !rate) return item.Child("burst")->Error("burst needs rate");
    rule.rate_per_second = rate.value_or(0);
    rule.burst = static_cast<int>(burst.value_or(0));
    rule.max_in_flight = static_cast<int>(in_flight.value_or(0));
    std::optional<size_t> per;
    AWSGW_RETURN_IF_ERROR(item.ReadChoice("per", kPerChoices, &per));
    rule.shared_by_group = per.value_or(0) == 1;
    out->rules.push_back(std::move(rule));
  }
  return absl::OkStatus();
}

// Built-in defaults make a policy that cannot be told apart from a typo, so
// the whole set is checked by the engine that will run it.
absl::Status CheckStatements(const ConfigNode& node,
                             const std::vector<auth::policy::Statement>& statements) {
  absl::StatusOr<std::shared_ptr<const auth::policy::Policy>> policy =
      auth::policy::Policy::Create(statements);
  if (!policy.ok()) return node.Error(policy.status().message());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<auth::policy::Statement>> LoadPolicyFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParsePolicyText(*text, path);
}

absl::StatusOr<std::vector<auth::policy::Statement>> ParsePolicyText(const std::string& text,
                                                                     const std::string& source) {
  absl::StatusOr<YAML::Node> document = LoadOneDocument(text, source);
  if (!document.ok()) return document.status();
  ConfigNode root = ConfigNode::Root(*document, &source);
  AWSGW_RETURN_IF_ERROR(root.ExpectMapping(kPolicyFileKeys));
  std::vector<auth::policy::Statement> statements;
  if (std::optional<ConfigNode> list = root.Child("statements")) {
    AWSGW_RETURN_IF_ERROR(ReadStatements(*list, source, &statements));
  }
  AWSGW_RETURN_IF_ERROR(CheckStatements(root, statements));
  return statements;
}

absl::Status ReadCallers(const ConfigNode& node, const std::string& base_dir, CallersConfig* out) {
  AWSGW_RETURN_IF_ERROR(node.ExpectMapping(kCallersKeys));
  // Streams poll AWS for as long as they are open: a caller gets a bounded
  // number unless the file says otherwise (0: unlimited).
  out->limits.max_watch_streams_per_principal = kDefaultWatchStreamsPerPrincipal;
  const std::string& source = node.source();
  std::optional<bool> open;
  AWSGW_RETURN_IF_ERROR(node.ReadBool("allow_unauthenticated", &open));
  out->allow_unauthenticated = open.value_or(false);
  std::optional<std::string> account;
  AWSGW_RETURN_IF_ERROR(node.ReadString("account_id", &account));
  if (account) {
    if (account->size() != 12 || !std::all_of(account->begin(), account->end(), [](char c) {
          return absl::ascii_isdigit(static_cast<unsigned char>(c));
        })) {
      return node.Child("account_id")->WrongValue("a 12-digit AWS account id", *account);
    }
    out->account_id = *account;
  }
  if (std::optional<ConfigNode> authentication = node.Child("authentication")) {
    AWSGW_RETURN_IF_ERROR(
        ReadAuthentication(*authentication, base_dir, source, &out->authentication));
  }
  if (std::optional<ConfigNode> policy = node.Child("policy")) {
    AWSGW_RETURN_IF_ERROR(ReadStatements(*policy, source, &out->statements));
    AWSGW_RETURN_IF_ERROR(CheckStatements(*policy, out->statements));
  }
  std::optional<std::string> policy_file;
  AWSGW_RETURN_IF_ERROR(node.ReadString("policy_file", &policy_file));
  if (policy_file) {
    out->policy_file = ResolvePath(*policy_file, base_dir);
    absl::StatusOr<std::vector<auth::policy::Statement>> statements =
        LoadPolicyFile(*out->policy_file);
    if (!statements.ok()) return node.Child("policy_file")->Error(statements.status().message());
  }
  if (std::optional<ConfigNode> limits = node.Child("limits")) {
    AWSGW_RETURN_IF_ERROR(ReadLimits(*limits, &out->limits));
  }
  if (std::optional<ConfigNode> audit = node.Child("audit")) {
    AWSGW_RETURN_IF_ERROR(audit->ExpectMapping(kAuditKeys));
    AWSGW_RETURN_IF_ERROR(audit->ReadString("file", &out->audit.file));
    if (out->audit.file && *out->audit.file != "-") {
      out->audit.file = ResolvePath(*out->audit.file, base_dir);
    }
  }
  return absl::OkStatus();
}

}  // namespace awsgw::gateway::config
