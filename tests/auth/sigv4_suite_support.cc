// Raw-request parsing and multiset comparison for the SigV4 suite runner.
#include "tests/auth/sigv4_suite_support.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace awsgw::auth::testing {
namespace fs = std::filesystem;

absl::StatusOr<std::string> ReadCaseFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

absl::StatusOr<HttpRequest> ParseSuiteRequest(absl::string_view text) {
  HttpRequest request;
  absl::string_view head = text;
  size_t blank = text.find("\n\n");
  if (blank != absl::string_view::npos) {
    head = text.substr(0, blank);
    request.body = std::string(text.substr(blank + 2));
  }
  while (!head.empty() && head.back() == '\n') head.remove_suffix(1);

  std::vector<absl::string_view> lines = absl::StrSplit(head, '\n');
  absl::string_view request_line = lines[0];
  size_t first_space = request_line.find(' ');
  size_t version = request_line.rfind(" HTTP/1.1");
  if (first_space == absl::string_view::npos || version == absl::string_view::npos ||
      version < first_space) {
    return absl::InvalidArgumentError(absl::StrCat("bad request line: ", request_line));
  }
  request.method = std::string(request_line.substr(0, first_space));
  absl::string_view target = request_line.substr(first_space + 1, version - first_space - 1);
  SetRequestTarget(request, std::string(target));

  for (size_t i = 1; i < lines.size(); ++i) {
    absl::string_view line = lines[i];
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (request.headers.empty()) {
        return absl::InvalidArgumentError("continuation line before any header");
      }
      absl::StrAppend(&request.headers.back().value, " ", absl::StripLeadingAsciiWhitespace(line));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos || colon == 0) {
      return absl::InvalidArgumentError(absl::StrCat("bad header line: ", line));
    }
    request.headers.push_back(
        HttpHeader{std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  return request;
}

std::vector<std::string> HeaderMultiset(const HttpHeaders& headers, bool trim_values) {
  std::vector<std::string> out;
  for (const HttpHeader& header : headers) {
    absl::string_view value = header.value;
    if (trim_values) value = absl::StripAsciiWhitespace(value);
    out.push_back(absl::StrCat(absl::AsciiStrToLower(header.name), ":", value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> QueryMultiset(const QueryParams& query) {
  std::vector<std::string> out;
  for (const QueryParam& param : query) out.push_back(absl::StrCat(param.key, "=", param.value));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> CompareSignedRequests(const HttpRequest& actual,
                                               const HttpRequest& expected, bool trim_values) {
  std::vector<std::string> diffs;
  if (actual.method != expected.method) {
    diffs.push_back(absl::StrCat("method: ", actual.method, " != expected ", expected.method));
  }
  if (actual.path != expected.path) {
    diffs.push_back(absl::StrCat("path: ", actual.path, " != expected ", expected.path));
  }
  std::vector<std::string> actual_query = QueryMultiset(actual.query);
  std::vector<std::string> expected_query = QueryMultiset(expected.query);
  if (actual_query != expected_query) {
    diffs.push_back(absl::StrCat("query: {", absl::StrJoin(actual_query, " & "), "} != expected {",
                                 absl::StrJoin(expected_query, " & "), "}"));
  }
  std::vector<std::string> actual_headers = HeaderMultiset(actual.headers, trim_values);
  std::vector<std::string> expected_headers = HeaderMultiset(expected.headers, trim_values);
  if (actual_headers != expected_headers) {
    diffs.push_back(absl::StrCat("headers:\n  ", absl::StrJoin(actual_headers, "\n  "),
                                 "\n!= expected\n  ", absl::StrJoin(expected_headers, "\n  ")));
  }
  if (actual.body != expected.body) {
    diffs.push_back(absl::StrCat("body: '", actual.body, "' != expected '", expected.body, "'"));
  }
  return diffs;
}

namespace {

template <typename Predicate>
std::vector<fs::path> FindDirs(const fs::path& root, Predicate is_case) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_directory(ec) && is_case(it->path())) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<fs::path> FindAwsCAuthCases(const fs::path& root) {
  return FindDirs(root, [](const fs::path& dir) { return fs::exists(dir / "context.json"); });
}

std::vector<fs::path> FindBotocoreCases(const fs::path& root) {
  return FindDirs(root, [](const fs::path& dir) {
    return fs::exists(dir / (dir.filename().string() + ".req"));
  });
}

}  // namespace awsgw::auth::testing
