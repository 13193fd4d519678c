#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and
# runs each for SECONDS (default 10) from the committed seeds; a crash, leak
# or sanitizer report fails the run and leaves the reproducer in build-fuzz/.
#   tools/fuzz.sh            # the quick run the test suite does
#   tools/fuzz.sh 600        # ten minutes per target
set -euo pipefail
seconds=${1:-10}
cd "$(dirname "$0")/.."
root=$(pwd)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DAWSGW_FUZZ=ON \
  -DAWSGW_SERVICE_PROTOS_CC=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --parallel "$(nproc)"
for target in fuzz_decode_response fuzz_decode_request fuzz_uri_template; do
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus"
  echo "== $target: ${seconds}s"
  (cd build-fuzz && "./tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 "corpus/$target" "$root/tests/fuzz/seeds/$target" \
     2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss|==|SUMMARY|ERROR|Done)" || true)
  # libFuzzer exits non-zero on a finding; re-check from the artifacts it leaves.
  if ls build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* >/dev/null 2>&1; then
    echo "fuzz: $target found a failing input (see build-fuzz/)" >&2
    exit 1
  fi
done
echo "fuzz: all targets ran clean"
