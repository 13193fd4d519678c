#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and
# runs each for SECONDS (default 5) from the committed seeds; a crash, leak
# or sanitizer report fails the run and leaves the reproducer in build-fuzz/.
# The default keeps the quick run short: 15 targets x 5 s plus start-up is
# under two minutes of fuzzing, so with an up-to-date build-fuzz/ the whole
# run takes about 3 minutes on 2 cores (a first, clean clang build takes
# longer).
#   tools/fuzz.sh                      # the quick run the test suite does
#   tools/fuzz.sh 600                  # ten minutes per target
#   tools/fuzz.sh 60 fuzz_sigv4 ...    # only the targets named
set -euo pipefail
seconds=${1:-5}
shift || true
cd "$(dirname "$0")/.."
root=$(pwd)
# -O1 with line tables: what libFuzzer's documentation builds with, reports
# still name file and line, and the build (on the suite's critical path: it
# runs alone) takes far less than at -O2 -g.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DAWSGW_FUZZ=ON \
  -DAWSGW_SERVICE_PROTOS_CC=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" >/dev/null
cmake --build build-fuzz --parallel "$(nproc)"
targets=(fuzz_decode_response fuzz_decode_request fuzz_uri_template fuzz_jwt fuzz_policy
  fuzz_arn_glob fuzz_sigv4 fuzz_profile_file fuzz_sts_xml fuzz_credentials_json fuzz_resume_token
  fuzz_gateway_config fuzz_request_router fuzz_emulator fuzz_http_response)
if [ "$#" -gt 0 ]; then targets=("$@"); fi
for target in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$target" build-fuzz/findings
  # Earlier findings first: each must pass now, and is then moved to the corpus.
  for finding in build-fuzz/findings/"$target"-*; do
    [ -e "$finding" ] || continue
    if ! "build-fuzz/tests/fuzz/$target" -timeout=10 "$finding" >/dev/null 2>&1; then
      echo "fuzz: $target still fails on $finding" >&2
      exit 1
    fi
    mv "$finding" "build-fuzz/corpus/$target/"
  done
  echo "== $target: ${seconds}s"
  status=0
  (cd build-fuzz && "./tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="findings/$target-" \
     "corpus/$target" "$root/tests/fuzz/seeds/$target" > "$target.log" 2>&1) || status=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+==|SUMMARY|Done)" \
    "build-fuzz/$target.log" || true
  if [ "$status" -ne 0 ] || compgen -G "build-fuzz/findings/$target-*" >/dev/null; then
    echo "fuzz: $target failed (exit $status); input and log in build-fuzz/findings/" >&2
    exit 1
  fi
done
echo "fuzz: all targets ran clean"
