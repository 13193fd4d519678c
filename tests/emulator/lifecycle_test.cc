// Lifecycles on a stepped clock: each state sequence of lifecycles.cc seen
// through the services' own read and list operations, converging counters,
// event feeds (in the resource or listed by their own operation), stop and
// cancel paths, records (App Runner operations, ECS deployments), failure
// triggers, time scale 0, and snapshots.
#include "aws/amplify/v1/amplify.pb.h"
#include "aws/appconfig/v1/appconfig.pb.h"
#include "aws/apprunner/v1/apprunner.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "aws/serverlessrepo/v1/serverlessrepo.pb.h"
#include "emulator/lifecycles.h"
#include "emulator/resource_handler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::emulator {
namespace {

using ::testing::ElementsAre;
namespace ar = ::aws::apprunner::v1;
namespace amp = ::aws::amplify::v1;
namespace ac = ::aws::appconfig::v1;
namespace ecs = ::aws::ecs::v1;
namespace sar = ::aws::serverlessrepo::v1;

absl::Time Start() {
  return absl::FromCivil(absl::CivilSecond(2026, 1, 2, 3, 4, 5), absl::UTCTimeZone());
}

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override { Make(1.0); }

  void Make(double time_scale) {
    auto registry = ServiceRegistry::FromGeneratedPool();
    ASSERT_TRUE(registry.ok());
    registry_ = std::make_unique<ServiceRegistry>(*std::move(registry));
    uint64_t counter = 0;
    handler_ = std::make_unique<ResourceHandler>(
        *registry_,
        ResourceMinter("us-west-2", "111122223333",
                       [counter]() mutable { return counter += 0x9e3779b97f4a7c15ULL; }),
        [this] { return now_; }, LifecycleOptions{time_scale, nullptr});
  }

  void Step(double seconds) { now_ += absl::Seconds(seconds); }

  const EmulatedService& Service(absl::string_view model) {
    for (const EmulatedService& s : registry_->services()) {
      if (s.info->model_name() == model) return s;
    }
    ADD_FAILURE() << "no service " << model;
    return registry_->services().front();
  }

  // Calls `op` of `model`; fails the test on an error status.
  template <typename Response, typename Request>
  Response Call(absl::string_view model, absl::string_view op, const Request& request) {
    Response response;
    const auto* method = Service(model).descriptor->FindMethodByName(std::string(op));
    EXPECT_NE(method, nullptr) << op;
    absl::Status s = handler_->Handle(Service(model), method, request, &response);
    EXPECT_TRUE(s.ok()) << op << ": " << s;
    return response;
  }

  template <typename Request>
  absl::Status CallStatus(absl::string_view model, absl::string_view op, const Request& request) {
    const auto* method = Service(model).descriptor->FindMethodByName(std::string(op));
    std::unique_ptr<google::protobuf::Message> response(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method->output_type())
            ->New());
    return handler_->Handle(Service(model), method, request, response.get());
  }

  // App Runner helpers.
  ar::CreateServiceResponse CreateAppRunnerService() {
    ar::CreateServiceRequest create;
    create.set_service_name("web");
    return Call<ar::CreateServiceResponse>("apprunner", "CreateService", create);
  }
  ar::Service DescribeAppRunner(const std::string& arn) {
    ar::DescribeServiceRequest d;
    d.set_service_arn(arn);
    return Call<ar::DescribeServiceResponse>("apprunner", "DescribeService", d).service();
  }
  std::vector<std::string> Operations(const std::string& arn) {
    ar::ListOperationsRequest list;
    list.set_service_arn(arn);
    std::vector<std::string> out;
    const auto listed = Call<ar::ListOperationsResponse>("apprunner", "ListOperations", list);
    for (const auto& op : listed.operation_summary_list()) {
      out.push_back(absl::StrCat(ar::OperationType_Name(op.type()), ":",
                                 ar::OperationStatus_Name(op.status())));
    }
    return out;
  }

  absl::Time now_ = Start();
  std::unique_ptr<ServiceRegistry> registry_;
  std::unique_ptr<ResourceHandler> handler_;
};

TEST_F(LifecycleTest, AppRunnerServiceOperations) {
  const ar::CreateServiceResponse created = CreateAppRunnerService();
  const std::string arn = created.service().service_arn();
  EXPECT_EQ(created.service().status(), ar::SERVICE_STATUS_OPERATION_IN_PROGRESS);
  EXPECT_THAT(Operations(arn),
              ElementsAre("OPERATION_TYPE_CREATE_SERVICE:OPERATION_STATUS_PENDING"));
  ar::ListOperationsRequest list;
  list.set_service_arn(arn);
  EXPECT_EQ(Call<ar::ListOperationsResponse>("apprunner", "ListOperations", list)
                .operation_summary_list(0)
                .id(),
            created.operation_id());
  Step(1);
  EXPECT_THAT(Operations(arn),
              ElementsAre("OPERATION_TYPE_CREATE_SERVICE:OPERATION_STATUS_IN_PROGRESS"));
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_OPERATION_IN_PROGRESS);
  Step(2);
  EXPECT_THAT(Operations(arn),
              ElementsAre("OPERATION_TYPE_CREATE_SERVICE:OPERATION_STATUS_SUCCEEDED"));
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_RUNNING);

  ar::PauseServiceRequest pause;
  pause.set_service_arn(arn);
  const auto paused = Call<ar::PauseServiceResponse>("apprunner", "PauseService", pause);
  EXPECT_EQ(paused.service().status(), ar::SERVICE_STATUS_OPERATION_IN_PROGRESS);
  EXPECT_FALSE(paused.operation_id().empty());
  Step(3);
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_PAUSED);
  ar::ResumeServiceRequest resume;
  resume.set_service_arn(arn);
  Call<ar::ResumeServiceResponse>("apprunner", "ResumeService", resume);
  Step(3);
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_RUNNING);
  ar::StartDeploymentRequest deploy;
  deploy.set_service_arn(arn);
  EXPECT_FALSE(Call<ar::StartDeploymentResponse>("apprunner", "StartDeployment", deploy)
                   .operation_id()
                   .empty());
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_OPERATION_IN_PROGRESS);
  Step(3);
  EXPECT_THAT(Operations(arn),
              ElementsAre("OPERATION_TYPE_CREATE_SERVICE:OPERATION_STATUS_SUCCEEDED",
                          "OPERATION_TYPE_PAUSE_SERVICE:OPERATION_STATUS_SUCCEEDED",
                          "OPERATION_TYPE_RESUME_SERVICE:OPERATION_STATUS_SUCCEEDED",
                          "OPERATION_TYPE_START_DEPLOYMENT:OPERATION_STATUS_SUCCEEDED"));

  ar::DeleteServiceRequest remove;
  remove.set_service_arn(arn);
  EXPECT_EQ(
      Call<ar::DeleteServiceResponse>("apprunner", "DeleteService", remove).service().status(),
      ar::SERVICE_STATUS_OPERATION_IN_PROGRESS);
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_OPERATION_IN_PROGRESS);
  Step(3);
  ar::DescribeServiceRequest gone;
  gone.set_service_arn(arn);
  EXPECT_EQ(CallStatus("apprunner", "DescribeService", gone).code(), absl::StatusCode::kNotFound);
}

