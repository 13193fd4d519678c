// Inputs on which yaml-cpp 0.7's LoadAll never returns, and the one-document
// rule, through LoadOneDocument.
#include "gateway/config/yaml_document.h"

#include "gtest/gtest.h"

namespace awsgw::gateway::config {
namespace {

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<YAML::Node> node = LoadOneDocument(text, "g.yaml");
  EXPECT_FALSE(node.ok()) << text;
  return node.ok() ? "" : std::string(node.status().message());
}

TEST(YamlDocumentTest, StrayTokensThatHangLoadAllAreErrors) {
  EXPECT_EQ(ErrorOf(","), "g.yaml:1: invalid YAML: unexpected \",\"");
  EXPECT_EQ(ErrorOf(", a\nb: c\n"), "g.yaml:1: invalid YAML: unexpected \",\"");
  EXPECT_EQ(ErrorOf("# comment\n\n, AWS_ENDPOINT_URL\nlisten: x\n"),
            "g.yaml:3: invalid YAML: unexpected \",\"");
  // After a complete first document, too.
  EXPECT_EQ(ErrorOf("- a\n,"), "g.yaml:2: invalid YAML: unexpected \",\"");
}

TEST(YamlDocumentTest, OneDocumentAndTrailingEmptyOnes) {
  absl::StatusOr<YAML::Node> node = LoadOneDocument("a: 1\n---\n", "g.yaml");
  ASSERT_TRUE(node.ok()) << node.status();
  EXPECT_EQ((*node)["a"].Scalar(), "1");
  node = LoadOneDocument("", "g.yaml");
  ASSERT_TRUE(node.ok()) << node.status();
  EXPECT_TRUE(node->IsNull());
  EXPECT_EQ(ErrorOf("a: 1\n---\nb: 2\n"), "g.yaml:3: expected one YAML document, got several");
  // YAML::Load would read only the empty first document.
  EXPECT_EQ(ErrorOf("---\n---\nb: 2\n"), "g.yaml:3: expected one YAML document, got several");
}

TEST(YamlDocumentTest, ParserErrorsCarryTheirLine) {
  EXPECT_EQ(ErrorOf("a: 1\nb: [1\n"), "g.yaml:3: invalid YAML: end of sequence flow not found");
}

}  // namespace
}  // namespace awsgw::gateway::config
