// URI templates: parsing, expansion and matching. A template whose labels are
// separated by literal text must match its own expansion.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "tests/fuzz/fuzz_support.h"
#include "translators/uri_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  awsgw::fuzz::Input input(data, size);
  auto parsed = awsgw::translators::UriTemplate::Parse(input.Line());
  if (!parsed.ok()) return 0;
  absl::flat_hash_map<std::string, std::string> values;
  bool separated = true;
  const awsgw::translators::UriTemplate::Part* previous = nullptr;
  for (const auto& part : parsed->parts()) {
    if (!part.label.empty()) {
      if (!values.contains(part.label)) values[part.label] = input.Line();
      if (previous != nullptr && !previous->label.empty()) separated = false;
    } else if (previous != nullptr && !previous->label.empty() && part.literal.front() != '/') {
      separated = false;  // a label followed by text that could also be label text
    }
    previous = &part;
  }
  auto path = parsed->Expand(values);
  if (!path.ok()) return 0;
  auto matched = parsed->Match(*path);
  // Labels that appear twice or greedy labels followed by '/' text may be
  // ambiguous; otherwise the expansion must match its own template.
  bool simple = separated && values.size() == static_cast<size_t>(std::count_if(
                                                  parsed->parts().begin(), parsed->parts().end(),
                                                  [](const auto& p) { return !p.label.empty(); }));
  for (const auto& part : parsed->parts()) simple = simple && !part.greedy;
  if (simple && !matched.has_value()) std::abort();
  (void)parsed->Match(input.Rest());
  return 0;
}