TEST_F(LifecycleTest, AMarkedAppRunnerServiceFailsWithItsOperation) {
  ar::CreateServiceRequest create;
  create.set_service_name(absl::StrCat("web-", kFailMarker));
  const std::string arn =
      Call<ar::CreateServiceResponse>("apprunner", "CreateService", create).service().service_arn();
  Step(1);
  EXPECT_THAT(Operations(arn),
              ElementsAre("OPERATION_TYPE_CREATE_SERVICE:OPERATION_STATUS_IN_PROGRESS"));
  Step(2);
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_CREATE_FAILED);
  EXPECT_THAT(Operations(arn),
              ElementsAre("OPERATION_TYPE_CREATE_SERVICE:OPERATION_STATUS_FAILED"));
  // Unmarked services are not affected.
  const std::string other = CreateAppRunnerService().service().service_arn();
  Step(3);
  EXPECT_EQ(DescribeAppRunner(other).status(), ar::SERVICE_STATUS_RUNNING);
}

TEST_F(LifecycleTest, AppRunnerCustomDomainShowsItsValidationRecords) {
  const std::string arn = CreateAppRunnerService().service().service_arn();
  auto associate = [&](const std::string& domain) {
    ar::AssociateCustomDomainRequest a;
    a.set_service_arn(arn);
    a.set_domain_name(domain);
    return Call<ar::AssociateCustomDomainResponse>("apprunner", "AssociateCustomDomain", a)
        .custom_domain();
  };
  auto domains = [&] {
    ar::DescribeCustomDomainsRequest d;
    d.set_service_arn(arn);
    return Call<ar::DescribeCustomDomainsResponse>("apprunner", "DescribeCustomDomains", d);
  };
  EXPECT_EQ(associate("www.example.com").status(), ar::CUSTOM_DOMAIN_ASSOCIATION_STATUS_CREATING);
  associate(absl::StrCat(kFailMarker, ".example.com"));
  Step(1);
  const auto pending = domains();
  ASSERT_EQ(pending.custom_domains_size(), 2);
  for (const auto& domain : pending.custom_domains()) {
    EXPECT_EQ(domain.status(),
              ar::CUSTOM_DOMAIN_ASSOCIATION_STATUS_PENDING_CERTIFICATE_DNS_VALIDATION);
    ASSERT_EQ(domain.certificate_validation_records_size(), 1);
    EXPECT_THAT(domain.certificate_validation_records(0).name(),
                ::testing::EndsWith(absl::StrCat(".", domain.domain_name(), ".")));
    EXPECT_EQ(domain.certificate_validation_records(0).status(),
              ar::CERTIFICATE_VALIDATION_RECORD_STATUS_PENDING_VALIDATION);
  }
  Step(3);
  const auto done = domains();
  EXPECT_EQ(done.custom_domains(0).status(), ar::CUSTOM_DOMAIN_ASSOCIATION_STATUS_ACTIVE);
  EXPECT_EQ(done.custom_domains(0).certificate_validation_records(0).status(),
            ar::CERTIFICATE_VALIDATION_RECORD_STATUS_SUCCESS);
  EXPECT_EQ(done.custom_domains(1).status(), ar::CUSTOM_DOMAIN_ASSOCIATION_STATUS_CREATE_FAILED);
  EXPECT_EQ(done.custom_domains(1).certificate_validation_records(0).status(),
            ar::CERTIFICATE_VALIDATION_RECORD_STATUS_FAILED);
}

