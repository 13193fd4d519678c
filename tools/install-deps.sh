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

# The Node end-to-end client (@grpc/grpc-js), pinned by its package-lock.json.
node_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/e2e/node"
stamp="$node_dir/node_modules/.installed-from-lock"
if [ -f "$node_dir/package-lock.json" ] && ! cmp -s "$node_dir/package-lock.json" "$stamp"; then
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$node_dir/package-lock.json" "$stamp"
fi
