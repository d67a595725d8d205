#!/usr/bin/env bash
# Builds KWOK (sigs.k8s.io/kwok/cmd/kwok, the version pinned in go.mod) into
#   ${ROOMBAN_CACHE:-$HOME/.cache/roomban}/kwok/<kwok version>/kwok
# with stages.yaml beside it: the module's own stages for fake nodes (initialize, heartbeat with a
# Lease) and fast pods (ready, complete, delete); kwok exits with "no stages found" without them.
# Idempotent: exits at once when the binary of this version is already there.
set -euo pipefail
cd "$(dirname "$0")"
VERSION=$(go list -m -f '{{.Version}}' sigs.k8s.io/kwok)
OUT=${ROOMBAN_CACHE:-$HOME/.cache/roomban}/kwok/${VERSION}
if [[ -x "$OUT/kwok" && -s "$OUT/stages.yaml" ]]; then echo "$OUT"; exit 0; fi
mkdir -p "$OUT"
# .Dir is empty until the module is in the module cache (a cold machine): download it first.
go mod download sigs.k8s.io/kwok
stage=$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
[[ -d "$stage" ]] || { echo "kwok's stages not found at $stage" >&2; exit 1; }
for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
         pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  echo "---"; grep -v '^---$' "$stage/$f.yaml"
done > "$OUT/stages.yaml.tmp"
mv "$OUT/stages.yaml.tmp" "$OUT/stages.yaml"
echo "building kwok ${VERSION} into $OUT" >&2
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$OUT/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok
mv "$OUT/kwok.tmp" "$OUT/kwok"
echo "$OUT"
