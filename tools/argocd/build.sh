#!/usr/bin/env bash
# Builds tools/argocd (argocd-application-controller, argocd-repo-server and argocd-health from
# github.com/argoproj/argo-cd/v3, one binary picking its command by name; see main.go) into
#   ${ROOMBAN_CACHE:-$HOME/.cache/roomban}/argocd/<argo-cd version>/
# with a link per command, Argo CD's CRDs (crds/) and hack/git-verify-wrapper.sh, which the repo
# server runs from PATH. Argo CD v3.6 needs Go 1.27: the toolchain comes from the module proxy.
# Idempotent: exits at once when this version is already there.
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=${ARGOCD_GOTOOLCHAIN:-go1.27.3} CGO_ENABLED=0
VERSION=$(go list -m -f '{{.Version}}' github.com/argoproj/argo-cd/v3)
OUT=${ROOMBAN_CACHE:-$HOME/.cache/roomban}/argocd/${VERSION}
if [[ -x "$OUT/argocd" && -f "$OUT/crds/application-crd.yaml" ]]; then echo "$OUT"; exit 0; fi
echo "building Argo CD ${VERSION} (application controller, repo server, health) into $OUT" >&2
# .Dir is empty until the module is in the module cache (a cold machine): download it first.
go mod download github.com/argoproj/argo-cd/v3
SRC=$(go list -m -f '{{.Dir}}' github.com/argoproj/argo-cd/v3)
[[ -d "$SRC" ]] || { echo "Argo CD's module not found at '$SRC'" >&2; exit 1; }
mkdir -p "$OUT/crds"
go build -trimpath -ldflags "-s -w -X github.com/argoproj/argo-cd/v3/common.version=${VERSION#v}" -o "$OUT/argocd.tmp" .
for command in argocd-application-controller argocd-repo-server argocd-health; do ln -sf argocd "$OUT/$command"; done
install -m 0644 "$SRC"/manifests/crds/application-crd.yaml "$SRC"/manifests/crds/appproject-crd.yaml "$OUT/crds/"
install -m 0755 "$SRC/hack/git-verify-wrapper.sh" "$OUT/git-verify-wrapper.sh"
mv "$OUT/argocd.tmp" "$OUT/argocd"
echo "$OUT"
