#include "gateway/config/yaml_document.h"

#include <optional>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "yaml-cpp/eventhandler.h"

namespace awsgw::gateway::config {
namespace {

// Where each document starts and whether it holds anything but a null.
class DocumentOutline : public YAML::EventHandler {
 public:
  struct Document {
    YAML::Mark start;
    std::optional<YAML::Mark> content;  // where its first non-null node starts
  };

  const std::vector<Document>& documents() const { return documents_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    documents_.push_back({mark, std::nullopt});
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Content(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Content(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Content(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Content(mark);
  }
  void OnMapEnd() override {}

 private:
  void Content(const YAML::Mark& mark) {
    if (!documents_.empty() && !documents_.back().content) documents_.back().content = mark;
  }

  std::vector<Document> documents_;
};

int Line(const YAML::Mark& mark) { return mark.is_null() ? 1 : mark.line + 1; }

absl::Status Invalid(const std::string& source, const YAML::Mark& mark, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(source, ":", Line(mark), ": ", what));
}

// Walks the documents of `text`; OK when it is safe to load.
absl::Status CheckOutline(const std::string& text, const std::string& source) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentOutline outline;
  while (parser.HandleNextDocument(outline)) {
    const std::vector<DocumentOutline::Document>& documents = outline.documents();
    const DocumentOutline::Document& last = documents.back();
    if (documents.size() >= 2 && last.start.pos == documents[documents.size() - 2].start.pos) {
      // No progress: the token at `pos` is one the parser cannot place.
      const size_t pos = static_cast<size_t>(last.start.pos);
      return Invalid(source, last.start,
                     pos < text.size() ? absl::StrCat("invalid YAML: unexpected \"",
                                                      absl::string_view(&text[pos], 1), "\"")
                                       : "invalid YAML");
    }
    // YAML::Load reads the first document: any later one must be empty
    // (a trailing "---"), or the file says more than the gateway would read.
    if (documents.size() >= 2 && last.content) {
      return Invalid(source, *last.content, "expected one YAML document, got several");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<YAML::Node> LoadOneDocument(const std::string& text, const std::string& source) {
  try {
    if (absl::Status outline = CheckOutline(text, source); !outline.ok()) return outline;
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // e.msg, not e.what(): what() repeats the position in yaml-cpp's own form.
    return Invalid(source, e.mark, absl::StrCat("invalid YAML: ", e.msg));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid YAML: ", e.what()));
  }
}

}  // namespace awsgw::gateway::config
