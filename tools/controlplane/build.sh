#!/usr/bin/env bash
# Builds kube-apiserver and etcd from Go modules (see docs/testing.md#control-plane) into
#   $CONTROLPLANE_BIN (default: ${ROOMBAN_CACHE:-$HOME/.cache/roomban}/controlplane/<k8s version>)
# With --with-controllers also kube-controller-manager and kube-scheduler, from the same
# k8s.io/kubernetes module, for the Helm tests that need real pods; --controllers-only builds just
# those two (kube-apiserver and etcd come from KUBEBUILDER_ASSETS).
# Idempotent: builds only the binaries of this version that are not there yet.
set -euo pipefail
cd "$(dirname "$0")"
K8S_VERSION=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
ETCD_VERSION=$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
OUT=${CONTROLPLANE_BIN:-${ROOMBAN_CACHE:-$HOME/.cache/roomban}/controlplane/${K8S_VERSION}}
case "${1:-}" in
  --with-controllers) components=(kube-apiserver kube-controller-manager kube-scheduler); etcd=1 ;;
  --controllers-only) components=(kube-controller-manager kube-scheduler); etcd=0 ;;
  *) components=(kube-apiserver); etcd=1 ;;
esac
missing=()
for c in "${components[@]}"; do
  [[ -x "$OUT/$c" && "$("$OUT/$c" --version 2>/dev/null)" == "Kubernetes ${K8S_VERSION}" ]] || missing+=("$c")
done
if [[ ${#missing[@]} -eq 0 && ( $etcd == 0 || -x "$OUT/etcd" ) ]]; then echo "$OUT"; exit 0; fi
minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
ldflags="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${p}.gitVersion=${K8S_VERSION} -X ${p}.gitMajor=1 -X ${p}.gitMinor=${minor}"
  ldflags+=" -X ${p}.gitTreeState=clean -X ${p}.buildDate=1970-01-01T00:00:00Z"
done
mkdir -p "$OUT"
export CGO_ENABLED=0
for c in "${missing[@]}"; do
  echo "building $c ${K8S_VERSION} into $OUT (minutes cold)" >&2
  go build -trimpath -ldflags "$ldflags" -o "$OUT/$c.tmp" "./cmd/$c"
  mv "$OUT/$c.tmp" "$OUT/$c"
done
if [[ $etcd == 1 && ! -x "$OUT/etcd" ]]; then
  echo "building etcd ${ETCD_VERSION} into $OUT" >&2
  go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.tmp" ./cmd/etcd
  mv "$OUT/etcd.tmp" "$OUT/etcd"
fi
echo "$OUT"
