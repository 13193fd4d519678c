#!/usr/bin/env bash
# Makes a local Debian 12 base image for deploy/Containerfile where no
# container registry is reachable: debootstrap from the Debian archive, then
# imported into buildah's local storage, slimmed like debian:bookworm-slim.
#
#   bash deploy/container/bootstrap-base.sh [IMAGE]   (default localhost/debian:bookworm-slim)
#
# Then: buildah bud --build-arg BASE=localhost/debian:bookworm-slim ...
# Skips all work when IMAGE exists. Needs root, debootstrap and buildah.
set -euo pipefail
image=${1:-localhost/debian:bookworm-slim}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if buildah inspect --type image "$image" >/dev/null 2>&1; then
  echo "bootstrap-base: $image exists"
  exit 0
fi
root=$(mktemp -d /var/tmp/awsgw-base.XXXXXX)
trap 'rm -rf "$root" "$root.tar"' EXIT
# minbase: essential and required packages, apt; what bookworm-slim holds.
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
  { tail -20 "$root.log" >&2; exit 1; }
rm -f "$root.log"
# The suites debian:bookworm-slim has: debootstrap writes only the release,
# which would leave images built on this base without security fixes.
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
# As the official slim image: no documentation, no package lists, and apt
# keeps it so (the path exclusions below are the ones that image ships).
cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG
find "$root/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
rm -rf "$root"/usr/share/{man,info,locale}/* "$root"/var/lib/apt/lists/* \
  "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log
ctr=$(buildah from scratch)
tar -C "$root" -cf "$root.tar" .
buildah add --quiet "$ctr" "$root.tar" / >/dev/null  # a local tar is unpacked
buildah config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
buildah commit --quiet --rm "$ctr" "$image" >/dev/null
echo "bootstrap-base: $image ($(buildah images --format "{{.Size}}" "$image"))"
