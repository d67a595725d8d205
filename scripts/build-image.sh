#!/usr/bin/env bash
# Builds operator/Dockerfile, unchanged, with buildah (no Docker engine needed):
#   scripts/build-image.sh [image]      (default localhost/roomban-operator:<package.json version>)
#   scripts/build-image.sh --base-only  (only make the base stand-in; what scripts/setup.sh runs)
# The Dockerfile's base, node:<scripts/node24's version>-bookworm-slim, cannot be pulled here, so a
# local stand-in is made once: Debian bookworm minbase (mmdebstrap, from this machine's Debian
# mirror, slimmed like debian:bookworm-slim), the Node 24 binary scripts/node24 uses, npm from the npm registry and
# the image's `node` user. It is cached as an OCI archive in ${ROOMBAN_CACHE:-~/.cache/roomban}/image-base
# and loaded into containers-storage when missing. With a registry that serves node images, pass
# ROOMBAN_PULL_BASE=1 to use the real base instead.
# Needs root and the Debian packages buildah podman runc mmdebstrap uidmap (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/scripts/containers.conf}
NODE_VERSION=$(sed -n 's/^NODE_VERSION=//p' scripts/node24)
NPM_VERSION=11.21.2
BASE=docker.io/library/node:${NODE_VERSION}-bookworm-slim
IMAGE=${1:-localhost/roomban-operator:$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)}
cache=${ROOMBAN_CACHE:-$HOME/.cache/roomban}/image-base
# Bump the suffix when the recipe below changes: the label tells an old stand-in from a new one.
STAND_IN=node-${NODE_VERSION}-npm-${NPM_VERSION}-bookworm-slim-4
archive=$cache/$STAND_IN.oci.tar
stand_in_of() { podman image inspect --format '{{ index .Labels "io.roomban.stand-in" }}' "$1" 2>/dev/null || true; }

if [[ "${ROOMBAN_PULL_BASE:-}" != 1 && "$(stand_in_of "$BASE")" != "$STAND_IN" ]]; then
  if [[ ! -s "$archive" ]]; then
    echo "making a stand-in for $BASE (Debian minbase + Node $NODE_VERSION + npm $NPM_VERSION)" >&2
    node_bin=$(scripts/node24 node -p process.execPath)
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "npm@$NPM_VERSION" >/dev/null)
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    # debian:bookworm-slim is minbase with /usr merged from the start (mmdebstrap's merged-usr
    # hook; otherwise the usrmerge package comes in, and perl with it) and without documentation,
    # man pages and locales (the dpkg path excludes its build uses): 81 MB, like the real one's 75
    # MB. The official node image adds node and npm
    # in /usr/local (and yarn, left out here) and user/group node (1000).
    # No ca-certificates: the official image purges it after use, and Node carries its own CA
    # store; the build gets the host's bundle mounted (below).
    mmdebstrap --quiet --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
      --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/linda/*' \
      --customize-hook="install -m 0755 '$node_bin' \"\$1/usr/local/bin/node\"" \
      --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\" && tar -xzf '$tmp'/npm-$NPM_VERSION.tgz --strip-components=1 -C \"\$1/usr/local/lib/node_modules/npm\"" \
      --customize-hook="ln -s ../lib/node_modules/npm/bin/npm-cli.js \"\$1/usr/local/bin/npm\" && ln -s ../lib/node_modules/npm/bin/npx-cli.js \"\$1/usr/local/bin/npx\"" \
      --customize-hook='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
      bookworm "$tmp/rootfs.tar" ${mirror:+"$mirror"} >"$tmp/mmdebstrap.log" 2>&1 ||
      { cat "$tmp/mmdebstrap.log" >&2; exit 1; }
    c=$(buildah from scratch)
    buildah add --quiet "$c" "$tmp/rootfs.tar" /
    buildah config --env NODE_VERSION="$NODE_VERSION" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      --cmd node --label org.opencontainers.image.description="local stand-in for $BASE" --label io.roomban.stand-in="$STAND_IN" "$c"
    mkdir -p "$cache"
    buildah commit --quiet --format oci --rm "$c" "oci-archive:$archive.tmp" >/dev/null
    mv "$archive.tmp" "$archive"
    find "$cache" -maxdepth 1 -name 'node-*.oci.tar' ! -name "$STAND_IN.oci.tar" -delete   # older stand-ins
  fi
  skopeo copy --quiet "oci-archive:$archive" "containers-storage:$BASE"
fi

if [[ "${1:-}" == --base-only ]]; then exit 0; fi

# Registry TLS passes through an intercepting CA on these machines: the RUN steps get the host's CA
# bundle and npmrc as read-only bind mounts (build time only; nothing of them lands in a layer).
mounts=()
[[ -s /etc/ssl/certs/ca-certificates.crt ]] && mounts+=(-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
[[ -s /etc/npmrc ]] && mounts+=(-v /etc/npmrc:/usr/local/etc/npmrc:ro)
pull=--pull-never; [[ "${ROOMBAN_PULL_BASE:-}" == 1 ]] && pull=--pull
echo "building $IMAGE from operator/Dockerfile" >&2
buildah bud --quiet "$pull" --network=host --layers "${mounts[@]}" -f operator/Dockerfile -t "$IMAGE" . >&2
echo "$IMAGE"
