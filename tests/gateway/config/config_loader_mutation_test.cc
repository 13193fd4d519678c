// "Never a crash": the loader on thousands of mangled copies of the example
// file. A deterministic, seeded stand-in for a fuzzer (the libFuzzer build
// covers the translators only), run with every test pass.
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "gateway/config/config_loader.h"
#include "gtest/gtest.h"

namespace awsgw::gateway::config {
namespace {

std::string ExampleFile() {
  std::ifstream file(std::string(AWSGW_SOURCE_DIR) + "/deploy/gateway.yaml");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// One random edit: replace, insert or delete a byte, or duplicate a line.
// Inserted bytes favour YAML's syntax characters, where parsers break.
void Mutate(std::mt19937& random, std::string* text) {
  static constexpr char kSyntax[] = ":-[]{}&*!|>'\"#%@`,? \t\n";
  std::uniform_int_distribution<size_t> at(0, text->empty() ? 0 : text->size() - 1);
  const size_t pos = at(random);
  const char c =
      random() % 2 ? kSyntax[random() % (sizeof(kSyntax) - 1)] : static_cast<char>(random() % 256);
  switch (random() % 4) {
    case 0:
      if (!text->empty()) (*text)[pos] = c;
      break;
    case 1:
      text->insert(pos, 1, c);
      break;
    case 2:
      if (!text->empty()) text->erase(pos, 1 + random() % 8);
      break;
    default: {
      const size_t start = text->rfind('\n', pos);
      const size_t end = text->find('\n', pos);
      if (start != std::string::npos && end != std::string::npos) {
        text->insert(end, text->substr(start, end - start));
      }
    }
  }
}

TEST(ConfigLoaderMutationTest, MangledFilesLoadOrFailCleanly) {
  const std::string example = ExampleFile();
  ASSERT_FALSE(example.empty());
  const LoadOptions options{{"Amplify", "AppConfig", "AppRunner", "ECS"}};
  std::mt19937 random(20261123);
  int failures = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = example;
    for (int edits = 1 + round % 6; edits > 0; --edits) Mutate(random, &text);
    absl::StatusOr<GatewayConfig> config = ParseGatewayConfig(text, "gateway.yaml", "", options);
    if (config.ok()) continue;
    ++failures;
    ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << text;
    ASSERT_TRUE(absl::StartsWith(config.status().message(), "gateway.yaml:")) << text;
    // A yaml-cpp allocation loop, stopped by memory_cap.cc.
    ASSERT_FALSE(absl::StrContains(config.status().message(), "bad_alloc")) << text;
  }
  // Most mangled copies must be rejected, or the mutations test nothing.
  EXPECT_GT(failures, 1000);
}

}  // namespace
}  // namespace awsgw::gateway::config
