#!/usr/bin/env bash
# Builds Flux's source-controller and kustomize-controller (tools/flux/<controller>: wrapper modules
# with a `tool` line and upstream's replace directives, made by tools/wrap-gomod.sh) into
#   ${ROOMBAN_CACHE:-$HOME/.cache/roomban}/flux/<controller>/<version>/<controller>
# with the controller's CRDs (config/crd/bases) in crds/ beside it.
# Idempotent: exits at once for a controller whose binary of this version is already there.
set -euo pipefail
cd "$(dirname "$0")"
export CGO_ENABLED=0
for controller in source-controller kustomize-controller; do
  module=github.com/fluxcd/${controller}
  VERSION=$(cd "$controller" && go list -m -f '{{.Version}}' "$module")
  OUT=${ROOMBAN_CACHE:-$HOME/.cache/roomban}/flux/${controller}/${VERSION}
  if [[ -x "$OUT/$controller" ]]; then echo "$OUT"; continue; fi
  echo "building Flux ${controller} ${VERSION} into $OUT" >&2
  mkdir -p "$OUT/crds"
  # .Dir is empty until the module is in the module cache (a cold machine): download it first.
  (cd "$controller" && go mod download "$module")
  SRC=$(cd "$controller" && go list -m -f '{{.Dir}}' "$module")
  [[ -d "$SRC" ]] || { echo "${module} not found at '$SRC'" >&2; exit 1; }
  install -m 0644 "$SRC"/config/crd/bases/*.yaml "$OUT/crds/"
  (cd "$controller" && go build -trimpath -ldflags "-s -w" -o "$OUT/$controller.tmp" "$module")
  mv "$OUT/$controller.tmp" "$OUT/$controller"
  echo "$OUT"
done
