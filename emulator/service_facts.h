// The per-service facts the generic emulator cannot read from the descriptors:
// ARN formats, identifier styles, which errors mean "not found" and "invalid
// request", initial status values. One declarative table (service_facts.cc),
// keyed by the model name ("ecs"); no per-operation entries.
//
// Everything else (which operation creates, reads or lists what, where the
// identifiers are, which errors an operation models) comes from the protos.
#ifndef AWSGW_EMULATOR_SERVICE_FACTS_H_
#define AWSGW_EMULATOR_SERVICE_FACTS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace awsgw::emulator {

// How a service spells the ids it generates.
enum class IdStyle {
  kHex32,        // 32 lowercase hex digits (App Runner service ids, ECS task ids)
  kAmplifyApp,   // "d" + 13 lowercase letters and digits
  kShortAlnum7,  // 7 lowercase letters and digits (AppConfig)
  kArn,          // the resource's ARN is its id (Serverless Application Repository)
};

// An ARN (or URL) template. Placeholders: {partition} ("aws", "aws-cn", ...)
// {region} {account} {id} {name}
// {parent} (last path segment of the parent's identifier) {kind} (kebab case,
// "task-definition") {kindflat} (lowercase, "autoscalingconfiguration")
// {revision} (1, 2, ... per name: ECS task definitions, App Runner configurations).
struct KindTemplate {
  std::string kind;  // the resource kind ("Service"), as in operation names
  std::string arn;
};

// A string member filled on creation from a template (same placeholders, plus
// {random}: 10 lowercase letters and digits).
struct ExtraMember {
  std::string kind;   // resource kind, or "" for every kind
  std::string field;  // proto field name in the resource message
  std::string value;
};

// The name a resource gets when its create request gives none (an ECS
// cluster created without a name is "default"); requests that leave out such
// a parent mean it (an ECS service created without a cluster is in "default").
struct DefaultName {
  std::string kind;
  std::string name;
};

// An operation noun that reads another kind, with the request members that
// name its parents under other names (AppConfig's GetConfiguration reads
// the newest hosted configuration version of the profile it names).
struct KindAlias {
  std::string noun;  // "Configuration"
  std::string kind;  // "HostedConfigurationVersion"
  // request member -> the kind's parent member ("configuration" ->
  // "configuration_profile_id")
  std::vector<std::pair<std::string, std::string>> members;
};

struct ServiceFacts {
  std::string model_name;
  std::string default_arn;         // template for kinds without their own
  std::vector<KindTemplate> arns;  // per-kind templates
  IdStyle id_style = IdStyle::kHex32;
  // Proto field names that also name a resource (besides "name" and
  // "<kind>_name"), e.g. ECS task definitions are named by "family".
  std::vector<std::string> name_aliases;
  std::vector<DefaultName> default_names;
  // The service's own not-found errors, tried (when the operation models
  // them) after "<Kind>NotFoundException".
  std::vector<std::string> not_found_errors;
  // Errors for a request that is malformed or misses a required member, in
  // order of preference among those the operation models.
  std::vector<std::string> validation_errors;
  std::vector<ExtraMember> extra_members;
  // Creating a resource with the name of an existing one of the same kind
  // and parents: this error (the service's word for it), or, for the kinds
  // in `idempotent_creates`, the existing resource. Empty: names may repeat.
  // Versioned kinds (with a revision member) get a new revision instead.
  std::string duplicate_name_error;
  std::vector<std::string> idempotent_creates;
  // Fault injection (EmulatorOptions::faults): the service's own error for
  // an internal failure (answered 500), and its throttling error with the
  // HTTP status it uses (400 for the awsJson services, 429 for restJson);
  // both are names botocore and the SDKs recognize.
  std::string internal_error = "InternalFailure";
  std::string throttling_error = "ThrottlingException";
  int throttling_status = 400;
  std::vector<KindAlias> kind_aliases;
};

// The facts for a model name; a neutral default for services not in the table
// (so a sixth service works, with generic ARNs, before anyone adds a row).
const ServiceFacts& FactsFor(absl::string_view model_name);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_SERVICE_FACTS_H_