TEST_F(LifecycleTest, AmplifyDomainAssociationVerifiesItsSubdomains) {
  amp::CreateAppRequest app;
  app.set_name("site");
  const std::string app_id =
      Call<amp::CreateAppResponse>("amplify", "CreateApp", app).app().app_id();
  auto create = [&](const std::string& domain) {
    amp::CreateDomainAssociationRequest c;
    c.set_app_id(app_id);
    c.set_domain_name(domain);
    return Call<amp::CreateDomainAssociationResponse>("amplify", "CreateDomainAssociation", c)
        .domain_association();
  };
  auto get = [&](const std::string& domain) {
    amp::GetDomainAssociationRequest g;
    g.set_app_id(app_id);
    g.set_domain_name(domain);
    return Call<amp::GetDomainAssociationResponse>("amplify", "GetDomainAssociation", g)
        .domain_association();
  };
  const auto created = create("example.com");
  const std::string failing = absl::StrCat(kFailMarker, ".example.com");
  create(failing);
  EXPECT_EQ(created.domain_status(), amp::DOMAIN_STATUS_CREATING);
  ASSERT_EQ(created.sub_domains_size(), 1);
  EXPECT_FALSE(created.sub_domains(0).verified());
  Step(2);
  EXPECT_EQ(get("example.com").domain_status(), amp::DOMAIN_STATUS_PENDING_VERIFICATION);
  EXPECT_FALSE(get("example.com").certificate_verification_dns_record().empty());
  EXPECT_THAT(get("example.com").sub_domains(0).dns_record(), ::testing::HasSubstr("CNAME"));
  Step(1);
  EXPECT_EQ(get("example.com").domain_status(), amp::DOMAIN_STATUS_IN_PROGRESS);
  EXPECT_TRUE(get("example.com").sub_domains(0).verified());
  Step(2);
  EXPECT_EQ(get("example.com").domain_status(), amp::DOMAIN_STATUS_AVAILABLE);
  const auto failed = get(failing);
  EXPECT_EQ(failed.domain_status(), amp::DOMAIN_STATUS_FAILED);
  EXPECT_FALSE(failed.sub_domains(0).verified());
  EXPECT_THAT(failed.status_reason(), ::testing::HasSubstr("could not be verified"));
}

TEST_F(LifecycleTest, AppRunnerVpcIngressConnectionIsCreatedAndDeleted) {
  const std::string service = CreateAppRunnerService().service().service_arn();
  auto create = [&](const std::string& name) {
    ar::CreateVpcIngressConnectionRequest c;
    c.set_service_arn(service);
    c.set_vpc_ingress_connection_name(name);
    return Call<ar::CreateVpcIngressConnectionResponse>("apprunner", "CreateVpcIngressConnection",
                                                        c)
        .vpc_ingress_connection();
  };
  auto describe = [&](const std::string& arn) {
    ar::DescribeVpcIngressConnectionRequest d;
    d.set_vpc_ingress_connection_arn(arn);
    return Call<ar::DescribeVpcIngressConnectionResponse>("apprunner",
                                                          "DescribeVpcIngressConnection", d)
        .vpc_ingress_connection();
  };
  const auto created = create("ingress");
  const std::string failing =
      create(absl::StrCat("ingress-", kFailMarker)).vpc_ingress_connection_arn();
  EXPECT_EQ(created.status(), ar::VPC_INGRESS_CONNECTION_STATUS_PENDING_CREATION);
  Step(3);
  EXPECT_EQ(describe(created.vpc_ingress_connection_arn()).status(),
            ar::VPC_INGRESS_CONNECTION_STATUS_AVAILABLE);
  EXPECT_EQ(describe(failing).status(), ar::VPC_INGRESS_CONNECTION_STATUS_FAILED_CREATION);
  ar::DeleteVpcIngressConnectionRequest d;
  d.set_vpc_ingress_connection_arn(created.vpc_ingress_connection_arn());
  EXPECT_EQ(
      Call<ar::DeleteVpcIngressConnectionResponse>("apprunner", "DeleteVpcIngressConnection", d)
          .vpc_ingress_connection()
          .status(),
      ar::VPC_INGRESS_CONNECTION_STATUS_PENDING_DELETION);
  Step(2);
  EXPECT_EQ(describe(created.vpc_ingress_connection_arn()).status(),
            ar::VPC_INGRESS_CONNECTION_STATUS_DELETED);
  Step(60);
  ar::DescribeVpcIngressConnectionRequest gone;
  gone.set_vpc_ingress_connection_arn(created.vpc_ingress_connection_arn());
  EXPECT_EQ(CallStatus("apprunner", "DescribeVpcIngressConnection", gone).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LifecycleTest, ExperimentRunEventsAreListedByTheirOwnOperation) {
  ac::CreateApplicationRequest app;
  app.set_name("cfg");
  const std::string app_id =
      Call<ac::CreateApplicationResponse>("appconfig", "CreateApplication", app).id();
  ac::CreateExperimentDefinitionRequest def;
  def.set_application_identifier(app_id);
  def.set_name("exp");
  const std::string def_id =
      Call<ac::CreateExperimentDefinitionResponse>("appconfig", "CreateExperimentDefinition", def)
          .id();
  ac::StartExperimentRunRequest start;
  start.set_application_identifier(app_id);
  start.set_experiment_definition_identifier(def_id);
  EXPECT_EQ(Call<ac::StartExperimentRunResponse>("appconfig", "StartExperimentRun", start).run(),
            1);
  EXPECT_EQ(Call<ac::StartExperimentRunResponse>("appconfig", "StartExperimentRun", start).run(), 2)
      << "runs are numbered per definition";
  auto events = [&](int run) {
    ac::ListExperimentRunEventsRequest list;
    list.set_application_identifier(app_id);
    list.set_experiment_definition_identifier(def_id);
    list.set_run(run);
    std::vector<std::string> out;
    const auto listed =
        Call<ac::ListExperimentRunEventsResponse>("appconfig", "ListExperimentRunEvents", list);
    for (const auto& e : listed.items()) {
      out.push_back(ac::ExperimentRunEventType_Name(e.event_type()));
    }
    return out;
  };
  auto get = [&](int run) {
    ac::GetExperimentRunRequest g;
    g.set_application_identifier(app_id);
    g.set_experiment_definition_identifier(def_id);
    g.set_run(run);
    return Call<ac::GetExperimentRunResponse>("appconfig", "GetExperimentRun", g);
  };
  EXPECT_EQ(get(1).status(), ac::EXPERIMENT_RUN_STATUS_RUNNING);
  EXPECT_FALSE(get(1).has_ended_at());
  EXPECT_THAT(events(1), ElementsAre("EXPERIMENT_RUN_EVENT_TYPE_RUN_STARTED"));
  Step(1);
  ac::StopExperimentRunRequest stop;
  stop.set_application_identifier(app_id);
  stop.set_experiment_definition_identifier(def_id);
  stop.set_run(1);
  Call<ac::StopExperimentRunResponse>("appconfig", "StopExperimentRun", stop);
  EXPECT_EQ(get(1).status(), ac::EXPERIMENT_RUN_STATUS_DONE);
  EXPECT_TRUE(get(1).has_ended_at());
  EXPECT_THAT(events(1), ElementsAre("EXPERIMENT_RUN_EVENT_TYPE_RUN_STARTED",
                                     "EXPERIMENT_RUN_EVENT_TYPE_RUN_STOPPED"));
  EXPECT_EQ(get(2).status(), ac::EXPERIMENT_RUN_STATUS_RUNNING);
  EXPECT_THAT(events(2), ElementsAre("EXPERIMENT_RUN_EVENT_TYPE_RUN_STARTED"));

  // The events kept beside the run survive a snapshot.
  const std::string snapshot = handler_->Snapshot();
  Make(1.0);
  ASSERT_TRUE(handler_->Restore(snapshot).ok());
  EXPECT_THAT(events(1), ElementsAre("EXPERIMENT_RUN_EVENT_TYPE_RUN_STARTED",
                                     "EXPERIMENT_RUN_EVENT_TYPE_RUN_STOPPED"));
}

class AmplifyJobTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    amp::CreateAppRequest app;
    app.set_name("site");
    app_id_ = Call<amp::CreateAppResponse>("amplify", "CreateApp", app).app().app_id();
    amp::CreateBranchRequest branch;
    branch.set_app_id(app_id_);
    branch.set_branch_name("main");
    Call<amp::CreateBranchResponse>("amplify", "CreateBranch", branch);
  }
  std::string StartJob() {
    amp::StartJobRequest start;
    start.set_app_id(app_id_);
    start.set_branch_name("main");
    start.set_job_type(amp::JOB_TYPE_RELEASE);
    const auto started = Call<amp::StartJobResponse>("amplify", "StartJob", start);
    EXPECT_EQ(started.job_summary().status(), amp::JOB_STATUS_PENDING);
    return started.job_summary().job_id();
  }
  amp::Job GetJob(const std::string& id) {
    amp::GetJobRequest get;
    get.set_app_id(app_id_);
    get.set_branch_name("main");
    get.set_job_id(id);
    return Call<amp::GetJobResponse>("amplify", "GetJob", get).job();
  }
  std::string app_id_;
};

