#include "auth/providers/sts_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "auth/providers/credentials_json.h"

namespace awsgw::auth::providers {
namespace {

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocument = std::unique_ptr<xmlDoc, DocFree>;

XmlDocument Parse(absl::string_view xml) {
  // libxml2 must be initialised once before threads use it.
  static const bool initialized = (xmlInitParser(), true);
  (void)initialized;
  // NONET: never fetch anything; no NOENT: entities are not substituted.
  return XmlDocument(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "sts.xml", nullptr,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

bool IsElement(const xmlNode* node, absl::string_view name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE &&
         absl::string_view(reinterpret_cast<const char*>(node->name)) == name;
}

// The first child element of `parent` called `name`.
const xmlNode* Child(const xmlNode* parent, absl::string_view name) {
  if (parent == nullptr) return nullptr;
  for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (IsElement(child, name)) return child;
  }
  return nullptr;
}

// The trimmed text of `node`'s child `name`; nullopt when there is none.
std::optional<std::string> ChildText(const xmlNode* node, absl::string_view name) {
  const xmlNode* child = Child(node, name);
  if (child == nullptr) return std::nullopt;
  xmlChar* content = xmlNodeGetContent(child);
  std::string text(
      absl::StripAsciiWhitespace(content == nullptr ? "" : reinterpret_cast<const char*>(content)));
  xmlFree(content);
  return text;
}

}  // namespace

absl::StatusOr<Credentials> ParseStsCredentials(absl::string_view xml, absl::string_view action) {
  auto fail = [&action](absl::string_view why) {
    return absl::UnavailableError(absl::StrCat("STS ", action, ": ", why));
  };
  XmlDocument doc = Parse(xml);
  if (doc == nullptr) return fail("the answer is not well-formed XML");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!IsElement(root, absl::StrCat(action, "Response"))) {
    return fail(absl::StrCat("the answer is not an ", action, "Response"));
  }
  const xmlNode* credentials = Child(Child(root, absl::StrCat(action, "Result")), "Credentials");
  if (credentials == nullptr) return fail("the answer holds no Credentials");
  std::optional<std::string> id = ChildText(credentials, "AccessKeyId");
  std::optional<std::string> secret = ChildText(credentials, "SecretAccessKey");
  std::optional<std::string> token = ChildText(credentials, "SessionToken");
  std::optional<std::string> expiration = ChildText(credentials, "Expiration");
  if (!id.has_value() || id->empty()) return fail("AccessKeyId is missing");
  if (!secret.has_value() || secret->empty()) return fail("SecretAccessKey is missing");
  if (!token.has_value() || token->empty()) return fail("SessionToken is missing");
  if (!expiration.has_value()) return fail("Expiration is missing");
  absl::StatusOr<absl::Time> expires = ParseIso8601(*expiration);
  if (!expires.ok()) return fail(absl::StrCat("Expiration: ", expires.status().message()));
  return Credentials(*id, *secret, *token, *expires);
}

StsError ParseStsError(absl::string_view xml) {
  XmlDocument doc = Parse(xml);
  if (doc == nullptr) return {};
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!IsElement(root, "ErrorResponse")) return {};
  const xmlNode* error = Child(root, "Error");
  return StsError{ChildText(error, "Code").value_or(""), ChildText(error, "Message").value_or("")};
}

}  // namespace awsgw::auth::providers
