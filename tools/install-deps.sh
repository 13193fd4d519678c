#!/usr/bin/env bash
# Installs everything the gateway needs to build, run and test on Debian 12.
# Idempotent: packages already present are left alone; safe to run on every build.
#   --build-only: what building the gateway and its package needs, no more
#   (deploy/Containerfile's build stage).
set -euo pipefail

packages=(
  # toolchain; `file` for cpack's dpkg-shlibdeps step (the Debian package)
  build-essential cmake ninja-build pkg-config git ca-certificates file
  # libraries (DESIGN.md "Choices already made")
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libxml2-dev libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libyaml-cpp-dev
  # configuring the tree finds these even when only the gateway is built
  libgtest-dev libgmock-dev libbenchmark-dev
)
[ "${1:-}" = --build-only ] || packages+=(
  # the fuzz build (libFuzzer, ASan, UBSan)
  clang libclang-rt-14-dev
  # clients and oracles for tests and tools
  python3 python3-grpcio python3-protobuf python3-botocore python3-jwt python3-cryptography python3-yaml
  python3-h2
  openssl clang-format
  # the deployment tests (deploy/): package, container image, Kubernetes
  debootstrap buildah fuse-overlayfs
  # Go and Java clients generated from the protos (tests/e2e/clients/). Go's
  # protobuf 1.5 shim: grpc-go with the older 1.3 one panics on the code
  # protoc-gen-go generates.
  golang-go protoc-gen-go protoc-gen-go-grpc golang-google-grpc-dev golang-google-protobuf-dev
  golang-github-golang-protobuf-1-5-dev
  default-jdk-headless libprotobuf-java libgrpc-java protobuf-compiler-grpc-java-plugin
  libnetty-java libguava-java libperfmark-java libgeronimo-annotation-1.3-spec-java
)
# Node may come from elsewhere (with npm bundled, which conflicts with Debian's
# npm package): install Debian's only where no node/npm is on PATH.
if [ "${1:-}" != --build-only ]; then
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  # kubectl renders the Kubernetes overlays: Debian's (kubernetes-client)
  # where the machine has none of its own.
  command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]}; run as root (or with sudo)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = --build-only ] && exit 0

# npm packages, each pinned by its package-lock.json: the Node end-to-end
# client (@grpc/grpc-js) and buf for the proto tests (@bufbuild/buf).
root="$(cd "$(dirname "$0")/.." && pwd)"
for dir in "$root/tests/e2e/node" "$root/tests/proto"; do
  stamp="$dir/node_modules/.installed-from-lock"
  if [ -f "$dir/package-lock.json" ] && ! cmp -s "$dir/package-lock.json" "$stamp"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done
