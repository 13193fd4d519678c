// Field paths: resolution against descriptors and evaluation by reflection.
#include "gateway/watch/field_path.h"

#include "aws/amplify/v1/amplify.pb.h"
#include "aws/apprunner/v1/apprunner.pb.h"
#include "aws/ecs/v1/ecs.pb.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::watch {
namespace {

TEST(FieldPathTest, ResolvesNestedPathsAndNamesTheBadSegment) {
  auto path = FieldPath::Resolve(aws::amplify::v1::Job::descriptor(), "summary.status");
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(path->leaf()->name(), "status");
  auto bad = FieldPath::Resolve(aws::amplify::v1::Job::descriptor(), "summary.nope");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("\"nope\""), std::string::npos);
  auto through_list = FieldPath::Resolve(aws::amplify::v1::Job::descriptor(), "steps.status");
  EXPECT_FALSE(through_list.ok());
  auto empty = FieldPath::Resolve(aws::amplify::v1::Job::descriptor(), "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(empty->message_type(), aws::amplify::v1::Job::descriptor());
}

TEST(FieldPathTest, EnumsReadAsTheirAwsStringOrTheRawValue) {
  aws::amplify::v1::Job job;
  auto path = *FieldPath::Resolve(job.GetDescriptor(), "summary.status");
  EXPECT_EQ(path.Text(job), std::nullopt);  // parent unset
  job.mutable_summary()->set_status(aws::amplify::v1::JOB_STATUS_SUCCEED);
  EXPECT_EQ(path.Text(job), "SUCCEED");
  job.mutable_summary()->clear_status();
  job.mutable_summary()->set_status_raw("BRAND_NEW_STATUS");
  EXPECT_EQ(path.Text(job), "BRAND_NEW_STATUS");
}

TEST(FieldPathTest, ScalarsCountsElementsAndTimestamps) {
  aws::ecs::v1::Service service;
  service.set_running_count(0);
  service.add_deployments()->set_id("d1");
  service.add_deployments()->set_id("d2");
  auto* event = service.add_events();
  event->mutable_created_at()->set_seconds(12);
  event->mutable_created_at()->set_nanos(5);
  const google::protobuf::Descriptor* d = service.GetDescriptor();
  EXPECT_EQ(FieldPath::Resolve(d, "running_count")->Text(service), "0");  // set zero is not unset
  EXPECT_EQ(FieldPath::Resolve(d, "desired_count")->Text(service), std::nullopt);
  EXPECT_EQ(FieldPath::Resolve(d, "deployments")->Count(service), 2);
  auto elements = FieldPath::Resolve(d, "deployments")->Elements(service);
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(FieldPath::Resolve(elements[1]->GetDescriptor(), "id")->Text(*elements[1]), "d2");
  EXPECT_EQ(FieldPath::Resolve(aws::ecs::v1::ServiceEvent::descriptor(), "created_at")
                ->TimestampNanos(*event),
            12000000005);
  FieldPath::Resolve(d, "events")->Clear(&service);
  EXPECT_EQ(service.events_size(), 0);
}

TEST(FieldPathTest, CopiesScalarsAndAppendsToStringLists) {
  aws::apprunner::v1::DescribeServiceRequest from;
  from.set_service_arn("arn:1");
  aws::apprunner::v1::ListOperationsRequest to;
  auto src = *FieldPath::Resolve(from.GetDescriptor(), "service_arn");
  auto dst = *FieldPath::Resolve(to.GetDescriptor(), "service_arn");
  ASSERT_TRUE(dst.CopyFrom(from, src, &to).ok());
  EXPECT_EQ(to.service_arn(), "arn:1");
  // Unset sources leave the target unset.
  aws::apprunner::v1::DescribeServiceRequest unset;
  aws::apprunner::v1::ListOperationsRequest untouched;
  ASSERT_TRUE(dst.CopyFrom(unset, src, &untouched).ok());
  EXPECT_FALSE(untouched.has_service_arn());
  // Types must agree.
  auto number = *FieldPath::Resolve(to.GetDescriptor(), "max_results");
  EXPECT_FALSE(number.CopyFrom(from, src, &to).ok());

  aws::ecs::v1::DescribeTasksRequest tasks;
  auto list = *FieldPath::Resolve(tasks.GetDescriptor(), "tasks");
  ASSERT_TRUE(list.AppendString(&tasks, "t1").ok());
  ASSERT_TRUE(list.AppendString(&tasks, "t2").ok());
  EXPECT_EQ(tasks.tasks_size(), 2);
  EXPECT_FALSE(
      FieldPath::Resolve(tasks.GetDescriptor(), "cluster")->AppendString(&tasks, "x").ok());
}

TEST(FieldPathTest, StableDigestIsDeterministicAndSensitive) {
  aws::ecs::v1::Service a, b;
  a.set_status("ACTIVE");
  b.set_status("ACTIVE");
  EXPECT_EQ(StableDigest(a), StableDigest(b));
  b.set_running_count(1);
  EXPECT_NE(StableDigest(a), StableDigest(b));
  // FNV-1a 64 of "" and "a": fixed, so replicas agree.
  EXPECT_EQ(StableDigest(absl::string_view("")), 14695981039346656037ull);
  EXPECT_EQ(StableDigest(absl::string_view("a")), 0xaf63dc4c8601ec8cull);
}

}  // namespace
}  // namespace awsgw::gateway::watch
