#!/usr/bin/env bash
# Generates client code for every rpc the gateway serves from proto/ alone,
# with stock protoc plugins and no C++ build, in seconds:
#
#   tools/generate-clients.sh python OUT  # OUT/aws/ecs/v1/ecs_pb2{,_grpc}.py ...
#   tools/generate-clients.sh go OUT      # OUT/aws-grpc-gateway/gen/go/aws/ecs/v1/*.go ...
#   tools/generate-clients.sh java OUT    # OUT/awsgw/aws/ecs/v1/*.java ...
#
# Debian packages: protobuf-compiler, and per language protobuf-compiler-grpc
# (Python), protoc-gen-go + protoc-gen-go-grpc (Go), or
# protobuf-compiler-grpc-java-plugin (Java). Node needs no generation:
# @grpc/proto-loader reads proto/ at run time (README, "Calling from your
# language"). grpc/ (health, reflection) is left out: every gRPC library
# ships its own. The Go code goes under its import path in OUT, a GOPATH
# (GO111MODULE=off) or the root of a module named aws-grpc-gateway/gen/go.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 python|go|java OUT" >&2
  exit 2
fi
language=$1
out=$2
proto=$(cd "$(dirname "$0")/../proto" && pwd)
mkdir -p "$out"
cd "$proto"
mapfile -t files < <(find aws awsgw -name '*.proto' | sort)
case "$language" in
  python)
    mapfile -t rpc_files < <(find google -name '*.proto' | sort)
    protoc -I. --python_out="$out" --grpc_python_out="$out" \
      --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
      "${files[@]}" "${rpc_files[@]}"
    ;;
  go)
    # google/rpc is Debian's golang-google-genproto-dev (its go_package).
    protoc -I. --go_out="$out" --go-grpc_out="$out" "${files[@]}"
    ;;
  java)
    mapfile -t rpc_files < <(find google -name '*.proto' | sort)
    protoc -I. --java_out="$out" --grpc-java_out="$out" \
      --plugin=protoc-gen-grpc-java="$(command -v grpc_java_plugin)" \
      "${files[@]}" "${rpc_files[@]}"
    ;;
  *)
    echo "$0: unknown language \"$language\" (python, go, java)" >&2
    exit 2
    ;;
esac
echo "generated $language clients of ${#files[@]} protos in $out"
