#!/usr/bin/env bash
# README command 1: install, build, and run the gateway in the foreground.
# Extra arguments go to the gateway (e.g. --listen 0.0.0.0:50051).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
exec build/gateway/aws-grpc-gateway "$@"
