// UnaryCallReactor in a real in-process gRPC server, forwarding through a
// real AwsClient to the embedded emulator on loopback: what a caller sends
// (bytes, metadata) and what it gets back (response, status, request ids).
#include "gateway/server/unary_call_reactor.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "auth/providers/credentials_cache.h"
#include "auth/providers/static_provider.h"
#include "aws/ecs/v1/ecs.grpc.pb.h"
#include "gateway/aws_client/aws_client.h"
#include "gateway/server/dynamic_service.h"
#include "gateway/server/embedded_emulator.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "http/client/http_client.h"
#include "translators/method_table.h"

namespace awsgw::gateway::server {
namespace {

// Set-up that cannot go on: reported, then the test binary stops (a failed
// EXPECT would go on to dereference what is missing).
void Require(const absl::Status& status) {
  if (status.ok()) return;
  ADD_FAILURE() << "set-up failed: " << status;
  std::abort();
}

class UnaryCallReactorTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { state_ = new State(); }
  static void TearDownTestSuite() {
    delete state_;
    state_ = nullptr;
  }

  // One gateway front for the whole suite: table, emulator, AWS client and
  // gRPC server, torn down in reverse order.
  struct State {
    State() {
      absl::StatusOr<std::unique_ptr<translators::MethodTable>> made =
          translators::MethodTable::FromGeneratedPool();
      Require(made.status());
      table = *std::move(made);
      absl::StatusOr<std::unique_ptr<EmbeddedEmulator>> started =
          EmbeddedEmulator::Start("us-east-1");
      Require(started.status());
      emulator = *std::move(started);

      aws_client::AwsClientOptions options;
      options.region = "us-east-1";
      const std::string url = emulator->url();
      // Only the emulator's endpoint: nothing of the process environment.
      options.endpoints.getenv = [url](const std::string& name) -> std::optional<std::string> {
        if (name == "AWS_ENDPOINT_URL") return url;
        return std::nullopt;
      };
      absl::StatusOr<std::unique_ptr<http::client::HttpClient>> http =
          http::client::HttpClient::Create({});
      Require(http.status());
      auto credentials = std::make_shared<auth::providers::CredentialsCache>(
          std::make_shared<auth::providers::StaticProvider>(emulator->credentials(),
                                                            "emulator keys"));
      client = std::make_unique<aws_client::AwsClient>(std::move(options), *std::move(http),
                                                       std::move(credentials));

      aws_client::AwsClient* aws = client.get();
      const UnaryHandler forward = [aws](const translators::MethodEntry& method,
                                         grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) {
        return UnaryCallReactor::Start(aws, nullptr, nullptr, method, context, request, response);
      };
      grpc::ServerBuilder builder;
      int port = 0;
      builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
      for (const translators::ServiceEntry& entry : table->services()) {
        services.push_back(std::make_unique<DynamicService>(entry, forward));
        builder.RegisterService(services.back().get());
      }
      server = builder.BuildAndStart();
      EXPECT_NE(server, nullptr);
      channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                    grpc::InsecureChannelCredentials());
    }
    ~State() {
      server->Shutdown();
      server.reset();
      client.reset();
    }

    std::unique_ptr<translators::MethodTable> table;
    std::unique_ptr<EmbeddedEmulator> emulator;
    std::unique_ptr<aws_client::AwsClient> client;
    std::vector<std::unique_ptr<DynamicService>> services;
    std::unique_ptr<grpc::Server> server;
    std::shared_ptr<grpc::Channel> channel;
  };

  // Every call of a test goes through stub_ with context_ (bounded by a
  // deadline, so a hang fails instead of blocking the suite).
  void SetUp() override {
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  }

  // A raw call with `bytes` as the request, for input no stub would send.
  grpc::Status RawCall(const std::string& path, const std::string& bytes) {
    grpc::GenericStub stub(state_->channel);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    absl::Notification done;
    grpc::Status status;
    stub.UnaryCall(&context_, path, grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
      status = std::move(s);
      done.Notify();
    });
    EXPECT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(60)));
    return status;
  }

  static State* state_;
  std::unique_ptr<aws::ecs::v1::EcsService::Stub> stub_ =
      aws::ecs::v1::EcsService::NewStub(state_->channel);
  grpc::ClientContext context_;
};

UnaryCallReactorTest::State* UnaryCallReactorTest::state_ = nullptr;

std::string Metadata(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                     const std::string& key) {
  auto it = metadata.find(key);
  return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
}

TEST_F(UnaryCallReactorTest, ForwardsAndEchoesTheRequestIds) {
  context_.AddMetadata("x-request-id", "caller-id-1");
  aws::ecs::v1::CreateClusterRequest request;
  request.set_cluster_name("reactor-test");
  aws::ecs::v1::CreateClusterResponse response;
  const grpc::Status status = stub_->CreateCluster(&context_, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.cluster().cluster_name(), "reactor-test");
  EXPECT_EQ(Metadata(context_.GetServerInitialMetadata(), "x-request-id"), "caller-id-1");
  EXPECT_FALSE(Metadata(context_.GetServerTrailingMetadata(), "x-amzn-requestid").empty());
}

TEST_F(UnaryCallReactorTest, AnUnusableRequestIdIsReplacedWithAUuid) {
  context_.AddMetadata("x-request-id", std::string(200, 'a'));
  aws::ecs::v1::ListClustersResponse response;
  ASSERT_TRUE(stub_->ListClusters(&context_, {}, &response).ok());
  const std::string id = Metadata(context_.GetServerInitialMetadata(), "x-request-id");
  EXPECT_EQ(id.size(), 36u) << id;
}

TEST_F(UnaryCallReactorTest, BytesThatAreNotTheRequestAreInvalidArgument) {
  const grpc::Status status = RawCall("/aws.ecs.v1.EcsService/ListClusters", "\xff\xff\xff\xff");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "the request is not a valid aws.ecs.v1.ListClustersRequest");
}

TEST_F(UnaryCallReactorTest, ARegionThatCouldSteerTheHostIsInvalidArgument) {
  context_.AddMetadata("x-aws-region", "evil.example.com/");
  aws::ecs::v1::ListClustersResponse response;
  const grpc::Status status = stub_->ListClusters(&context_, {}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), testing::HasSubstr("is not an AWS region"));
}

TEST_F(UnaryCallReactorTest, AMissingRequiredMemberIsNamed) {
  aws::ecs::v1::CreateServiceResponse response;
  const grpc::Status status = stub_->CreateService(&context_, {}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "service_name is required");
}

TEST_F(UnaryCallReactorTest, AnAwsErrorComesBackWithItsCodeAndRequestId) {
  aws::ecs::v1::DeleteClusterRequest request;
  request.set_cluster("no-such-cluster");
  aws::ecs::v1::DeleteClusterResponse response;
  const grpc::Status status = stub_->DeleteCluster(&context_, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), testing::HasSubstr("ClusterNotFoundException"));
  EXPECT_FALSE(status.error_details().empty()) << "google.rpc.Status details";
  EXPECT_FALSE(Metadata(context_.GetServerTrailingMetadata(), "x-amzn-requestid").empty());
}

}  // namespace
}  // namespace awsgw::gateway::server
