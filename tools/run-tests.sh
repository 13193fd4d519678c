#!/usr/bin/env bash
# README command 2: install, build, and run the whole test suite with ctest;
# then the whole suite again built with ASan + UBSan and the libFuzzer targets
# (build-asan/, clang), then the concurrency-heavy units (HTTP client, watch
# engine, credential cache) built with TSan (build-tsan/). Each step prints
# how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
timings=()
# step NAME COMMAND...: runs COMMAND, remembers its wall time.
step() {
  local name=$1 start=$SECONDS
  shift
  echo "== run-tests: $name"
  "$@"
  timings+=("$(printf '%-18s %3dm%02ds' "$name" $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)))")
}

step "build" bash tools/build.sh
step "tests" ctest --test-dir build --output-on-failure --parallel "$jobs" --timeout 900

# The sanitized builds compile at -O0 with line tables only (-g1): the
# sanitizers' checks make the optimizer's work several times dearer (an -O1
# build took twice as long), reports still name file and line, and
# assertions are on (no NDEBUG). No benchmarks: they are not tests.
# sanitized_build DIR CMAKE-ARGS... [-- NINJA-TARGETS...]: configures and builds.
sanitized_build() {
  local dir=$1 configure=() targets=()
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do configure+=("$1"); shift; done
  [ $# -gt 0 ] && shift && targets=(--target "$@")
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -g1" -DAWSGW_BENCH=OFF "${configure[@]}" >/dev/null
  cmake --build "$dir" --parallel "$jobs" "${targets[@]}"
}

# The same suite with ASan + UBSan (cmake/Sanitizers.cmake), built with clang
# so that the same build holds the libFuzzer targets (AWSGW_FUZZ), which
# translators.fuzz_quick runs: one sanitized build instead of two. Less what
# makes no sense sanitized: deploy.package and deploy.image package what they
# test, and a sanitized binary is not what ships; e2e.language_clients spends
# its minutes compiling Go and Java clients, whose calls the other suites
# already make of the sanitized gateway.
step "asan build" sanitized_build build-asan -DCMAKE_CXX_COMPILER=clang++ \
  -DAWSGW_SANITIZE=address,undefined -DAWSGW_FUZZ=ON
step "asan tests" ctest --test-dir build-asan --output-on-failure --parallel "$jobs" \
  --timeout 900 -E '^(deploy\.package|deploy\.image|e2e\.language_clients)$'

# TSan, on the units where threads meet, against abseil built with TSan from
# Debian's source (tools/tsan-abseil.sh; cached in build-tsan/abseil/).
tsan_tests='^(http\.client\.|gateway\.watch\.|auth\.CredentialsCacheTest\.|sanitizers\.)'
step "tsan abseil" bash tools/tsan-abseil.sh build-tsan/abseil
step "tsan build" sanitized_build build-tsan -DAWSGW_SANITIZE=thread \
  "-DAWSGW_TSAN_ABSEIL_LIBDIR=$PWD/build-tsan/abseil/install/lib" \
  -- http_client_tests watch_tests credentials_cache_test
step "tsan tests" ctest --test-dir build-tsan --output-on-failure --parallel "$jobs" \
  --timeout 900 -R "$tsan_tests"

echo "== run-tests: wall time per step"
printf '  %s\n' "${timings[@]}"
