// The audit stream: every queued record reaches the file as one line, in
// order; a full queue drops and counts instead of growing or blocking.
#include "gateway/observability/audit_log.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::observability {
namespace {

std::string TempPath() {
  char name[] = "/tmp/awsgw-audit-test-XXXXXX";
  if (mkdtemp(name) == nullptr) std::abort();
  return std::string(name) + "/audit.jsonl";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(AuditLogTest, EveryRecordIsOneLineInOrder) {
  const std::string path = TempPath();
  {
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(path);
    ASSERT_TRUE(log.ok()) << log.status();
    for (int i = 0; i < 1000; ++i) (*log)->Write(absl::StrCat("{\"n\":", i, "}"));
    (*log)->Flush();
    EXPECT_EQ((*log)->written(), 1000u);
    EXPECT_EQ((*log)->dropped(), 0u);
  }
  std::vector<std::string> lines = absl::StrSplit(ReadAll(path), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1000u);
  EXPECT_EQ(lines.front(), "{\"n\":0}");
  EXPECT_EQ(lines.back(), "{\"n\":999}");
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);  // it names callers and resources
}

TEST(AuditLogTest, AppendsToAnExistingFile) {
  const std::string path = TempPath();
  std::ofstream(path) << "{\"earlier\":true}\n";
  {
    auto log = AuditLog::Open(path);
    ASSERT_TRUE(log.ok());
    (*log)->Write("{\"later\":true}");
  }  // the destructor writes what is queued
  EXPECT_EQ(ReadAll(path), "{\"earlier\":true}\n{\"later\":true}\n");
}

TEST(AuditLogTest, AFullQueueDropsAndCounts) {
  const std::string path = TempPath();
  auto log = AuditLog::Open(path, /*max_queued=*/0);
  ASSERT_TRUE(log.ok());
  for (int i = 0; i < 10; ++i) (*log)->Write("{}");
  EXPECT_EQ((*log)->dropped(), 10u);
  (*log)->Flush();
  EXPECT_EQ((*log)->written(), 0u);
}

TEST(AuditLogTest, AnUnopenableFileIsNamed) {
  auto log = AuditLog::Open("/nonexistent/folder/audit.jsonl");
  ASSERT_FALSE(log.ok());
  EXPECT_THAT(log.status().message(), ::testing::HasSubstr("/nonexistent/folder/audit.jsonl"));
}

}  // namespace
}  // namespace awsgw::gateway::observability
