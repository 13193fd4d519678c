#!/usr/bin/env bash
# sanitizers.no_reports: fails, printing them, if any sanitized process of
# this ctest run wrote a report to REPORTS/<test>/ (tests/sanitizers/CMakeLists.txt).
set -euo pipefail
reports=$1
found=0
while IFS= read -r -d '' file; do
  found=$((found + 1))
  test=$(basename "$(dirname "$file")")
  echo "==== sanitizer report of test $test: $(basename "$file")"
  head -c 100000 "$file"
  echo
done < <(find "$reports" -type f -print0 2>/dev/null | sort -z)
if [ "$found" -gt 0 ]; then
  echo "sanitizers: $found report(s) above; each names the binary and pid" >&2
  exit 1
fi
echo "sanitizers: no reports from any subprocess"
