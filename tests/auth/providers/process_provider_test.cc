#include "auth/providers/process_provider.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::providers {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Credentials> RunProcess(const std::string& command,
                                       absl::Duration timeout = absl::Seconds(20)) {
  ProcessProvider provider(command, "p", timeout);
  absl::StatusOr<Credentials> result = absl::UnknownError("not called");
  provider.Fetch([&](absl::StatusOr<Credentials> c) { result = std::move(c); });
  return result;
}

TEST(ProcessProviderTest, ReadsTheCredentialsTheProcessPrints) {
  absl::StatusOr<Credentials> c = RunProcess(
      R"(printf '{"Version":1,"AccessKeyId":"ASIAPROC","SecretAccessKey":"s","SessionToken":"t",)"
      R"("Expiration":"2030-01-01T00:00:00Z"}')");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->access_key_id(), "ASIAPROC");
  EXPECT_EQ(c->session_token(), "t");
}

TEST(ProcessProviderTest, FailuresAreClearAndNeverEchoOutput) {
  EXPECT_EQ(RunProcess("echo topsecret; exit 3").status().message(),
            "credential_process of profile 'p': exited with status 3");
  EXPECT_EQ(RunProcess("echo '{not json topsecret'").status().message(),
            "credential_process of profile 'p': the answer is not valid JSON");
  EXPECT_EQ(RunProcess("kill -9 $$").status().message(),
            "credential_process of profile 'p': killed by signal 9");
  EXPECT_EQ(RunProcess("head -c 100000 /dev/zero").status().message(),
            "credential_process of profile 'p': wrote more than 65536 bytes");
  EXPECT_THAT(std::string(RunProcess("/nonexistent/tool").status().message()),
              HasSubstr("exited with status 127"));
}

TEST(ProcessProviderTest, StandardErrorIsQuotedRedactedAndOnlyOnFailure) {
  // A failing helper's last line helps the operator; its keys must not.
  absl::Status status =
      RunProcess(
          "echo 'loading profile' >&2; echo 'SecretAccessKey=abc123 AKIAIOSFODNN7EXAMPLE "
          "expired' >&2; exit 2")
          .status();
  EXPECT_EQ(status.message(),
            "credential_process of profile 'p': exited with status 2; its standard error ends: "
            "\"SecretAccessKey=[redacted] [redacted] expired\"");
  // Much standard error neither blocks the helper nor grows the message.
  status = RunProcess("head -c 1000000 /dev/zero | tr '\\0' x >&2; exit 1").status();
  EXPECT_THAT(std::string(status.message()), HasSubstr("exited with status 1"));
  EXPECT_LT(status.message().size(), 400u);
  absl::StatusOr<Credentials> c = RunProcess(
      R"(echo 'noise on stderr' >&2; printf '{"Version":1,"AccessKeyId":"ASIAPROC",)"
      R"("SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-01T00:00:00Z"}')");
  ASSERT_TRUE(c.ok()) << c.status();
}

TEST(ProcessProviderTest, HungProcessIsKilledAtTheTimeout) {
  absl::StatusOr<Credentials> c = RunProcess("exec sleep 30", absl::Milliseconds(200));
  EXPECT_EQ(c.status().message(), "credential_process of profile 'p': did not finish within 200ms");
}

}  // namespace
}  // namespace awsgw::auth::providers
