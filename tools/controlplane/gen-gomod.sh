#!/usr/bin/env bash
# Regenerates go.mod for a Kubernetes version: require k8s.io/kubernetes and replace every
# staging module (required upstream at the non-existent v0.0.0) with its published v0.X.Y.
# Usage: K8S_VERSION=1.36.3 ./gen-gomod.sh
set -euo pipefail
cd "$(dirname "$0")"
: "${K8S_VERSION:?set K8S_VERSION, e.g. 1.36.3}"
upstream=$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
staging=$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$upstream" | sort -u)
{
  echo "module localtools/controlplane"
  echo
  grep -E '^(go|godebug) ' "$upstream"
  echo
  echo "require k8s.io/kubernetes v${K8S_VERSION}"
  echo
  echo "replace ("
  for m in $staging; do echo "	$m => $m v0.${K8S_VERSION#1.}"; done
  echo ")"
} > go.mod
go mod tidy