TEST_F(AmplifyJobTest, JobRunsThroughItsStepsToSucceed) {
  const std::string id = StartJob();
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(GetJob(id).summary().status(), amp::JOB_STATUS_PENDING);
  Step(1);
  EXPECT_EQ(GetJob(id).summary().status(), amp::JOB_STATUS_PROVISIONING);
  Step(1);
  EXPECT_EQ(GetJob(id).summary().status(), amp::JOB_STATUS_RUNNING);
  EXPECT_EQ(GetJob(id).steps_size(), 0);
  Step(1);
  EXPECT_EQ(GetJob(id).steps_size(), 1);
  Step(1);
  const amp::Job done = GetJob(id);
  EXPECT_EQ(done.summary().status(), amp::JOB_STATUS_SUCCEED);
  EXPECT_TRUE(done.summary().has_end_time());
  ASSERT_EQ(done.steps_size(), 2);
  EXPECT_EQ(done.steps(0).step_name(), "BUILD");
  EXPECT_EQ(done.steps(1).step_name(), "DEPLOY");
  EXPECT_EQ(done.steps(1).status(), amp::JOB_STATUS_SUCCEED);
  EXPECT_LT(done.steps(1).start_time().seconds(), done.steps(1).end_time().seconds());

  amp::ListJobsRequest list;
  list.set_app_id(app_id_);
  list.set_branch_name("main");
  const auto listed = Call<amp::ListJobsResponse>("amplify", "ListJobs", list);
  ASSERT_EQ(listed.job_summaries_size(), 1);
  EXPECT_EQ(listed.job_summaries(0).status(), amp::JOB_STATUS_SUCCEED);
}

TEST_F(AmplifyJobTest, StopJobCancels) {
  const std::string id = StartJob();
  Step(1.5);
  amp::StopJobRequest stop;
  stop.set_app_id(app_id_);
  stop.set_branch_name("main");
  stop.set_job_id(id);
  EXPECT_EQ(Call<amp::StopJobResponse>("amplify", "StopJob", stop).job_summary().status(),
            amp::JOB_STATUS_CANCELLING);
  Step(1);
  EXPECT_EQ(GetJob(id).summary().status(), amp::JOB_STATUS_CANCELLING);
  Step(1);
  EXPECT_EQ(GetJob(id).summary().status(), amp::JOB_STATUS_CANCELLED);
  Step(10);
  EXPECT_EQ(GetJob(id).summary().status(), amp::JOB_STATUS_CANCELLED) << "terminal";
}

class AppConfigDeploymentTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    ac::CreateApplicationRequest app;
    app.set_name("cfg");
    app_ = Call<ac::CreateApplicationResponse>("appconfig", "CreateApplication", app).id();
    ac::CreateEnvironmentRequest env;
    env.set_application_id(app_);
    env.set_name("prod");
    env_ = Call<ac::CreateEnvironmentResponse>("appconfig", "CreateEnvironment", env).id();
  }
  std::string Strategy(ac::GrowthType type, float factor, int minutes, int bake) {
    ac::CreateDeploymentStrategyRequest s;
    s.set_name(absl::StrCat("s", factor, minutes));
    s.set_growth_type(type);
    s.set_growth_factor(factor);
    s.set_deployment_duration_in_minutes(minutes);
    s.set_final_bake_time_in_minutes(bake);
    return Call<ac::CreateDeploymentStrategyResponse>("appconfig", "CreateDeploymentStrategy", s)
        .id();
  }
  ac::StartDeploymentResponse Deploy(const std::string& strategy) {
    ac::StartDeploymentRequest start;
    start.set_application_id(app_);
    start.set_environment_id(env_);
    start.set_deployment_strategy_id(strategy);
    start.set_configuration_profile_id("profile");
    start.set_configuration_version("1");
    return Call<ac::StartDeploymentResponse>("appconfig", "StartDeployment", start);
  }
  ac::GetDeploymentResponse Get(int number) {
    ac::GetDeploymentRequest get;
    get.set_application_id(app_);
    get.set_environment_id(env_);
    get.set_deployment_number(number);
    return Call<ac::GetDeploymentResponse>("appconfig", "GetDeployment", get);
  }
  ac::EnvironmentState EnvState() {
    ac::GetEnvironmentRequest get;
    get.set_application_id(app_);
    get.set_environment_id(env_);
    return Call<ac::GetEnvironmentResponse>("appconfig", "GetEnvironment", get).state();
  }
  std::string app_, env_;
};

