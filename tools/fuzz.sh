#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into $build/ and
# runs each for SECONDS (default 5) from the committed seeds; a crash, leak
# or sanitizer report fails the run and leaves the reproducer in the build's
# findings/. The default keeps the quick run short: 15 targets x 5 s plus
# start-up is under two minutes of fuzzing (a first, clean clang build of
# $build/ takes about 6 minutes more on 2 cores).
#   tools/fuzz.sh                      # 5 s per target
#   tools/fuzz.sh 600                  # ten minutes per target
#   tools/fuzz.sh 60 fuzz_sigv4 ...    # only the targets named
# With AWSGW_FUZZ_BUILD_DIR set, the targets are those of that build, as it
# was configured (translators.fuzz_quick in tools/run-tests.sh's sanitized
# build, which holds them: AWSGW_FUZZ with AWSGW_SANITIZE).
set -euo pipefail
seconds=${1:-5}
shift || true
cd "$(dirname "$0")/.."
root=$(pwd)
build=${AWSGW_FUZZ_BUILD_DIR:-build-fuzz}
if [ -z "${AWSGW_FUZZ_BUILD_DIR:-}" ]; then
  # -O1 with line tables: what libFuzzer's documentation builds with, reports
  # still name file and line, and the build takes far less than at -O2 -g.
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DAWSGW_FUZZ=ON \
    -DAWSGW_SERVICE_PROTOS_CC=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" >/dev/null
fi
targets=(fuzz_decode_response fuzz_decode_request fuzz_uri_template fuzz_jwt fuzz_policy
  fuzz_arn_glob fuzz_sigv4 fuzz_profile_file fuzz_sts_xml fuzz_credentials_json fuzz_resume_token
  fuzz_gateway_config fuzz_request_router fuzz_emulator fuzz_http_response)
if [ "$#" -gt 0 ]; then targets=("$@"); fi
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"
for target in "${targets[@]}"; do
  mkdir -p "$build/corpus/$target" "$build/findings"
  # Earlier findings first: each must pass now, and is then moved to the corpus.
  for finding in "$build"/findings/"$target"-*; do
    [ -e "$finding" ] || continue
    if ! "$build/tests/fuzz/$target" -timeout=10 "$finding" >/dev/null 2>&1; then
      echo "fuzz: $target still fails on $finding" >&2
      exit 1
    fi
    mv "$finding" "$build/corpus/$target/"
  done
  echo "== $target: ${seconds}s"
  status=0
  (cd "$build" && "./tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="findings/$target-" \
     "corpus/$target" "$root/tests/fuzz/seeds/$target" > "$target.log" 2>&1) || status=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+==|SUMMARY|Done)" \
    "$build/$target.log" || true
  if [ "$status" -ne 0 ] || compgen -G "$build/findings/$target-*" >/dev/null; then
    echo "fuzz: $target failed (exit $status); input and log in $build/findings/" >&2
    exit 1
  fi
done
echo "fuzz: all targets ran clean"
