// The table behind service_facts.h. ARN formats follow the services'
// documentation ("Amazon Resource Names" in each service's IAM reference).
#include "emulator/service_facts.h"

#include "absl/container/flat_hash_map.h"

namespace awsgw::emulator {
namespace {

const std::vector<ServiceFacts>& Table() {
  static const auto* table = new std::vector<ServiceFacts>{
      {
          .model_name = "ecs",
          .default_arn = "arn:{partition}:ecs:{region}:{account}:{kind}/{name}",
          .arns = {{"Service", "arn:{partition}:ecs:{region}:{account}:service/{parent}/{name}"},
                   {"TaskDefinition",
                    "arn:{partition}:ecs:{region}:{account}:task-definition/{name}:{revision}"},
                   {"TaskSet", "arn:{partition}:ecs:{region}:{account}:task-set/{parent}/{id}"},
                   {"Task", "arn:{partition}:ecs:{region}:{account}:task/{parent}/{id}"},
                   {"Daemon", "arn:{partition}:ecs:{region}:{account}:daemon/{parent}/{name}"},
                   // Deployments are named under their service or daemon.
                   {"ServiceDeployment",
                    "arn:{partition}:ecs:{region}:{account}:service-deployment/{parent}/{name}"},
                   {"DaemonDeployment",
                    "arn:{partition}:ecs:{region}:{account}:daemon-deployment/{parent}/{name}"}},
          .id_style = IdStyle::kHex32,
          .name_aliases = {"family"},
          .default_names = {{"Cluster", "default"}},
          // ECS models per-kind errors (ClusterNotFoundException, ...);
          // ClientException is its catch-all for a bad reference.
          .not_found_errors = {"ResourceNotFoundException", "ClientException"},
          .validation_errors = {"InvalidParameterException", "ClientException"},
          // "Creation of service was not idempotent."; CreateCluster returns
          // the existing cluster.
          .duplicate_name_error = "InvalidParameterException",
          .idempotent_creates = {"Cluster"},
          .internal_error = "ServerException",
      },
      {
          .model_name = "apprunner",
          .default_arn = "arn:{partition}:apprunner:{region}:{account}:{kindflat}/{name}/{id}",
          .arns =
              {{"AutoScalingConfiguration",
                "arn:{partition}:apprunner:{region}:{account}:autoscalingconfiguration/{name}/"
                "{revision}/{id}"},
               {"ObservabilityConfiguration",
                "arn:{partition}:apprunner:{region}:{account}:observabilityconfiguration/{name}/"
                "{revision}/{id}"},
               {"VpcConnector",
                "arn:{partition}:apprunner:{region}:{account}:vpcconnector/{name}/{revision}/"
                "{id}"}},
          .id_style = IdStyle::kHex32,
          .name_aliases = {"domain_name"},
          .not_found_errors = {"ResourceNotFoundException"},
          .validation_errors = {"InvalidRequestException"},
          .extra_members = {{"Service", "service_url", "{random}.{region}.awsapprunner.com"}},
          .duplicate_name_error = "InvalidRequestException",
          .internal_error = "InternalServiceErrorException",
      },
      {
          .model_name = "amplify",
          .default_arn =
              "arn:{partition}:amplify:{region}:{account}:apps/{parent}/{kindflat}s/{id}",
          .arns = {{"App", "arn:{partition}:amplify:{region}:{account}:apps/{id}"},
                   {"Branch",
                    "arn:{partition}:amplify:{region}:{account}:apps/{parent}/branches/{name}"},
                   {"DomainAssociation",
                    "arn:{partition}:amplify:{region}:{account}:apps/{parent}/domains/{name}"},
                   {"Webhook", "arn:{partition}:amplify:{region}:{account}:webhooks/{id}"}},
          .id_style = IdStyle::kAmplifyApp,
          .name_aliases = {"domain_name", "environment_name"},
          .not_found_errors = {"NotFoundException"},
          .validation_errors = {"BadRequestException"},
          .extra_members = {{"App", "default_domain", "{id}.amplifyapp.com"}},
          .internal_error = "InternalFailureException",
          .throttling_error = "LimitExceededException",
          .throttling_status = 429,
      },
      {
          .model_name = "appconfig",
          .default_arn =
              "arn:{partition}:appconfig:{region}:{account}:application/{parent}/{kindflat}/{id}",
          .arns = {{"Application", "arn:{partition}:appconfig:{region}:{account}:application/{id}"},
                   {"DeploymentStrategy",
                    "arn:{partition}:appconfig:{region}:{account}:deploymentstrategy/{id}"},
                   {"Extension",
                    "arn:{partition}:appconfig:{region}:{account}:extension/{id}/{revision}"},
                   {"ExtensionAssociation",
                    "arn:{partition}:appconfig:{region}:{account}:extensionassociation/{id}"}},
          .id_style = IdStyle::kShortAlnum7,
          .not_found_errors = {"ResourceNotFoundException"},
          .validation_errors = {"BadRequestException"},
          .internal_error = "InternalServerException",
          .throttling_status = 429,
          // The newest hosted version, not the one last deployed.
          .kind_aliases = {{"Configuration",
                            "HostedConfigurationVersion",
                            {{"application", "application_id"},
                             {"configuration", "configuration_profile_id"}}}},
      },
      {
          .model_name = "serverlessrepo",
          .default_arn = "arn:{partition}:serverlessrepo:{region}:{account}:applications/{name}",
          .id_style = IdStyle::kArn,
          .name_aliases = {"template_id"},
          .not_found_errors = {"NotFoundException"},
          .validation_errors = {"BadRequestException"},
          .extra_members = {{"CloudFormationTemplate", "template_id", "{id}"}},
          .duplicate_name_error = "ConflictException",
          .internal_error = "InternalServerErrorException",
          .throttling_error = "TooManyRequestsException",
          .throttling_status = 429,
      },
  };
  return *table;
}

}  // namespace

const ServiceFacts& FactsFor(absl::string_view model_name) {
  static const auto* by_name = [] {
    auto* map = new absl::flat_hash_map<std::string, const ServiceFacts*>();
    for (const ServiceFacts& facts : Table()) map->emplace(facts.model_name, &facts);
    return map;
  }();
  static const auto* fallback = new ServiceFacts{
      .default_arn = "arn:{partition}:{service}:{region}:{account}:{kind}/{id}",
      .not_found_errors = {"ResourceNotFoundException", "NotFoundException"},
      .validation_errors = {"ValidationException", "InvalidParameterException",
                            "InvalidRequestException", "BadRequestException"},
  };
  auto it = by_name->find(model_name);
  return it == by_name->end() ? *fallback : *it->second;
}

}  // namespace awsgw::emulator