TEST_F(AppConfigDeploymentTest, LinearGrowthBakeAndComplete) {
  EXPECT_EQ(EnvState(), ac::ENVIRONMENT_STATE_READY_FOR_DEPLOYMENT);
  const auto started = Deploy(Strategy(ac::GROWTH_TYPE_LINEAR, 20, 10, 5));
  EXPECT_EQ(started.deployment_number(), 1);
  EXPECT_EQ(started.state(), ac::DEPLOYMENT_STATE_DEPLOYING);
  EXPECT_EQ(started.growth_factor(), 20) << "taken from the strategy";
  EXPECT_EQ(started.percentage_complete(), 0);
  EXPECT_EQ(EnvState(), ac::ENVIRONMENT_STATE_DEPLOYING);
  // 10 modeled minutes = 10 s; 5 steps of 20% every 2 s.
  Step(2);
  EXPECT_EQ(Get(1).percentage_complete(), 20);
  EXPECT_TRUE(Get(1).has_started_at());
  EXPECT_FALSE(Get(1).has_completed_at()) << "no other timestamp fills it";
  Step(5);
  EXPECT_EQ(Get(1).percentage_complete(), 60);
  EXPECT_EQ(Get(1).state(), ac::DEPLOYMENT_STATE_DEPLOYING);
  Step(3);
  EXPECT_EQ(Get(1).state(), ac::DEPLOYMENT_STATE_BAKING);
  EXPECT_EQ(Get(1).percentage_complete(), 100);
  EXPECT_EQ(EnvState(), ac::ENVIRONMENT_STATE_DEPLOYING);
  Step(5);
  const auto done = Get(1);
  EXPECT_EQ(done.state(), ac::DEPLOYMENT_STATE_COMPLETE);
  EXPECT_TRUE(done.has_completed_at());
  EXPECT_EQ(EnvState(), ac::ENVIRONMENT_STATE_READY_FOR_DEPLOYMENT);
  std::vector<std::string> events;
  for (const auto& e : done.event_log())
    events.push_back(ac::DeploymentEventType_Name(e.event_type()));
  EXPECT_THAT(events, ElementsAre("DEPLOYMENT_EVENT_TYPE_DEPLOYMENT_COMPLETED",
                                  "DEPLOYMENT_EVENT_TYPE_BAKE_TIME_STARTED",
                                  "DEPLOYMENT_EVENT_TYPE_DEPLOYMENT_STARTED"));
}

TEST_F(AppConfigDeploymentTest, ExponentialGrowthDoubles) {
  Deploy(Strategy(ac::GROWTH_TYPE_EXPONENTIAL, 25, 6, 0));
  // 25, 50, 100: three steps over 6 s.
  Step(2);
  EXPECT_EQ(Get(1).percentage_complete(), 25);
  Step(2);
  EXPECT_EQ(Get(1).percentage_complete(), 50);
  Step(2);
  EXPECT_EQ(Get(1).percentage_complete(), 100);
  EXPECT_EQ(Get(1).state(), ac::DEPLOYMENT_STATE_COMPLETE);
}

TEST_F(AppConfigDeploymentTest, StopRollsBack) {
  Deploy(Strategy(ac::GROWTH_TYPE_LINEAR, 50, 10, 0));
  Step(5);
  ac::StopDeploymentRequest stop;
  stop.set_application_id(app_);
  stop.set_environment_id(env_);
  stop.set_deployment_number(1);
  const auto stopping = Call<ac::StopDeploymentResponse>("appconfig", "StopDeployment", stop);
  EXPECT_EQ(stopping.state(), ac::DEPLOYMENT_STATE_ROLLING_BACK);
  EXPECT_EQ(stopping.percentage_complete(), 50) << "frozen where it was";
  EXPECT_EQ(EnvState(), ac::ENVIRONMENT_STATE_ROLLING_BACK);
  Step(1);
  EXPECT_EQ(Get(1).state(), ac::DEPLOYMENT_STATE_ROLLED_BACK);
  EXPECT_EQ(EnvState(), ac::ENVIRONMENT_STATE_ROLLED_BACK);
  EXPECT_EQ(Get(1).event_log(0).event_type(), ac::DEPLOYMENT_EVENT_TYPE_ROLLBACK_COMPLETED);
  // The next deployment is number 2.
  EXPECT_EQ(Deploy(Strategy(ac::GROWTH_TYPE_LINEAR, 100, 0, 0)).deployment_number(), 2);
  EXPECT_EQ(Get(1).state(), ac::DEPLOYMENT_STATE_ROLLED_BACK);
}

class EcsTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    ecs::CreateClusterRequest cluster;
    cluster.set_cluster_name("prod");
    Call<ecs::CreateClusterResponse>("ecs", "CreateCluster", cluster);
  }
  ecs::Service Describe() {
    ecs::DescribeServicesRequest d;
    d.set_cluster("prod");
    d.add_services("web");
    const auto out = Call<ecs::DescribeServicesResponse>("ecs", "DescribeServices", d);
    EXPECT_EQ(out.services_size(), 1);
    return out.services_size() == 1 ? out.services(0) : ecs::Service();
  }
  ecs::Task DescribeTask(const std::string& arn) {
    ecs::DescribeTasksRequest d;
    d.set_cluster("prod");
    d.add_tasks(arn);
    const auto out = Call<ecs::DescribeTasksResponse>("ecs", "DescribeTasks", d);
    EXPECT_EQ(out.tasks_size(), 1);
    return out.tasks_size() == 1 ? out.tasks(0) : ecs::Task();
  }
};

TEST_F(EcsTest, ServiceRunningCountConverges) {
  ecs::CreateServiceRequest create;
  create.set_cluster("prod");
  create.set_service_name("web");
  create.set_task_definition("app:1");
  create.set_desired_count(4);
  const auto created = Call<ecs::CreateServiceResponse>("ecs", "CreateService", create).service();
  EXPECT_EQ(created.status(), "ACTIVE");
  EXPECT_EQ(created.running_count(), 0);
  EXPECT_EQ(created.pending_count(), 4);
  ASSERT_EQ(created.deployments_size(), 1);
  EXPECT_EQ(created.deployments(0).rollout_state(), ecs::DEPLOYMENT_ROLLOUT_STATE_IN_PROGRESS);
  EXPECT_EQ(created.deployments(0).status(), "PRIMARY");
  Step(1.5);
  EXPECT_EQ(Describe().running_count(), 2);
  EXPECT_EQ(Describe().pending_count(), 2);
  EXPECT_EQ(Describe().deployments(0).running_count(), 2);
  Step(1.5);
  ecs::Service steady = Describe();
  EXPECT_EQ(steady.running_count(), 4);
  EXPECT_EQ(steady.pending_count(), 0);
  EXPECT_EQ(steady.deployments(0).rollout_state(), ecs::DEPLOYMENT_ROLLOUT_STATE_COMPLETED);
  ASSERT_EQ(steady.events_size(), 2);
  EXPECT_EQ(steady.events(0).message(), "(service web) has reached a steady state.");
  EXPECT_FALSE(steady.events(0).id().empty());

  ecs::UpdateServiceRequest update;
  update.set_cluster("prod");
  update.set_service("web");
  update.set_desired_count(2);
  Call<ecs::UpdateServiceResponse>("ecs", "UpdateService", update);
  EXPECT_EQ(Describe().deployments(0).rollout_state(), ecs::DEPLOYMENT_ROLLOUT_STATE_IN_PROGRESS);
  Step(3);
  EXPECT_EQ(Describe().running_count(), 2);
  EXPECT_EQ(Describe().events_size(), 4);

  ecs::DeleteServiceRequest remove;
  remove.set_cluster("prod");
  remove.set_service("web");
  EXPECT_EQ(Call<ecs::DeleteServiceResponse>("ecs", "DeleteService", remove).service().status(),
            "DRAINING");
  Step(2);
  // INACTIVE: still described (the "services inactive" waiter sees it), no
  // longer listed, gone a minute later.
  EXPECT_EQ(Describe().status(), "INACTIVE");
  ecs::ListServicesRequest list;
  list.set_cluster("prod");
  EXPECT_EQ(Call<ecs::ListServicesResponse>("ecs", "ListServices", list).service_arns_size(), 0);
  Step(60);
  ecs::DescribeServicesRequest describe;
  describe.set_cluster("prod");
  describe.add_services("web");
  const auto gone = Call<ecs::DescribeServicesResponse>("ecs", "DescribeServices", describe);
  EXPECT_EQ(gone.services_size(), 0);
  ASSERT_EQ(gone.failures_size(), 1);
  EXPECT_EQ(gone.failures(0).reason(), "MISSING");
}

TEST_F(EcsTest, ServiceDeploymentsAreRecordedAndCanBeStopped) {
  ecs::CreateServiceRequest create;
  create.set_cluster("prod");
  create.set_service_name("web");
  create.set_desired_count(1);
  const std::string service =
      Call<ecs::CreateServiceResponse>("ecs", "CreateService", create).service().service_arn();
  auto deployments = [&] {
    ecs::ListServiceDeploymentsRequest list;
    list.set_cluster("prod");
    list.set_service("web");
    std::vector<std::string> arns;
    const auto listed =
        Call<ecs::ListServiceDeploymentsResponse>("ecs", "ListServiceDeployments", list);
    for (const auto& d : listed.service_deployments()) {
      arns.push_back(d.service_deployment_arn());
    }
    return arns;
  };
  auto describe = [&](const std::string& arn) {
    // By ARN alone: no cluster is named, and none named "default" exists.
    ecs::DescribeServiceDeploymentsRequest d;
    d.add_service_deployment_arns(arn);
    const auto out =
        Call<ecs::DescribeServiceDeploymentsResponse>("ecs", "DescribeServiceDeployments", d);
    EXPECT_EQ(out.service_deployments_size(), 1);
    return out.service_deployments_size() == 1 ? out.service_deployments(0)
                                               : ecs::ServiceDeployment();
  };
  ASSERT_EQ(deployments().size(), 1u);
  const std::string first = deployments()[0];
  EXPECT_THAT(first, ::testing::HasSubstr(":service-deployment/web/"));
  EXPECT_EQ(describe(first).service_arn(), service);
  EXPECT_EQ(describe(first).status(), ecs::SERVICE_DEPLOYMENT_STATUS_PENDING);
  Step(1);
  EXPECT_EQ(describe(first).status(), ecs::SERVICE_DEPLOYMENT_STATUS_IN_PROGRESS);
  Step(3);
  EXPECT_EQ(describe(first).status(), ecs::SERVICE_DEPLOYMENT_STATUS_SUCCESSFUL);
  EXPECT_TRUE(describe(first).has_finished_at());

  // Each update is another deployment; stopping one rolls it back by
  // default, or stops it with stopType ABORT.
  ecs::UpdateServiceRequest update;
  update.set_cluster("prod");
  update.set_service("web");
  update.set_desired_count(2);
  Call<ecs::UpdateServiceResponse>("ecs", "UpdateService", update);
  Call<ecs::UpdateServiceResponse>("ecs", "UpdateService", update);
  const std::vector<std::string> all = deployments();
  ASSERT_EQ(all.size(), 3u);
  ecs::StopServiceDeploymentRequest stop;
  stop.set_service_deployment_arn(all[1]);
  Call<ecs::StopServiceDeploymentResponse>("ecs", "StopServiceDeployment", stop);
  stop.set_service_deployment_arn(all[2]);
  stop.set_stop_type(ecs::STOP_SERVICE_DEPLOYMENT_STOP_TYPE_ABORT);
  Call<ecs::StopServiceDeploymentResponse>("ecs", "StopServiceDeployment", stop);
  EXPECT_EQ(describe(all[1]).status(), ecs::SERVICE_DEPLOYMENT_STATUS_ROLLBACK_REQUESTED);
  EXPECT_EQ(describe(all[2]).status(), ecs::SERVICE_DEPLOYMENT_STATUS_STOP_REQUESTED);
  Step(3);
  EXPECT_EQ(describe(all[1]).status(), ecs::SERVICE_DEPLOYMENT_STATUS_ROLLBACK_SUCCESSFUL);
  EXPECT_EQ(describe(all[2]).status(), ecs::SERVICE_DEPLOYMENT_STATUS_STOPPED);
  EXPECT_TRUE(describe(all[2]).has_stopped_at());
}

