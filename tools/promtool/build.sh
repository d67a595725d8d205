#!/usr/bin/env bash
# Builds promtool (github.com/prometheus/prometheus/cmd/promtool, the module pinned in go.mod) into
#   ${ROOMBAN_CACHE:-$HOME/.cache/roomban}/promtool/<prometheus module version>/promtool
# for the chart's PrometheusRule tests (`promtool check rules`, `promtool test rules`). Built with the
# remove_all_sd tag: rule checks need no service discovery, and the cloud SDKs it drops are most of
# the build. Idempotent: exits at once when the binary of this version is already there.
set -euo pipefail
cd "$(dirname "$0")"
VERSION=$(go list -m -f '{{.Version}}' github.com/prometheus/prometheus)
OUT=${ROOMBAN_CACHE:-$HOME/.cache/roomban}/promtool/${VERSION}
if [[ -x "$OUT/promtool" ]]; then echo "$OUT"; exit 0; fi
mkdir -p "$OUT"
echo "building promtool ${VERSION} into $OUT" >&2
CGO_ENABLED=0 go build -trimpath -tags remove_all_sd -ldflags "-s -w" -o "$OUT/promtool.tmp" github.com/prometheus/prometheus/cmd/promtool
mv "$OUT/promtool.tmp" "$OUT/promtool"
echo "$OUT"
