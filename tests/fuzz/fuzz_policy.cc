// Policy files from an operator's typo or a hostile edit: the YAML policy
// parser, then the engine deciding requests drawn from the same input.
// Input: "<action>\n<resource>\n<principal>\n<policy file text>".
// Invariants: nothing crashes; a policy that loads decides the same request
// the same way twice; adding a statement that denies everything to anyone
// makes every request denied, naming that statement or another deny.
#include <cstdlib>
#include <string>
#include <vector>

#include "auth/policy/policy.h"
#include "gateway/config/callers_loader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  awsgw::fuzz::Input input(data, size);
  const std::string action = input.Line();
  const std::string resource = input.Line();
  const std::string principal = input.Line();
  absl::StatusOr<std::vector<awsgw::auth::policy::Statement>> statements =
      awsgw::gateway::config::ParsePolicyText(input.Rest(), "fuzz.yaml");
  if (!statements.ok()) return 0;
  auto policy = awsgw::auth::policy::Policy::Create(*statements);
  if (!policy.ok()) std::abort();  // ParsePolicyText already checked it
  const std::vector<std::string> groups = {"g1", principal};
  const std::vector<std::string> resources = {resource};
  awsgw::auth::policy::RequestFields fields;
  fields.Set("cluster", principal);
  const awsgw::auth::policy::AccessRequest request{.principal = principal,
                                                   .groups = groups,
                                                   .action = action,
                                                   .resources = resources,
                                                   .region = "us-east-1",
                                                   .fields = &fields};
  const awsgw::auth::policy::Decision first = (*policy)->Decide(request);
  const awsgw::auth::policy::Decision second = (*policy)->Decide(request);
  if (first.allowed != second.allowed || first.statement != second.statement) std::abort();

  statements->push_back({.id = "fuzz-deny-all",
                         .effect = awsgw::auth::policy::Effect::kDeny,
                         .principals = {"*"},
                         .actions = {"*"},
                         .resources = {"*"}});
  auto denying = awsgw::auth::policy::Policy::Create(*statements);
  if (!denying.ok()) return 0;  // the id may already be taken
  const awsgw::auth::policy::Decision denied = (*denying)->Decide(request);
  if (!principal.empty()) {
    if (denied.allowed || denied.statement == nullptr ||
        denied.statement->effect != awsgw::auth::policy::Effect::kDeny) {
      std::abort();
    }
  }
  return 0;
}
