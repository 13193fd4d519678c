#!/usr/bin/env bash
# sanitizers.tsan_abseil: every libabsl_* that each BINARY loads (its own and
# those of the Debian libraries it loads, such as gRPC) comes from LIBDIR,
# abseil built with TSan (tools/tsan-abseil.sh), and none from the system.
set -euo pipefail
libdir=$(realpath "$1")
shift
status=0
for binary in "$@"; do
  loaded=$(ldd "$binary" | awk '/libabsl_/ {print $3}')
  if [ -z "$loaded" ]; then
    echo "$binary loads no abseil library" >&2
    status=1
  fi
  for lib in $loaded; do
    if [ "$(dirname "$(realpath "$lib")")" != "$libdir" ]; then
      echo "$(basename "$binary") loads uninstrumented $lib" >&2
      status=1
    fi
  done
  echo "$(basename "$binary"): $(echo "$loaded" | wc -l) abseil libraries, all from $libdir"
done
exit $status
