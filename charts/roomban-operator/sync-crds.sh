#!/usr/bin/env bash
# Copies the CRDs from the repository's crds/ (the source of truth) into the two places that ship
# them: this chart's crds/ and the kustomize base's operator/crds/. test/packaging proves the copies
# are byte-identical, so run this after any change to crds/.
set -euo pipefail
chart_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$chart_dir/../.." && pwd)
for target in "$chart_dir/crds" "$root/operator/crds"; do
  mkdir -p "$target"
  rm -f "$target"/*.yaml
  cp "$root"/crds/*.yaml "$target"/
done
echo "copied $(ls "$root"/crds/*.yaml | wc -l) CRDs into charts/roomban-operator/crds/ and operator/crds/"
