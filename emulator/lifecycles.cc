// The table behind lifecycles.h. States and their order follow each
// service's documentation; durations are short (a few seconds in all at time
// scale 1) so a person can watch a transition, and scale with
// EmulatorOptions::time_scale.
#include "emulator/lifecycles.h"

namespace awsgw::emulator {
namespace {

const std::vector<Lifecycle>& Table() {
  static const auto* table = new std::vector<Lifecycle>{
      // ---- App Runner: every change of a service is an operation
      // (ListOperations) that runs PENDING -> IN_PROGRESS -> SUCCEEDED while
      // the service is OPERATION_IN_PROGRESS.
      {
          .service = "apprunner",
          .kind = "Service",
          .status_member = "status",
          .actions = {{"Pause", "", "pause"},
                      {"Resume", "", "resume"},
                      {"Start", "Deployment", "deploy"}},
          .tracks =
              {
                  {"create", {{"OPERATION_IN_PROGRESS", 3}, {"RUNNING"}}, false, "CREATE_SERVICE"},
                  {"update", {{"OPERATION_IN_PROGRESS", 3}, {"RUNNING"}}, false, "UPDATE_SERVICE"},
                  {"pause", {{"OPERATION_IN_PROGRESS", 3}, {"PAUSED"}}, false, "PAUSE_SERVICE"},
                  {"resume", {{"OPERATION_IN_PROGRESS", 3}, {"RUNNING"}}, false, "RESUME_SERVICE"},
                  {"deploy",
                   {{"OPERATION_IN_PROGRESS", 3}, {"RUNNING"}},
                   false,
                   "START_DEPLOYMENT"},
                  {"delete", {{"OPERATION_IN_PROGRESS", 3}, {"DELETED"}}, true, "DELETE_SERVICE"},
              },
          .record_kind = "Operation",
          .record_scope = "service_arn",
      },
      {
          .service = "apprunner",
          .kind = "Operation",
          .status_member = "status",
          .body_shape = "OperationSummary",
          .tracks = {{"create",
                      {{"PENDING", 1, "", {}, {"started_at"}},
                       {"IN_PROGRESS", 2},
                       {"SUCCEEDED", 0, "", {}, {"ended_at"}}}}},
      },
      {
          .service = "apprunner",
          .kind = "CustomDomain",
          .status_member = "status",
          .create_verbs = {"Associate"},
          .actions = {{"Disassociate", "", "delete"}},
          .tracks = {{"create",
                      {{"CREATING", 1}, {"PENDING_CERTIFICATE_DNS_VALIDATION", 2}, {"ACTIVE"}}},
                     {"delete", {{"DELETING", 2}, {"DELETING"}}, true}},
      },
      {
          .service = "apprunner",
          .kind = "Connection",
          .status_member = "status",
          .tracks = {{"create", {{"PENDING_HANDSHAKE", 3}, {"AVAILABLE"}}}},
      },

      // ---- Amplify: jobs build and deploy in steps; domains verify.
      {
          .service = "amplify",
          .kind = "Job",
          .status_member = "summary.status",
          .body_shape = "Job",
          .core_member = "summary",
          .create_verbs = {"Start"},
          .actions = {{"Stop", "", "stop"}},
          .tracks =
              {
                  {"create",
                   {{"PENDING", 1},
                    {"PROVISIONING", 1},
                    {"RUNNING", 1},
                    {"RUNNING", 1, "", {}, {}, {{"step_name", "BUILD"}, {"status", "SUCCEED"}}},
                    {"SUCCEED",
                     0,
                     "",
                     {},
                     {"summary.end_time"},
                     {{"step_name", "DEPLOY"}, {"status", "SUCCEED"}}}}},
                  {"stop", {{"CANCELLING", 2}, {"CANCELLED", 0, "", {}, {"summary.end_time"}}}},
              },
          .feeds = {{.member = "steps", .time_member = "end_time", .begin_member = "start_time"}},
      },
      {
          .service = "amplify",
          .kind = "DomainAssociation",
          .status_member = "domain_status",
          .tracks = {{"create",
                      {{"CREATING", 1},
                       {"REQUESTING_CERTIFICATE", 1},
                       {"PENDING_VERIFICATION", 1},
                       {"IN_PROGRESS", 1},
                       {"PENDING_DEPLOYMENT", 1},
                       {"AVAILABLE"}}}},
      },

      // ---- AppConfig: a deployment grows by its strategy, bakes, completes;
      // its environment's state follows it.
      {
          .service = "appconfig",
          .kind = "Deployment",
          .status_member = "state",
          .create_verbs = {"Start"},
          .actions = {{"Stop", "", "stop"}},
          .tracks =
              {
                  {"create",
                   {{"DEPLOYING",
                     0,
                     "deployment_duration_in_minutes",
                     {},
                     {"started_at"},
                     {{"event_type", "DEPLOYMENT_STARTED"},
                      {"triggered_by", "USER"},
                      {"description", "Deployment started"}}},
                    {"BAKING",
                     0,
                     "final_bake_time_in_minutes",
                     {},
                     {},
                     {{"event_type", "BAKE_TIME_STARTED"},
                      {"triggered_by", "APPCONFIG"},
                      {"description", "Deployment bake time started"}}},
                    {"COMPLETE",
                     0,
                     "",
                     {},
                     {"completed_at"},
                     {{"event_type", "DEPLOYMENT_COMPLETED"},
                      {"triggered_by", "APPCONFIG"},
                      {"description", "Deployment completed"}}}}},
                  {"stop",
                   {{"ROLLING_BACK",
                     1,
                     "",
                     {},
                     {},
                     {{"event_type", "ROLLBACK_STARTED"},
                      {"triggered_by", "USER"},
                      {"description", "Rollback initiated by user"}}},
                    {"ROLLED_BACK",
                     0,
                     "",
                     {},
                     {"completed_at"},
                     {{"event_type", "ROLLBACK_COMPLETED"},
                      {"triggered_by", "APPCONFIG"},
                      {"description", "Rollback completed"}}}}},
              },
          .counters = {{.member = "percentage_complete",
                        .target = 100,
                        .during = "DEPLOYING",
                        .growth_type_member = "growth_type",
                        .growth_factor_member = "growth_factor"}},
          .feeds = {{.member = "event_log", .time_member = "occurred_at", .newest_first = true}},
          .parent_effects = {{"environment_id",
                              "Environment",
                              "state",
                              {{"DEPLOYING", "DEPLOYING"},
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
          .tracks = {{"create", {{"READY_FOR_DEPLOYMENT"}}}},
      },

      // ---- ECS: tasks start and stop through their states; a service's
      // deployment rolls out until runningCount reaches desiredCount.
      {
          .service = "ecs",
          .kind = "Task",
          .status_member = "last_status",
          .body_shape = "Task",
          .create_verbs = {"Run", "Start"},
          .actions = {{"Stop", "", "stop"}},
          .tracks =
              {
                  {"create",
                   {{"PROVISIONING", 1, "", {{"desired_status", "RUNNING"}}},
                    {"PENDING", 1},
                    {"ACTIVATING", 1},
                    {"RUNNING", 0, "", {}, {"started_at"}}}},
                  {"stop",
                   {{"DEACTIVATING",
                     1,
                     "",
                     {{"desired_status", "STOPPED"}, {"stop_code", "UserInitiated"}},
                     {"stopping_at"}},
                    {"STOPPING", 1},
                    {"DEPROVISIONING", 1, "", {}, {"execution_stopped_at"}},
                    {"STOPPED", 0, "", {}, {"stopped_at"}}},
                   false,
                   "",
                   {{"reason", "stopped_reason"}}},
              },
      },
      {
          .service = "ecs",
          .kind = "Service",
          .status_member = "deployments.rollout_state",
          .tracks =
              {
                  {"create",
                   {{"IN_PROGRESS",
                     3,
                     "",
                     {{"status", "ACTIVE"},
                      {"deployments.status", "PRIMARY"},
                      {"deployments.id", "ecs-svc/{uuid}"},
                      {"deployments.task_definition", "{task_definition}"},
                      {"deployments.desired_count", "{desired_count}"}},
                     {"deployments.created_at", "deployments.updated_at"},
                     {{"message", "(service {service_name}) has started tasks."}}},
                    {"COMPLETED",
                     0,
                     "",
                     {},
                     {"deployments.updated_at"},
                     {{"message", "(service {service_name}) has reached a steady state."}}}}},
                  {"update",
                   {{"IN_PROGRESS",
                     3,
                     "",
                     {{"deployments.desired_count", "{desired_count}"},
                      {"deployments.task_definition", "{task_definition}"}},
                     {"deployments.updated_at"},
                     {{"message",
                       "(service {service_name}) is updating to {desired_count} tasks."}}},
                    {"COMPLETED",
                     0,
                     "",
                     {},
                     {"deployments.updated_at"},
                     {{"message", "(service {service_name}) has reached a steady state."}}}}},
                  {"delete",
                   {{"DRAINING", 2, "", {{"status", "DRAINING"}}},
                    {"INACTIVE", 0, "", {{"status", "INACTIVE"}}}},
                   true},
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
      },

      // ---- Serverless Application Repository: templates are prepared.
      {
          .service = "serverlessrepo",
          .kind = "CloudFormationTemplate",
          .status_member = "status",
          .tracks = {{"create", {{"PREPARING", 2}, {"ACTIVE"}}}},
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

const Track* TrackOf(const Lifecycle& lifecycle, absl::string_view name) {
  for (const Track& t : lifecycle.tracks) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace awsgw::emulator
