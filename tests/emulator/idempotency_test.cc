// Idempotency tokens: a write repeated with its client token gets the first
// answer again and acts once, as AWS does; without a token, or with another,
// it acts again.
#include <string>

#include "absl/strings/str_cat.h"
#include "emulator/emulator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/emulator/emulator_test_support.h"

namespace awsgw::emulator {
namespace {

using testing::JsonRequest;
using testing::MakeEmulator;
using testing::Signed;

constexpr char kEcsType[] = "application/x-amz-json-1.1";

http::HttpResponse Ecs(Emulator& emulator, absl::string_view action, const std::string& body) {
  return emulator.Handle(Signed(
      JsonRequest(absl::StrCat("AmazonEC2ContainerServiceV20141113.", action), kEcsType, body),
      "ecs", emulator.default_credentials()));
}

size_t TaskCount(Emulator& emulator) {
  const std::string body = Ecs(emulator, "ListTasks", "{}").body;
  size_t count = 0;
  for (size_t at = body.find("arn:aws:ecs"); at != std::string::npos;
       at = body.find("arn:aws:ecs", at + 1)) {
    ++count;
  }
  return count;
}

TEST(IdempotencyTest, ARepeatedTokenGetsTheFirstAnswerAndActsOnce) {
  auto emulator = MakeEmulator();
  ASSERT_NE(emulator, nullptr);
  ASSERT_EQ(Ecs(*emulator, "CreateCluster", R"({"clusterName":"default"})").status, 200);
  constexpr char kRun[] = R"({"taskDefinition":"web:1","clientToken":"token-1"})";
  const http::HttpResponse first = Ecs(*emulator, "RunTask", kRun);
  ASSERT_EQ(first.status, 200) << first.body;
  const http::HttpResponse again = Ecs(*emulator, "RunTask", kRun);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(TaskCount(*emulator), 1u);

  // Another token, or none, is another request.
  EXPECT_EQ(
      Ecs(*emulator, "RunTask", R"({"taskDefinition":"web:1","clientToken":"token-2"})").status,
      200);
  EXPECT_EQ(Ecs(*emulator, "RunTask", R"({"taskDefinition":"web:1"})").status, 200);
  EXPECT_EQ(TaskCount(*emulator), 3u);
}

}  // namespace
}  // namespace awsgw::emulator
