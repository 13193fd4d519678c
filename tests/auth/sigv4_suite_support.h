// Test support for the SigV4 conformance suites: reading case files, parsing
// the raw HTTP requests they contain, and comparing signed requests the way
// /work/shared/testdata/README.md prescribes (headers and query parameters
// as multisets).
#ifndef AWSGW_TESTS_AUTH_SIGV4_SUITE_SUPPORT_H_
#define AWSGW_TESTS_AUTH_SIGV4_SUITE_SUPPORT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/http_request.h"

namespace awsgw::auth::testing {

// Reads a whole file with every CR byte removed (the reference runner does
// the same). NOT_FOUND when it cannot be opened.
absl::StatusOr<std::string> ReadCaseFile(const std::filesystem::path& path);

// Parses a suite request (`request.txt`, `.req`, `*-signed-request.txt`,
// `.sreq`): request line `METHOD SP target SP HTTP/1.1` (the target may hold
// spaces), `Name:value` header lines (value = everything after the first
// colon), continuation lines (leading whitespace) joined to the previous
// value with one space as RFC 7230 obs-fold says, then an empty line and the
// body. Trailing newlines are dropped when there is no body.
// INVALID_ARGUMENT when the request line or a header line is malformed.
absl::StatusOr<HttpRequest> ParseSuiteRequest(absl::string_view text);

// Sorted "lowercase-name:value" strings. `trim_values` strips leading and
// trailing spaces from each value (the botocore .sreq writes
// `Authorization: ` with a space).
std::vector<std::string> HeaderMultiset(const HttpHeaders& headers, bool trim_values);

// Sorted "key=value" strings, wire form.
std::vector<std::string> QueryMultiset(const QueryParams& query);

// Differences between an actual and an expected signed request: method,
// path, query multiset, header multiset and body. Empty when they match.
std::vector<std::string> CompareSignedRequests(const HttpRequest& actual,
                                               const HttpRequest& expected, bool trim_values);

// Subdirectories of `root` (recursively) that are case directories: for the
// aws-c-auth layout, those holding `context.json`; for the botocore layout,
// those holding `<dirname>.req`. Sorted.
std::vector<std::filesystem::path> FindAwsCAuthCases(const std::filesystem::path& root);
std::vector<std::filesystem::path> FindBotocoreCases(const std::filesystem::path& root);

}  // namespace awsgw::auth::testing

#endif  // AWSGW_TESTS_AUTH_SIGV4_SUITE_SUPPORT_H_