TEST_F(EcsTest, DaemonDeploymentsOfAMarkedDaemonRollBack) {
  auto create = [&](const std::string& name) {
    ecs::CreateDaemonRequest c;
    c.set_daemon_name(name);
    c.set_cluster_arn("prod");
    return Call<ecs::CreateDaemonResponse>("ecs", "CreateDaemon", c);
  };
  auto deployment = [&](const std::string& arn) {
    ecs::DescribeDaemonDeploymentsRequest d;
    d.add_daemon_deployment_arns(arn);
    const auto out =
        Call<ecs::DescribeDaemonDeploymentsResponse>("ecs", "DescribeDaemonDeployments", d);
    EXPECT_EQ(out.daemon_deployments_size(), 1);
    return out.daemon_deployments_size() == 1 ? out.daemon_deployments(0) : ecs::DaemonDeployment();
  };
  const auto good = create("agent");
  const auto bad = create(absl::StrCat("agent-", kFailMarker));
  ASSERT_FALSE(good.deployment_arn().empty()) << "the create answers its deployment";
  ecs::DescribeDaemonRequest describe;
  describe.set_daemon_arn(good.daemon_arn());
  EXPECT_EQ(Call<ecs::DescribeDaemonResponse>("ecs", "DescribeDaemon", describe)
                .daemon()
                .deployment_arn(),
            good.deployment_arn());
  EXPECT_EQ(deployment(good.deployment_arn()).status(), ecs::DAEMON_DEPLOYMENT_STATUS_PENDING);
  Step(4);
  EXPECT_EQ(deployment(good.deployment_arn()).status(), ecs::DAEMON_DEPLOYMENT_STATUS_SUCCESSFUL);
  EXPECT_EQ(deployment(bad.deployment_arn()).status(),
            ecs::DAEMON_DEPLOYMENT_STATUS_ROLLBACK_IN_PROGRESS);
  Step(1);
  EXPECT_EQ(deployment(bad.deployment_arn()).status(),
            ecs::DAEMON_DEPLOYMENT_STATUS_ROLLBACK_SUCCESSFUL);
  EXPECT_THAT(deployment(bad.deployment_arn()).status_reason(),
              ::testing::HasSubstr("circuit breaker"));
  ecs::UpdateDaemonRequest update;
  update.set_daemon_arn(good.daemon_arn());
  const std::string second =
      Call<ecs::UpdateDaemonResponse>("ecs", "UpdateDaemon", update).deployment_arn();
  EXPECT_NE(second, good.deployment_arn());
  EXPECT_EQ(deployment(second).status(), ecs::DAEMON_DEPLOYMENT_STATUS_PENDING);
}

TEST_F(EcsTest, TaskRunsAndStops) {
  ecs::RunTaskRequest run;
  run.set_cluster("prod");
  run.set_task_definition("app:1");
  const auto ran = Call<ecs::RunTaskResponse>("ecs", "RunTask", run);
  ASSERT_EQ(ran.tasks_size(), 1);
  const std::string arn = ran.tasks(0).task_arn();
  EXPECT_THAT(arn, ::testing::StartsWith("arn:aws:ecs:us-west-2:111122223333:task/prod/"));
  EXPECT_EQ(ran.tasks(0).last_status(), "PROVISIONING");
  EXPECT_EQ(ran.tasks(0).desired_status(), "RUNNING");
  Step(1);
  EXPECT_EQ(DescribeTask(arn).last_status(), "PENDING");
  Step(2);
  EXPECT_EQ(DescribeTask(arn).last_status(), "RUNNING");
  EXPECT_TRUE(DescribeTask(arn).has_started_at());
  ecs::ListTasksRequest list;
  list.set_cluster("prod");
  EXPECT_THAT(Call<ecs::ListTasksResponse>("ecs", "ListTasks", list).task_arns(), ElementsAre(arn));

  ecs::StopTaskRequest stop;
  stop.set_cluster("prod");
  stop.set_task(arn);
  stop.set_reason("scaling in");
  const ecs::Task stopping = Call<ecs::StopTaskResponse>("ecs", "StopTask", stop).task();
  EXPECT_EQ(stopping.last_status(), "DEACTIVATING");
  EXPECT_EQ(stopping.desired_status(), "STOPPED");
  EXPECT_EQ(stopping.stop_code(), ecs::TASK_STOP_CODE_USER_INITIATED);
  EXPECT_EQ(stopping.stopped_reason(), "scaling in");
  Step(3);
  const ecs::Task stopped = DescribeTask(arn);
  EXPECT_EQ(stopped.last_status(), "STOPPED");
  EXPECT_TRUE(stopped.has_stopped_at());
  // Stopping again answers the stopped task; it does not start over.
  EXPECT_EQ(Call<ecs::StopTaskResponse>("ecs", "StopTask", stop).task().last_status(), "STOPPED");
}

