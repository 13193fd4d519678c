#!/usr/bin/env bash
# Builds Debian's own abseil, instrumented for ThreadSanitizer, into DIR
# (default build-tsan/abseil) and prints the folder of its shared libraries.
#
# Why: the project guards its state with absl::Mutex, which lives out of line
# in Debian's uninstrumented libabsl_synchronization. TSan cannot see those
# locks, so it would report every access they guard as a race. The same
# source, patches and options as the installed libabsl20220623 (hence the same
# ABI and SONAMEs), built with -fsanitize=thread, makes the locks visible; the
# TSan build links its binaries with a DT_RPATH to this folder
# (AWSGW_TSAN_ABSEIL_LIBDIR), so they and the Debian libraries they load
# (gRPC) all use it.
#
# The source comes from Debian's archive with apt-get source (checked against
# the signed Sources index), through a private apt set-up in DIR: the
# machine's apt configuration is left alone. Cached: a second run with the
# same installed version does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath -m "${1:-build-tsan/abseil}")
version=$(dpkg-query -W -f='${Version}' libabsl-dev)
libdir="$dir/install/lib"
stamp="$dir/install/.built-from"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
  echo "$libdir"
  exit 0
fi
rm -rf "$dir"
mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/src"

# Bookworm's source indexes, as the machine's binary ones (debian.sources).
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > "$dir/apt/sources.list" <<EOF
deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main
deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm-updates main
deb-src [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
EOF
apt=(apt-get -q -o "Dir::Etc::SourceList=$dir/apt/sources.list"
     -o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$dir/apt/lists"
     -o "Dir::Cache=$dir/apt/cache" -o APT::Sandbox::User=root)
"${apt[@]}" update >&2
(cd "$dir/src" && "${apt[@]}" source --download-only "abseil=$version" >&2)
dpkg-source -x "$dir"/src/abseil_*.dsc "$dir/src/abseil" >&2

# debian/rules' shared build (C++17, shared libraries, no build type: -g -O2
# from dpkg-buildflags and no NDEBUG, which changes some of abseil's
# internals), plus TSan; tests off.
cmake -S "$dir/src/abseil" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_STANDARD=17 -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF \
  -DCMAKE_CXX_FLAGS="-g -O2 -fsanitize=thread -fno-omit-frame-pointer" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
  -DCMAKE_INSTALL_PREFIX="$dir/install" -DCMAKE_INSTALL_LIBDIR=lib >&2
cmake --build "$dir/build" --parallel "$(nproc)" >&2
cmake --install "$dir/build" >&2
test -f "$libdir/libabsl_synchronization.so.20220623"
echo "$version" > "$stamp"
echo "$libdir"
