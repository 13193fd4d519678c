// restJson1 request URI templates: "/apps/{appId}/jobs/{jobId}?x-id=Get".
//
// A template is literal text and labels ("{name}" for one path segment,
// "{name+}" greedy: any number of segments); the part after '?' is constant
// query parameters sent with every request. Expanding percent-encodes label
// values (greedy ones keep '/'), so a value like "../x" can never change the
// request path. Matching (server side) is the inverse.
#ifndef AWSGW_TRANSLATORS_URI_TEMPLATE_H_
#define AWSGW_TRANSLATORS_URI_TEMPLATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "http/http_message.h"

namespace awsgw::translators {

class UriTemplate {
 public:
  struct Part {
    std::string literal;  // set for literal text
    std::string label;    // set for a label
    bool greedy = false;
  };

  // INVALID_ARGUMENT for unbalanced braces or an empty label name.
  static absl::StatusOr<UriTemplate> Parse(absl::string_view text);

  const std::vector<Part>& parts() const { return parts_; }
  // The constant query parameters, in wire form.
  const http::QueryParams& constant_query() const { return constant_query_; }

  // Whether `label` is a greedy label ("{name+}") of this template.
  bool IsGreedy(absl::string_view label) const;

  // Whether `value` cannot be a value of a label: empty, or a "." or ".."
  // path segment (only a greedy label keeps '/', so only its inner segments
  // count). Percent-encoding leaves '.' as it is, and every server in front
  // of AWS normalizes the path before routing and checking the signature, so
  // ".." would step out of the template and reach another resource (another
  // action, under a signature that is valid for it).
  static bool IsUnsendableValue(absl::string_view value, bool greedy);

  // The wire path with each label replaced by its percent-encoded value from
  // `values` (raw, unencoded text). INVALID_ARGUMENT naming the label when a
  // value is missing or unsendable (see IsUnsendableValue).
  absl::StatusOr<std::string> Expand(
      const absl::flat_hash_map<std::string, std::string>& values) const;

  // The decoded label values if `path` (wire form, no query) matches, else
  // nullopt. Literal parts match exactly; a label does not match an empty
  // string, and only a greedy label matches '/'. Time is polynomial in the
  // path length whatever the template (failed states are remembered), and
  // paths longer than kMaxPathLength never match.
  std::optional<absl::flat_hash_map<std::string, std::string>> Match(absl::string_view path) const;

  // How specific the template is, for choosing among several matches: more
  // literal characters first, then fewer greedy labels.
  int Specificity() const;

  static constexpr size_t kMaxPathLength = 8192;

 private:
  struct MatchState;
  bool MatchFrom(size_t part, size_t pos, MatchState& state) const;

  std::vector<Part> parts_;
  http::QueryParams constant_query_;
};

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_URI_TEMPLATE_H_