TEST_F(EcsTest, RunTaskCountStartsThatManyTasks) {
  ecs::RunTaskRequest run;
  run.set_cluster("prod");
  run.set_task_definition("app:1");
  run.set_count(3);
  const auto ran = Call<ecs::RunTaskResponse>("ecs", "RunTask", run);
  ASSERT_EQ(ran.tasks_size(), 3);
  EXPECT_NE(ran.tasks(0).task_arn(), ran.tasks(2).task_arn());
  ecs::ListTasksRequest list;
  list.set_cluster("prod");
  EXPECT_EQ(Call<ecs::ListTasksResponse>("ecs", "ListTasks", list).task_arns_size(), 3);
  run.set_count(50);
  EXPECT_EQ(Call<ecs::RunTaskResponse>("ecs", "RunTask", run).tasks_size(), 10) << "ECS's maximum";
}

TEST_F(LifecycleTest, ServerlessRepoTemplateIsPrepared) {
  sar::CreateApplicationRequest app;
  app.set_name("tool");
  app.set_author("me");
  app.set_description("d");
  const std::string app_id =
      Call<sar::CreateApplicationResponse>("serverlessrepo", "CreateApplication", app)
          .application_id();
  sar::CreateCloudFormationTemplateRequest create;
  create.set_application_id(app_id);
  const auto created = Call<sar::CreateCloudFormationTemplateResponse>(
      "serverlessrepo", "CreateCloudFormationTemplate", create);
  EXPECT_EQ(created.status(), sar::STATUS_PREPARING);
  ASSERT_FALSE(created.template_id().empty());
  sar::GetCloudFormationTemplateRequest get;
  get.set_application_id(app_id);
  get.set_template_id(created.template_id());
  Step(2);
  EXPECT_EQ(Call<sar::GetCloudFormationTemplateResponse>("serverlessrepo",
                                                         "GetCloudFormationTemplate", get)
                .status(),
            sar::STATUS_ACTIVE);
}

TEST_F(LifecycleTest, TimeScaleZeroIsInstantaneous) {
  Make(0);
  const ar::CreateServiceResponse created = CreateAppRunnerService();
  EXPECT_EQ(created.service().status(), ar::SERVICE_STATUS_RUNNING);
  EXPECT_THAT(Operations(created.service().service_arn()),
              ElementsAre("OPERATION_TYPE_CREATE_SERVICE:OPERATION_STATUS_SUCCEEDED"));
  ar::DeleteServiceRequest remove;
  remove.set_service_arn(created.service().service_arn());
  EXPECT_EQ(
      Call<ar::DeleteServiceResponse>("apprunner", "DeleteService", remove).service().status(),
      ar::SERVICE_STATUS_DELETED);
  ar::DescribeServiceRequest gone;
  gone.set_service_arn(created.service().service_arn());
  EXPECT_EQ(CallStatus("apprunner", "DescribeService", gone).code(), absl::StatusCode::kNotFound);
}

TEST_F(LifecycleTest, TimeScaleStretchesDurations) {
  Make(10);
  const ar::CreateServiceResponse created = CreateAppRunnerService();
  Step(29);
  EXPECT_EQ(DescribeAppRunner(created.service().service_arn()).status(),
            ar::SERVICE_STATUS_OPERATION_IN_PROGRESS);
  Step(1);
  EXPECT_EQ(DescribeAppRunner(created.service().service_arn()).status(),
            ar::SERVICE_STATUS_RUNNING);
}

TEST_F(LifecycleTest, SnapshotKeepsResourcesAndProgress) {
  const ar::CreateServiceResponse created = CreateAppRunnerService();
  const std::string arn = created.service().service_arn();
  Step(1);
  const std::string snapshot = handler_->Snapshot();
  Make(1.0);
  ar::DescribeServiceRequest d;
  d.set_service_arn(arn);
  EXPECT_EQ(CallStatus("apprunner", "DescribeService", d).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(handler_->Restore(snapshot).ok());
  EXPECT_EQ(DescribeAppRunner(arn).service_name(), "web");
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_OPERATION_IN_PROGRESS);
  Step(2);
  EXPECT_EQ(DescribeAppRunner(arn).status(), ar::SERVICE_STATUS_RUNNING);
  EXPECT_THAT(Operations(arn),
              ElementsAre("OPERATION_TYPE_CREATE_SERVICE:OPERATION_STATUS_SUCCEEDED"));
}

TEST_F(LifecycleTest, CorruptSnapshotIsAClearError) {
  for (absl::string_view bad :
       {"", "{not json", "[]", R"({"format":"other","version":1,"resources":[]})",
        R"({"format":"aws-emulator-snapshot","version":1,"resources":[{"service":"ecs",)"
        R"("kind":"Cluster","type":"aws.ecs.v1.NoSuchType","body":{}}]})",
        R"({"format":"aws-emulator-snapshot","version":1,"resources":[{"service":"ecs",)"
        R"("kind":"Cluster","type":"aws.ecs.v1.Cluster","body":{"cluster_name":7}}]})"}) {
    absl::Status s = handler_->Restore(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(s.message(), ::testing::HasSubstr("not a valid snapshot")) << bad;
  }
}

}  // namespace
}  // namespace awsgw::emulator
