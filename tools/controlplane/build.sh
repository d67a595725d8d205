#!/usr/bin/env bash
# Builds kube-apiserver and etcd from Go modules (see docs/testing.md#control-plane) into
#   $CONTROLPLANE_BIN (default: ${ROOMBAN_CACHE:-$HOME/.cache/roomban}/controlplane/<k8s version>)
# Idempotent: exits at once when both binaries of this version are already there.
set -euo pipefail
cd "$(dirname "$0")"
K8S_VERSION=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
ETCD_VERSION=$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
OUT=${CONTROLPLANE_BIN:-${ROOMBAN_CACHE:-$HOME/.cache/roomban}/controlplane/${K8S_VERSION}}
if [[ -x "$OUT/kube-apiserver" && -x "$OUT/etcd" ]] &&
   [[ "$("$OUT/kube-apiserver" --version 2>/dev/null)" == "Kubernetes ${K8S_VERSION}" ]]; then
  echo "$OUT"; exit 0
fi
minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
ldflags="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${p}.gitVersion=${K8S_VERSION} -X ${p}.gitMajor=1 -X ${p}.gitMinor=${minor}"
  ldflags+=" -X ${p}.gitTreeState=clean -X ${p}.buildDate=1970-01-01T00:00:00Z"
done
mkdir -p "$OUT"
export CGO_ENABLED=0
echo "building kube-apiserver ${K8S_VERSION} and etcd ${ETCD_VERSION} into $OUT (several minutes cold)" >&2
go build -trimpath -ldflags "$ldflags" -o "$OUT/kube-apiserver.tmp" ./cmd/kube-apiserver
go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.tmp" ./cmd/etcd
mv "$OUT/kube-apiserver.tmp" "$OUT/kube-apiserver"; mv "$OUT/etcd.tmp" "$OUT/etcd"
echo "$OUT"
