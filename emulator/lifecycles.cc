// The table behind lifecycles.h. States and their order follow each
// service's documentation; durations are short (a few seconds in all at time
// scale 1) so a person can watch a transition, and scale with
// EmulatorOptions::time_scale.
#include "emulator/lifecycles.h"

namespace awsgw::emulator {
namespace {

// The DNS records certificates are validated with.
const std::vector<FieldValue> kCertificateRecord = {
    {"certificate_validation_records.name", "_{uuid}.{domain_name}."},
    {"certificate_validation_records.type", "CNAME"},
    {"certificate_validation_records.value", "_{uuid}.acm-validations.aws."},
    {"certificate_validation_records.status", "PENDING_VALIDATION"}};
const std::vector<FieldValue> kDomainCertificateRecord = {
    {"certificate_verification_dns_record",
     "_{uuid}.{domain_name}. CNAME _{uuid}.acm-validations.aws."}};
const std::vector<FieldValue> kSubDomainRecord = {
    {"sub_domains.dns_record", " CNAME {uuid}.cloudfront.net"}};
constexpr char kCircuitBreaker[] =
    "Service deployment rolled back because the circuit breaker threshold was exceeded.";

const std::vector<Lifecycle>& Table() {
  static const auto* table = new std::vector<Lifecycle>{
      // ---- App Runner: every change of a service is an operation
      // (ListOperations) that runs PENDING -> IN_PROGRESS -> SUCCEEDED while
      // the service is OPERATION_IN_PROGRESS.
      {
          .service = "apprunner",
          .kind = "Service",
          .status_member = "status",
          .actions = {{.verb = "Pause", .track = "pause"},
                      {.verb = "Resume", .track = "resume"},
                      {.verb = "Start", .noun = "Deployment", .track = "deploy"}},
          .tracks =
              {
                  {.name = "create",
                   .phases = {{.state = "OPERATION_IN_PROGRESS", .seconds = 3},
                              {.state = "RUNNING"}},
                   .records = "CREATE_SERVICE"},
                  // A marked service's image never becomes healthy.
                  {.name = "create_failed",
                   .phases = {{.state = "OPERATION_IN_PROGRESS", .seconds = 3},
                              {.state = "CREATE_FAILED"}},
                   .records = "CREATE_SERVICE"},
                  {.name = "update",
                   .phases = {{.state = "OPERATION_IN_PROGRESS", .seconds = 3},
                              {.state = "RUNNING"}},
                   .records = "UPDATE_SERVICE"},
                  {.name = "pause",
                   .phases = {{.state = "OPERATION_IN_PROGRESS", .seconds = 3},
                              {.state = "PAUSED"}},
                   .records = "PAUSE_SERVICE"},
                  {.name = "resume",
                   .phases = {{.state = "OPERATION_IN_PROGRESS", .seconds = 3},
                              {.state = "RUNNING"}},
                   .records = "RESUME_SERVICE"},
                  {.name = "deploy",
                   .phases = {{.state = "OPERATION_IN_PROGRESS", .seconds = 3},
                              {.state = "RUNNING"}},
                   .records = "START_DEPLOYMENT"},
                  {.name = "delete",
                   .phases = {{.state = "OPERATION_IN_PROGRESS", .seconds = 3},
                              {.state = "DELETED"}},
                   .removes = true,
                   .records = "DELETE_SERVICE"},
              },
          .triggers = {{.track = "create",
                        .instead = "create_failed",
                        .name_contains = kFailMarker}},
          .record = {.kind = "Operation",
                     .scope = "service_arn",
                     .type_member = "type",
                     .from_owner = {{"target_arn", "{arn}"}},
                     .answer_member = "operation_id"},
      },
      {
          .service = "apprunner",
          .kind = "Operation",
          .status_member = "status",
          .body_shape = "OperationSummary",
          .tracks = {{.name = "create",
                      .phases = {{.state = "PENDING", .seconds = 1, .stamps = {"started_at"}},
                                 {.state = "IN_PROGRESS", .seconds = 2},
                                 {.state = "SUCCEEDED", .stamps = {"ended_at"}}}},
                     {.name = "fail",
                      .phases = {{.state = "PENDING", .seconds = 1, .stamps = {"started_at"}},
                                 {.state = "IN_PROGRESS", .seconds = 2},
                                 {.state = "FAILED", .stamps = {"ended_at"}}}}},
          // The operations of a marked service (its ARN is the scope) fail.
          .triggers = {{.track = "create", .instead = "fail", .name_contains = kFailMarker}},
      },
      {
          .service = "apprunner",
          .kind = "CustomDomain",
          .status_member = "status",
          .create_verbs = {"Associate"},
          .actions = {{.verb = "Disassociate", .track = "delete"}},
          .tracks = {{.name = "create",
                      .phases = {{.state = "CREATING", .seconds = 1},
                                 {.state = "PENDING_CERTIFICATE_DNS_VALIDATION",
                                  .seconds = 2,
                                  .set = kCertificateRecord},
                                 {.state = "BINDING_CERTIFICATE",
                                  .seconds = 1,
                                  .set = {{"certificate_validation_records.status", "SUCCESS"}}},
                                 {.state = "ACTIVE"}}},
                     // A marked domain's DNS records never appear.
                     {.name = "create_failed",
                      .phases = {{.state = "CREATING", .seconds = 1},
                                 {.state = "PENDING_CERTIFICATE_DNS_VALIDATION",
                                  .seconds = 2,
                                  .set = kCertificateRecord},
                                 {.state = "CREATE_FAILED",
                                  .set = {{"certificate_validation_records.status", "FAILED"}}}}},
                     {.name = "delete",
                      .phases = {{.state = "DELETING", .seconds = 2}, {.state = "DELETING"}},
                      .removes = true}},
          .triggers = {{.track = "create",
                        .instead = "create_failed",
                        .name_contains = kFailMarker}},
      },
      {
          .service = "apprunner",
          .kind = "Connection",
          .status_member = "status",
          .tracks =
              {{.name = "create",
                .phases = {{.state = "PENDING_HANDSHAKE", .seconds = 3}, {.state = "AVAILABLE"}}},
               {.name = "create_failed",
                .phases = {{.state = "PENDING_HANDSHAKE", .seconds = 3}, {.state = "ERROR"}}}},
          .triggers = {{.track = "create",
                        .instead = "create_failed",
                        .name_contains = kFailMarker}},
      },
      {
          .service = "apprunner",
          .kind = "VpcIngressConnection",
          .status_member = "status",
          .tracks =
              {{.name = "create",
                .phases = {{.state = "PENDING_CREATION", .seconds = 3}, {.state = "AVAILABLE"}}},
               {.name = "create_failed",
                .phases = {{.state = "PENDING_CREATION", .seconds = 3},
                           {.state = "FAILED_CREATION"}}},
               {.name = "update",
                .phases = {{.state = "PENDING_UPDATE", .seconds = 2}, {.state = "AVAILABLE"}}},
               // Deleted connections stay describable for a while.
               {.name = "delete",
                .phases = {{.state = "PENDING_DELETION", .seconds = 2},
                           {.state = "DELETED", .seconds = 60, .stamps = {"deleted_at"}},
                           {.state = "DELETED"}},
                .removes = true}},
          .triggers = {{.track = "create",
                        .instead = "create_failed",
                        .name_contains = kFailMarker}},
      },

      // ---- Amplify: jobs build and deploy in steps; domains verify.
      {
          .service = "amplify",
          .kind = "Job",
          .status_member = "summary.status",
          .body_shape = "Job",
          .core_member = "summary",
          .create_verbs = {"Start"},
          .actions = {{.verb = "Stop", .track = "stop"}},
          .tracks =
              {
                  {.name = "create",
                   .phases = {{.state = "PENDING", .seconds = 1},
                              {.state = "PROVISIONING", .seconds = 1},
                              {.state = "RUNNING", .seconds = 1},
                              {.state = "RUNNING",
                               .seconds = 1,
                               .event = {{"step_name", "BUILD"}, {"status", "SUCCEED"}}},
                              {.state = "SUCCEED",
                               .stamps = {"summary.end_time"},
                               .event = {{"step_name", "DEPLOY"}, {"status", "SUCCEED"}}}}},
                  {.name = "stop",
                   .phases = {{.state = "CANCELLING", .seconds = 2},
                              {.state = "CANCELLED", .stamps = {"summary.end_time"}}}},
              },
          .feeds = {{.member = "steps", .time_member = "end_time", .begin_member = "start_time"}},
      },
      {
          .service = "amplify",
          .kind = "DomainAssociation",
          .status_member = "domain_status",
          .tracks =
              {{.name = "create",
                .phases = {{.state = "CREATING",
                            .seconds = 1,
                            .set = {{"sub_domains.verified", "false"}}},
                           {.state = "REQUESTING_CERTIFICATE",
                            .seconds = 1,
                            .set = kDomainCertificateRecord},
                           {.state = "PENDING_VERIFICATION", .seconds = 1, .set = kSubDomainRecord},
                           {.state = "IN_PROGRESS",
                            .seconds = 1,
                            .set = {{"sub_domains.verified", "true"}}},
                           {.state = "PENDING_DEPLOYMENT", .seconds = 1},
                           {.state = "AVAILABLE"}}},
               // A marked domain's ownership is never verified.
               {.name = "create_failed",
                .phases = {{.state = "CREATING",
                            .seconds = 1,
                            .set = {{"sub_domains.verified", "false"}}},
                           {.state = "REQUESTING_CERTIFICATE",
                            .seconds = 1,
                            .set = kDomainCertificateRecord},
                           {.state = "PENDING_VERIFICATION", .seconds = 2, .set = kSubDomainRecord},
                           {.state = "FAILED",
                            .set = {{"status_reason",
                                     "The subdomain {domain_name} could not be verified: "
                                     "its DNS record was not found."}}}}}},
          .triggers = {{.track = "create",
                        .instead = "create_failed",
                        .name_contains = kFailMarker}},
      },

      // ---- AppConfig: a deployment grows by its strategy, bakes, completes;
      // its environment's state follows it.
      {
          .service = "appconfig",
          .kind = "Deployment",
          .status_member = "state",
          .create_verbs = {"Start"},
          .actions = {{.verb = "Stop", .track = "stop"}},
          .tracks =
              {
                  {.name = "create",
                   .phases = {{.state = "DEPLOYING",
                               .minutes_member = "deployment_duration_in_minutes",
                               .stamps = {"started_at"},
                               .event = {{"event_type", "DEPLOYMENT_STARTED"},
                                         {"triggered_by", "USER"},
                                         {"description", "Deployment started"}}},
                              {.state = "BAKING",
                               .minutes_member = "final_bake_time_in_minutes",
                               .event = {{"event_type", "BAKE_TIME_STARTED"},
                                         {"triggered_by", "APPCONFIG"},
                                         {"description", "Deployment bake time started"}}},
                              {.state = "COMPLETE",
                               .stamps = {"completed_at"},
                               .event = {{"event_type", "DEPLOYMENT_COMPLETED"},
                                         {"triggered_by", "APPCONFIG"},
                                         {"description", "Deployment completed"}}}}},
                  {.name = "stop",
                   .phases = {{.state = "ROLLING_BACK",
                               .seconds = 1,
                               .event = {{"event_type", "ROLLBACK_STARTED"},
                                         {"triggered_by", "USER"},
                                         {"description", "Rollback initiated by user"}}},
                              {.state = "ROLLED_BACK",
                               .stamps = {"completed_at"},
                               .event = {{"event_type", "ROLLBACK_COMPLETED"},
                                         {"triggered_by", "APPCONFIG"},
                                         {"description", "Rollback completed"}}}}},
              },
          .counters = {{.member = "percentage_complete",
                        .target = 100,
                        .during = "DEPLOYING",
                        .growth_type_member = "growth_type",
                        .growth_factor_member = "growth_factor"}},
          .feeds = {{.member = "event_log", .time_member = "occurred_at", .newest_first = true}},
          .parent_effects = {{.scope_member = "environment_id",
                              .parent_kind = "Environment",
                              .parent_status = "state",
                              .states = {{"DEPLOYING", "DEPLOYING"},
                                         {"BAKING", "DEPLOYING"},
                                         {"COMPLETE", "READY_FOR_DEPLOYMENT"},
                                         {"ROLLING_BACK", "ROLLING_BACK"},
                                         {"ROLLED_BACK", "ROLLED_BACK"}}}},
          .inherit_from = "deployment_strategy_id",
          .inherit_kind = "DeploymentStrategy",
      },
      {
          .service = "appconfig",
          .kind = "Environment",
          .status_member = "state",
          .tracks = {{.name = "create", .phases = {{.state = "READY_FOR_DEPLOYMENT"}}}},
      },
      // An experiment run runs until it is stopped; its events are listed
      // by ListExperimentRunEvents.
      {
          .service = "appconfig",
          .kind = "ExperimentRun",
          .status_member = "status",
          .create_verbs = {"Start"},
          .actions = {{.verb = "Stop", .track = "stop"}},
          .tracks = {{.name = "create",
                      .phases = {{.state = "RUNNING",
                                  .stamps = {"started_at"},
                                  .event = {{"event_type", "RUN_STARTED"},
                                            {"triggered_by", "USER"},
                                            {"description", "Experiment run started"}}}}},
                     {.name = "update",
                      .phases = {{.state = "RUNNING",
                                  .event = {{"event_type", "EXPOSURE_UPDATED"},
                                            {"triggered_by", "USER"},
                                            {"description", "Experiment run updated"}}}}},
                     {.name = "stop",
                      .phases = {{.state = "DONE",
                                  .stamps = {"ended_at"},
                                  .event = {{"event_type", "RUN_STOPPED"},
                                            {"triggered_by", "USER"},
                                            {"description", "Experiment run stopped"}}}}}},
          .feeds = {{.time_member = "occurred_at",
                     .list_noun = "ExperimentRunEvents",
                     .entry_shape = "ExperimentRunEvent"}},
      },

      // ---- ECS: tasks start and stop through their states; a service's
      // deployment rolls out until runningCount reaches desiredCount.
      {
          .service = "ecs",
          .kind = "Task",
          .status_member = "last_status",
          .body_shape = "Task",
          .create_verbs = {"Run", "Start"},
          .actions = {{.verb = "Stop", .track = "stop"}},
          .tracks =
              {
                  {.name = "create",
                   .phases = {{.state = "PROVISIONING",
                               .seconds = 1,
                               .set = {{"desired_status", "RUNNING"}}},
                              {.state = "PENDING", .seconds = 1},
                              {.state = "ACTIVATING", .seconds = 1},
                              {.state = "RUNNING", .stamps = {"started_at"}}}},
                  {.name = "stop",
                   .phases = {{.state = "DEACTIVATING",
                               .seconds = 1,
                               .set = {{"desired_status", "STOPPED"},
                                       {"stop_code", "UserInitiated"}},
                               .stamps = {"stopping_at"}},
                              {.state = "STOPPING", .seconds = 1},
                              {.state = "DEPROVISIONING",
                               .seconds = 1,
                               .stamps = {"execution_stopped_at"}},
                              {.state = "STOPPED", .stamps = {"stopped_at"}}},
                   .from_request = {{"reason", "stopped_reason"}}},
              },
          .count_member = "count",
          .max_count = 10,
      },
      {
          .service = "ecs",
          .kind = "Service",
          .status_member = "deployments.rollout_state",
          .tracks =
              {
                  {.name = "create",
                   .phases = {{.state = "IN_PROGRESS",
                               .seconds = 3,
                               .set = {{"status", "ACTIVE"},
                                       {"deployments.status", "PRIMARY"},
                                       {"deployments.id", "ecs-svc/{uuid}"},
                                       {"deployments.task_definition", "{task_definition}"},
                                       {"deployments.desired_count", "{desired_count}"}},
                               .stamps = {"deployments.created_at", "deployments.updated_at"},
                               .event = {{"message",
                                          "(service {service_name}) has started "
                                          "{desired_count} tasks."}}},
                              {.state = "COMPLETED",
                               .stamps = {"deployments.updated_at"},
                               .event = {{"message",
                                          "(service {service_name}) has reached a "
                                          "steady state."}}}},
                   .records = "SERVICE_DEPLOYMENT"},
                  {.name = "update",
                   .phases = {{.state = "IN_PROGRESS",
                               .seconds = 3,
                               .set = {{"deployments.desired_count", "{desired_count}"},
                                       {"deployments.task_definition", "{task_definition}"}},
                               .stamps = {"deployments.updated_at"},
                               .event = {{"message",
                                          "(service {service_name}) is updating to "
                                          "{desired_count} tasks."}}},
                              {.state = "COMPLETED",
                               .stamps = {"deployments.updated_at"},
                               .event = {{"message",
                                          "(service {service_name}) has reached a "
                                          "steady state."}}}},
                   .records = "SERVICE_DEPLOYMENT"},
                  // INACTIVE services stay describable for a while.
                  {.name = "delete",
                   .phases = {{.state = "DRAINING", .seconds = 2, .set = {{"status", "DRAINING"}}},
                              {.state = "INACTIVE", .seconds = 60, .set = {{"status", "INACTIVE"}}},
                              {.state = "INACTIVE"}},
                   .removes = true},
              },
          .counters = {{.member = "running_count",
                        .target_member = "desired_count",
                        .during = "IN_PROGRESS",
                        .mirrors = {"deployments.running_count"},
                        .remainder_member = "pending_count"}},
          .feeds = {{.member = "events",
                     .time_member = "created_at",
                     .id_member = "id",
                     .newest_first = true}},
          .record = {.kind = "ServiceDeployment",
                     .scope = "service",
                     .from_owner = {{"service_arn", "{arn}"}}},
          .unlisted = {"INACTIVE"},
      },
      // A service deployment (DescribeServiceDeployments) per create and
      // update of a service; StopServiceDeployment rolls it back (stopType
      // ROLLBACK, the default) or stops it (ABORT).
      {
          .service = "ecs",
          .kind = "ServiceDeployment",
          .status_member = "status",
          .body_shape = "ServiceDeployment",
          .actions = {{.verb = "Stop", .track = "rollback"}},
          .tracks =
              {
                  {.name = "create",
                   .phases = {{.state = "PENDING", .seconds = 1},
                              {.state = "IN_PROGRESS", .seconds = 3, .stamps = {"started_at"}},
                              {.state = "SUCCESSFUL", .stamps = {"finished_at"}}}},
                  // A marked service's tasks never become healthy.
                  {.name = "fail",
                   .phases = {{.state = "PENDING", .seconds = 1},
                              {.state = "IN_PROGRESS", .seconds = 2, .stamps = {"started_at"}},
                              {.state = "ROLLBACK_IN_PROGRESS",
                               .seconds = 2,
                               .set = {{"status_reason", kCircuitBreaker}}},
                              {.state = "ROLLBACK_SUCCESSFUL", .stamps = {"finished_at"}}}},
                  {.name = "rollback",
                   .phases = {{.state = "ROLLBACK_REQUESTED",
                               .seconds = 1,
                               .set = {{"status_reason", "Rollback requested by the user."}}},
                              {.state = "ROLLBACK_IN_PROGRESS", .seconds = 2},
                              {.state = "ROLLBACK_SUCCESSFUL", .stamps = {"finished_at"}}}},
                  {.name = "abort",
                   .phases = {{.state = "STOP_REQUESTED",
                               .seconds = 1,
                               .set = {{"status_reason", "Stop requested by the user."}}},
                              {.state = "STOPPED", .stamps = {"stopped_at"}}}},
              },
          .triggers = {{.track = "create", .instead = "fail", .name_contains = kFailMarker},
                       {.track = "rollback",
                        .instead = "abort",
                        .request_member = "stop_type",
                        .request_value = "ABORT"}},
      },
      // Daemons: each create and update is a daemon deployment.
      {
          .service = "ecs",
          .kind = "Daemon",
          .status_member = "status",
          .body_shape = "DaemonDetail",
          .tracks =
              {{.name = "create", .phases = {{.state = "ACTIVE"}}, .records = "DAEMON_DEPLOYMENT"},
               {.name = "update", .phases = {{.state = "ACTIVE"}}, .records = "DAEMON_DEPLOYMENT"},
               {.name = "delete",
                .phases = {{.state = "DELETE_IN_PROGRESS", .seconds = 2},
                           {.state = "DELETE_IN_PROGRESS"}},
                .removes = true}},
          .record = {.kind = "DaemonDeployment",
                     .scope = "daemon_arn",
                     .from_owner = {{"cluster_arn", "{cluster_arn}"}},
                     .owner_member = "deployment_arn"},
      },
      {
          .service = "ecs",
          .kind = "DaemonDeployment",
          .status_member = "status",
          .body_shape = "DaemonDeployment",
          .tracks =
              {
                  {.name = "create",
                   .phases = {{.state = "PENDING", .seconds = 1},
                              {.state = "IN_PROGRESS", .seconds = 3, .stamps = {"started_at"}},
                              {.state = "SUCCESSFUL", .stamps = {"finished_at"}}}},
                  // A marked daemon's tasks never become healthy.
                  {.name = "fail",
                   .phases = {{.state = "PENDING", .seconds = 1},
                              {.state = "IN_PROGRESS", .seconds = 2, .stamps = {"started_at"}},
                              {.state = "ROLLBACK_IN_PROGRESS",
                               .seconds = 2,
                               .set = {{"status_reason", kCircuitBreaker}}},
                              {.state = "ROLLBACK_SUCCESSFUL", .stamps = {"finished_at"}}}},
              },
          .triggers = {{.track = "create", .instead = "fail", .name_contains = kFailMarker}},
      },

      // ---- Serverless Application Repository: templates are prepared.
      {
          .service = "serverlessrepo",
          .kind = "CloudFormationTemplate",
          .status_member = "status",
          .tracks = {{.name = "create",
                      .phases = {{.state = "PREPARING", .seconds = 2}, {.state = "ACTIVE"}}},
                     // Templates expire (after six hours in AWS); those of a
                     // marked application do while watched.
                     {.name = "expire",
                      .phases = {{.state = "PREPARING", .seconds = 2},
                                 {.state = "ACTIVE", .seconds = 3},
                                 {.state = "EXPIRED"}}}},
          .triggers = {{.track = "create", .instead = "expire", .name_contains = kFailMarker}},
      },
  };
  return *table;
}

}  // namespace

std::vector<const Lifecycle*> LifecyclesOf(absl::string_view service) {
  std::vector<const Lifecycle*> out;
  for (const Lifecycle& l : Table()) {
    if (l.service == service) out.push_back(&l);
  }
  return out;
}

const Lifecycle* LifecycleFor(absl::string_view service, absl::string_view kind) {
  for (const Lifecycle& l : Table()) {
    if (l.service == service && l.kind == kind) return &l;
  }
  return nullptr;
}

const Lifecycle* FeedListedAs(absl::string_view service, absl::string_view noun) {
  for (const Lifecycle& l : Table()) {
    for (const Feed& f : l.feeds) {
      if (l.service == service && !f.list_noun.empty() && f.list_noun == noun) return &l;
    }
  }
  return nullptr;
}

const Track* TrackOf(const Lifecycle& lifecycle, absl::string_view name) {
  for (const Track& t : lifecycle.tracks) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace awsgw::emulator
