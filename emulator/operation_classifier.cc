#include "emulator/operation_classifier.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "awsgw/options.pb.h"

namespace awsgw::emulator {
namespace {

struct VerbPrefix {
  absl::string_view prefix;
  Verb verb;
};

// Longest prefixes first where one is a prefix of another.
constexpr VerbPrefix kPrefixes[] = {
    {"Create", Verb::kCreate},     {"Register", Verb::kCreate}, {"Get", Verb::kRead},
    {"Describe", Verb::kRead},     {"List", Verb::kList},       {"Update", Verb::kUpdate},
    {"Deregister", Verb::kDelete}, {"Delete", Verb::kDelete},
};

// The resource-independent tagging operations every service models alike.
constexpr std::pair<absl::string_view, Verb> kTagOperations[] = {
    {"TagResource", Verb::kTag},
    {"UntagResource", Verb::kUntag},
    {"ListTagsForResource", Verb::kListTags},
};

std::string Separated(absl::string_view pascal, char separator) {
  std::string out;
  for (size_t i = 0; i < pascal.size(); ++i) {
    const char c = pascal[i];
    if (absl::ascii_isupper(c) && i > 0 &&
        (absl::ascii_islower(pascal[i - 1]) ||
         (i + 1 < pascal.size() && absl::ascii_islower(pascal[i + 1])))) {
      out.push_back(separator);
    }
    out.push_back(absl::ascii_tolower(c));
  }
  return out;
}

const std::string& OperationName(const google::protobuf::MethodDescriptor* method) {
  return method->options().GetExtension(awsgw::operation).name();
}

}  // namespace

absl::string_view VerbName(Verb verb) {
  switch (verb) {
    case Verb::kCreate:
      return "create";
    case Verb::kRead:
      return "read";
    case Verb::kList:
      return "list";
    case Verb::kUpdate:
      return "update";
    case Verb::kDelete:
      return "delete";
    case Verb::kTag:
      return "tag";
    case Verb::kUntag:
      return "untag";
    case Verb::kListTags:
      return "list-tags";
    case Verb::kAction:
      return "action";
    case Verb::kListFeed:
      return "list-feed";
    case Verb::kOther:
      return "other";
  }
  return "other";
}

std::string SnakeCase(absl::string_view pascal) { return Separated(pascal, '_'); }
std::string KebabCase(absl::string_view pascal) { return Separated(pascal, '-'); }
std::string FlatCase(absl::string_view pascal) { return absl::AsciiStrToLower(pascal); }

std::vector<std::string> SingularForms(absl::string_view noun) {
  std::vector<std::string> out;
  if (absl::EndsWith(noun, "ies")) {
    out.push_back(absl::StrCat(noun.substr(0, noun.size() - 3), "y"));
  }
  if (absl::EndsWith(noun, "es")) out.emplace_back(noun.substr(0, noun.size() - 2));
  if (absl::EndsWith(noun, "s") && !absl::EndsWith(noun, "ss")) {
    out.emplace_back(noun.substr(0, noun.size() - 1));
  }
  out.emplace_back(noun);
  return out;
}

ServiceOperations::ServiceOperations(const google::protobuf::ServiceDescriptor* service,
                                     const std::vector<const Lifecycle*>& lifecycles,
                                     const std::vector<KindAlias>& aliases) {
  // Operation names the lifecycles give a meaning: verb + kind (or plural).
  absl::flat_hash_map<std::string, OperationClass> named;
  for (const Lifecycle* l : lifecycles) {
    const std::vector<std::string> nouns = {l->kind, absl::StrCat(l->kind, "s")};
    for (const std::string& verb : l->create_verbs) {
      for (const std::string& noun : nouns) {
        named[absl::StrCat(verb, noun)] = OperationClass{Verb::kCreate, l->kind, ""};
      }
    }
    for (const Action& action : l->actions) {
      named[absl::StrCat(action.verb, action.noun.empty() ? l->kind : action.noun)] =
          OperationClass{Verb::kAction, l->kind, action.track};
    }
    for (const Feed& feed : l->feeds) {
      if (!feed.list_noun.empty()) {
        named[absl::StrCat("List", feed.list_noun)] = OperationClass{Verb::kListFeed, l->kind, ""};
      }
    }
  }
  // Pass 1: verbs and nouns; the kinds are what the create verbs name.
  std::vector<std::pair<const google::protobuf::MethodDescriptor*, OperationClass>> raw;
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* method = service->method(i);
    const std::string& name = OperationName(method);
    OperationClass c;
    if (auto it = named.find(name); it != named.end()) {
      if (it->second.verb == Verb::kCreate) kinds_.push_back(it->second.kind);
      classes_.emplace(method, it->second);
      continue;
    }
    for (const auto& [tag_name, verb] : kTagOperations) {
      if (name == tag_name) c.verb = verb;
    }
    if (c.verb == Verb::kOther) {
      for (const VerbPrefix& p : kPrefixes) {
        if (absl::StartsWith(name, p.prefix) && name.size() > p.prefix.size()) {
          c.verb = p.verb;
          c.kind = name.substr(p.prefix.size());
          break;
        }
      }
    }
    if (c.verb == Verb::kCreate) kinds_.push_back(c.kind);
    raw.emplace_back(method, std::move(c));
  }
  // Kinds that only lifecycles create (App Runner's operation records).
  for (const Lifecycle* l : lifecycles) {
    if (std::find(kinds_.begin(), kinds_.end(), l->kind) == kinds_.end()) {
      kinds_.push_back(l->kind);
    }
  }
  // Pass 2: resolve plural nouns to a creatable kind; the rest become kOther.
  for (auto& [method, c] : raw) {
    if (c.verb == Verb::kCreate || c.verb == Verb::kTag || c.verb == Verb::kUntag ||
        c.verb == Verb::kListTags || c.verb == Verb::kOther) {
      classes_.emplace(method, std::move(c));
      continue;
    }
    std::string kind;
    for (const KindAlias& alias : aliases) {
      if (alias.noun == c.kind && c.verb == Verb::kRead) kind = alias.kind;
    }
    for (const std::string& form : SingularForms(c.kind)) {
      if (!kind.empty()) break;
      if (std::find(kinds_.begin(), kinds_.end(), form) != kinds_.end()) {
        kind = form;
        break;
      }
    }
    classes_.emplace(method, kind.empty() ? OperationClass{} : OperationClass{c.verb, kind, ""});
  }
}

const OperationClass& ServiceOperations::ClassOf(
    const google::protobuf::MethodDescriptor* method) const {
  static const OperationClass* other = new OperationClass{};
  auto it = classes_.find(method);
  return it == classes_.end() ? *other : it->second;
}

}  // namespace awsgw::emulator
