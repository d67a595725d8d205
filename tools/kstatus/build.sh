#!/usr/bin/env bash
# Builds tools/kstatus (kstatus from sigs.k8s.io/cli-utils, as Flux uses it) into
#   ${ROOMBAN_CACHE:-$HOME/.cache/roomban}/kstatus/<cli-utils version>/kstatus
# Idempotent: exits at once when the binary of this version is already there.
set -euo pipefail
cd "$(dirname "$0")"
VERSION=$(go list -m -f '{{.Version}}' sigs.k8s.io/cli-utils)
OUT=${ROOMBAN_CACHE:-$HOME/.cache/roomban}/kstatus/${VERSION}
if [[ -x "$OUT/kstatus" ]]; then echo "$OUT"; exit 0; fi
mkdir -p "$OUT"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$OUT/kstatus.tmp" .
mv "$OUT/kstatus.tmp" "$OUT/kstatus"
echo "$OUT"
