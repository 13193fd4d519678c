#!/usr/bin/env bash
# README command 1: install, build, and run the gateway in the foreground.
#
# With no arguments it runs on its embedded default, the local AWS emulator
# (--emulator: no AWS account, no network), runs the demo client against it
# once it serves, and keeps serving on 127.0.0.1:50051 until Ctrl-C.
# With arguments, they go to the gateway as they are (e.g. against real AWS:
# `bash tools/run-gateway.sh --region eu-west-1`), and no demo runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
gateway=build/gateway/server/aws-grpc-gateway
if [[ $# -gt 0 ]]; then
  exec "$gateway" "$@"
fi

listen=127.0.0.1:50051
log=$(mktemp)
"$gateway" --emulator --listen "$listen" 2> >(tee "$log" >&2) &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 100); do
  grep -q '"msg":"serving"' "$log" && break
  kill -0 "$pid" 2>/dev/null || { echo "the gateway did not start" >&2; exit 1; }
  sleep 0.1
done
echo
echo "== demo: tools/demo_client.py against the gateway on $listen (emulator mode) =="
/usr/bin/python3 tools/demo_client.py --gateway "$listen" || true
echo "== the gateway keeps serving on $listen; Ctrl-C stops it =="
wait "$pid"
